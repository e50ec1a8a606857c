import JudgeEval
import JudgeStages
import SyntheticWorld
import Testing

/// An independent reader of the world's question templates that answers from the scene, to check the
/// benchmark's labels without reusing the generator's code.
func oracleAnswer(_ query: String, _ scene: Scene) -> String? {
    let w = query.split(separator: " ").map(String.init)
    func colour(_ s: String) -> Colour? { Colour(rawValue: s) }
    func shape(_ s: String) -> Shape? { Shape.allCases.first { $0.rawValue == s || $0.plural == s } }
    if query == "describe the image ." {
        return scene.objects.map { "a \($0.size.rawValue) \($0.colour.rawValue) \($0.shape.rawValue) in row \($0.row + 1) column \($0.column + 1) ." }
            .joined(separator: " ")
    }
    if w.starts(with: ["list", "the", "objects", "in", "row"]), let r = Int(w[5]) {
        let items = scene.objects.filter { $0.row == r - 1 }
        return items.isEmpty ? "there is nothing in row \(r) ."
            : items.map { "a \($0.size.rawValue) \($0.colour.rawValue) \($0.shape.rawValue) in column \($0.column + 1)" }.joined(separator: " , ") + " ."
    }
    if w.starts(with: ["how", "many"]) {
        if w[2] == "objects" { return String(scene.objects.count) }
        if let c = colour(w[2]), w[3] == "objects" { return String(scene.objects.filter { $0.colour == c }.count) }
        if let c = colour(w[2]), w[3] == "or", let d = colour(w[4]) { return String(scene.objects.filter { $0.colour == c || $0.colour == d }.count) }
        if let s = shape(w[2]) { return String(scene.objects.filter { $0.shape == s }.count) }
    }
    if w.starts(with: ["is", "there", "a"]), let c = colour(w[3]), let s = shape(w[4]) {
        return scene.objects.contains { $0.colour == c && $0.shape == s } ? "yes" : "no"
    }
    if w.starts(with: ["are", "there", "more"]), let a = shape(w[3]), let b = shape(w[5]) {
        return scene.objects.filter { $0.shape == a }.count > scene.objects.filter { $0.shape == b }.count ? "yes" : "no"
    }
    if w.starts(with: ["what", "color", "is", "the"]), w.count == 6, let s = shape(w[4]) {
        return scene.objects.first { $0.shape == s }?.colour.rawValue
    }
    if w.starts(with: ["what", "shape", "is", "the"]), let c = colour(w[4]) {
        return scene.objects.first { $0.colour == c }?.shape.rawValue
    }
    return nil
}

@Suite struct BenchmarkBuilderTests {
    @Test func preferredResponsesAreTheSceneGroundTruthAndRejectedOnesAreNot() {
        for style in BenchmarkBuilder.Style.allCases {
            let builder = BenchmarkBuilder(style: style, seed: 5, itemsPerCategory: 60)
            var checked = 0
            for draft in builder.drafts() {
                let item = draft.item
                guard let truth = oracleAnswer(item.query, builder.scene(draft.scene)) else { continue }
                #expect(item.responses[item.preferred] == truth, "\(item.id): \(item.query)")
                if item.category != "preference" { #expect(item.responses[1 - item.preferred] != truth, "\(item.id)") }
                checked += 1
            }
            #expect(checked > 100)
        }
    }

    @Test func everyCategoryIsFilledAndPositionsAreBalanced() {
        let drafts = BenchmarkBuilder(style: .vlRewardBench, seed: 1, itemsPerCategory: 200).drafts()
        let counts = Dictionary(grouping: drafts, by: \.item.category).mapValues(\.count)
        #expect(counts == ["general": 200, "hallucination": 200, "reasoning": 200])
        let first = drafts.filter { $0.item.preferred == 0 }.count
        #expect(abs(first - 300) < 60)
        #expect(Set(drafts.map(\.item.id)).count == drafts.count)
    }

    @Test func benchmarkScenesAreNotTrainingScenes() {
        let builder = BenchmarkBuilder(style: .vlRewardBench, seed: 1000, itemsPerCategory: 1)
        let training = Set((0..<500).map { SceneGenerator.scene(seed: 1000, index: $0) })
        #expect((0..<100).allSatisfy { !training.contains(builder.scene($0)) })
    }

    @Test func theSameSeedBuildsTheSameBenchmark() {
        let a = BenchmarkBuilder(style: .multimodalRewardBench, seed: 9, itemsPerCategory: 30).drafts()
        #expect(a == BenchmarkBuilder(style: .multimodalRewardBench, seed: 9, itemsPerCategory: 30).drafts())
    }
}
