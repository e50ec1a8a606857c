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
                #expect(item.responses[1 - item.preferred] != truth, "\(item.id)")
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

    /// The shipped workflows' world.
    static var shipped: WorldConfig {
        var w = WorldConfig()
        w.imageSize = 24
        w.grid = 3
        w.maxObjects = 3
        w.shapes = Array(Shape.allCases.prefix(3))
        w.colours = Array(Colour.allCases.prefix(4))
        return w
    }

    @Test func shippedBenchmarksPassTheLint() {
        for style in BenchmarkBuilder.Style.allCases {
            let builder = BenchmarkBuilder(style: style, seed: 1000, itemsPerCategory: 200, world: Self.shipped)
            let findings = BenchmarkLint.check(builder.drafts().map(\.item), vocabulary: WorldVocabulary.drawn(by: Self.shipped))
            #expect(findings.isEmpty, "\(style): \(findings.prefix(3))")
        }
    }

    @Test func mostItemsShowSeveralObjectsAndEveryBindingKindIsThere() {
        var kinds: [String: Int] = [:]
        var several = 0, total = 0
        for style in BenchmarkBuilder.Style.allCases {
            let builder = BenchmarkBuilder(style: style, seed: 1000, itemsPerCategory: 200, world: Self.shipped)
            for draft in builder.drafts() {
                total += 1
                if builder.scene(draft.scene).objects.count >= 2 { several += 1 }
                if let kind = BenchmarkMetrics.kind(of: draft.item) { kinds[kind, default: 0] += 1 }
            }
        }
        #expect(Double(several) / Double(total) > 0.7, "\(several) of \(total)")
        for kind in ["attribute-exchanged", "attributes-swapped", "positions-exchanged", "replaced-object", "same-scene-distractor",
                     "absent-combination"] {
            #expect(kinds[kind, default: 0] >= 20, "\(kind): \(kinds[kind, default: 0])")
        }
    }

    @Test func yesAndNoAreEquallyOftenTheRightAnswer() {
        for style in BenchmarkBuilder.Style.allCases {
            let items = BenchmarkBuilder(style: style, seed: 1000, itemsPerCategory: 200, world: Self.shipped).drafts().map(\.item)
            let yesNo = items.filter { ["yes", "no"].contains($0.responses[$0.preferred]) }
            let yes = yesNo.filter { $0.responses[$0.preferred] == "yes" }.count
            #expect(yesNo.count > 100 && abs(Double(yes) / Double(yesNo.count) - 0.5) < 0.08, "\(style): \(yes) of \(yesNo.count)")
        }
    }

    @Test func benchmarkScenesAreNotTrainingScenes() {
        let builder = BenchmarkBuilder(style: .vlRewardBench, seed: 1000, itemsPerCategory: 1)
        let training = Set((0..<500).map { SceneGenerator.scene(seed: 1000, index: $0) })
        #expect((0..<100).allSatisfy { !training.contains(builder.scene($0)) })
    }

    @Test func aKindTheWorldCannotShowGivesItsTurnToTheNext() {
        var world = Self.shipped
        world.maxObjects = 2   // no scene can replace an object by a combination of two others
        for style in BenchmarkBuilder.Style.allCases {
            let drafts = BenchmarkBuilder(style: style, seed: 3, itemsPerCategory: 30, world: world).drafts()
            #expect(drafts.count == 30 * style.categories.count, "\(style)")
        }
    }

    @Test func theSameSeedBuildsTheSameBenchmark() {
        let a = BenchmarkBuilder(style: .multimodalRewardBench, seed: 9, itemsPerCategory: 30).drafts()
        #expect(a == BenchmarkBuilder(style: .multimodalRewardBench, seed: 9, itemsPerCategory: 30).drafts())
    }
}
