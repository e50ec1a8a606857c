import Foundation
import JudgeStages
import SyntheticWorld
import Testing

let caption = "a large red circle in row 1 column 1 . a small blue square in row 3 column 2 ."
let rowList = "a large red circle in column 1 , a small red square in column 3 ."

/// All distinct outputs of one injector kind over many seeds.
func injected(_ kind: ErrorInjector.Kind, _ answer: String) -> Set<String> {
    var out = Set<String>()
    for seed in 0..<60 {
        var rng = WorldRandom(seed: UInt64(seed))
        if let s = ErrorInjector.inject(kind, into: answer, rng: &rng) { out.insert(s) }
    }
    return out
}

@Suite struct ErrorInjectorTests {
    @Test func objectErrorChangesOneShapeOnly() {
        let outs = injected(.object, caption)
        #expect(outs.contains("a large red square in row 1 column 1 . a small blue square in row 3 column 2 ."))
        #expect(!outs.contains(caption))
        for o in outs { #expect(o.split(separator: " ").count == caption.split(separator: " ").count) }
    }

    @Test func attributeErrorChangesColourOrSizeTakingTheColourOfAnotherMention() {
        let outs = injected(.attribute, caption)
        #expect(outs.contains("a small red circle in row 1 column 1 . a small blue square in row 3 column 2 ."))
        #expect(outs.contains("a large blue circle in row 1 column 1 . a small blue square in row 3 column 2 ."))
        #expect(!outs.contains { $0.contains("green") || $0.contains("yellow") }, "another mention offers a colour")
    }

    @Test func injectedErrorsUseOnlyTheWorldsWords() {
        var world = WorldConfig()
        world.grid = 3
        world.shapes = [.circle, .square, .triangle]
        world.colours = [.red, .green, .blue, .yellow]
        let allowed = Set(WorldVocabulary.drawn(by: world).values.joined())
        for seed in 0..<200 as Range<UInt64> {
            var rng = WorldRandom(seed: seed)
            for answer in [caption, rowList, "a small green triangle in row 2 column 2 ."] {
                guard let (out, kind) = ErrorInjector.inject(into: answer, mix: [.object: 1, .attribute: 1, .count: 1, .position: 1, .addition: 1],
                                                             world: world, rng: &rng) else { continue }
                let words = out.split(separator: " ").map(String.init)
                #expect(words.allSatisfy(allowed.contains), "\(kind): \(out)")
            }
        }
    }

    @Test func countErrorPluralisesOneMention() {
        let outs = injected(.count, rowList)
        #expect(outs.contains("2 large red circles in column 1 , a small red square in column 3 ."))
        #expect(outs.contains("a large red circle in column 1 , 3 small red squares in column 3 ."))
    }

    @Test func positionErrorMovesOneMention() {
        let outs = injected(.position, caption)
        #expect(outs.contains("a large red circle in row 4 column 1 . a small blue square in row 3 column 2 ."))
        #expect(outs.contains("a large red circle in row 1 column 1 . a small blue square in row 3 column 4 ."))
    }

    @Test func additionInsertsAnObjectInAFreeCell() {
        let outs = injected(.addition, caption)
        #expect(outs.count > 10)
        for o in outs {
            let mentions = o.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(mentions.count == 3)
            #expect(mentions.contains("a large red circle in row 1 column 1"))
            #expect(mentions.contains("a small blue square in row 3 column 2"))
            let cells = mentions.map { $0.split(separator: " ").suffix(4).joined(separator: " ") }
            #expect(Set(cells).count == 3, "\(o)")
        }
    }

    @Test func omissionDropsOneMentionAndNeedsTwo() {
        #expect(injected(.omission, caption) == ["a large red circle in row 1 column 1 .", "a small blue square in row 3 column 2 ."])
        #expect(injected(.omission, "a large red circle in row 1 column 1 .").isEmpty)
    }

    @Test func unparseableAnswersAreLeftAlone() {
        #expect(injected(.object, "there is nothing in row 2 .").isEmpty)
        #expect(injected(.attribute, "3").isEmpty)
    }

    @Test func mixPicksOnlyWeightedKinds() {
        var rng = WorldRandom(seed: 1)
        for _ in 0..<50 {
            let (_, kind) = ErrorInjector.inject(into: caption, mix: [.omission: 1, .object: 0], rng: &rng)!
            #expect(kind == .omission)
        }
    }
}

@Suite struct MajorityVoteTests {
    @Test func clearMajorityIsPreferredOverAnotherSample() {
        var rng = WorldRandom(seed: 2)
        let samples = Array(repeating: "3", count: 9) + Array(repeating: "4", count: 5) + ["2", "5"]
        let pair = MajorityVote.pair(samples, threshold: 5, rng: &rng)
        #expect(pair?.preferred == "3" && pair?.votes == 9)
        #expect(["4", "2", "5"].contains(pair?.rejected ?? ""))
    }

    @Test func weakOrTiedMajoritiesAreSkipped() {
        var rng = WorldRandom(seed: 2)
        #expect(MajorityVote.pair(["1", "1", "1", "1", "2", "3"], threshold: 5, rng: &rng) == nil)
        #expect(MajorityVote.pair(Array(repeating: "1", count: 6) + Array(repeating: "2", count: 6), threshold: 5, rng: &rng) == nil)
        #expect(MajorityVote.pair(Array(repeating: "1", count: 16), threshold: 5, rng: &rng) == nil)
    }

    @Test func rejectedAnswerIsDrawnByFrequency() {
        var rng = WorldRandom(seed: 9)
        let samples = Array(repeating: "a", count: 10) + Array(repeating: "b", count: 5) + ["c"]
        var b = 0
        for _ in 0..<600 where MajorityVote.pair(samples, threshold: 5, rng: &rng)?.rejected == "b" { b += 1 }
        #expect(b > 450 && b < 600)
    }
}

@Suite struct FilterAndMixingTests {
    @Test func positionFreeRuleCancelsASlotBias() {
        // A judge that always prefers the first slot by 2 nats, plus a small real signal.
        let margins: [(straight: Double, swapped: Double)] = [(2.3, 1.9), (1.8, 2.2)]
        #expect(TraceFilter.kept(margins, rule: .positionFree) == [0])
        #expect(TraceFilter.kept(margins, rule: .bothOrders) == [])
        #expect(TraceFilter.kept(margins, rule: .eitherOrder) == [0, 1])
        #expect(TraceFilter.kept([(0.5, -0.5)], rule: .bothOrders) == [0])
        #expect(TraceFilter.kept(margins, rule: .all) == [0, 1])
    }

    @Test func oracleLabelsPreferTheTruthOverAWrongResponse() {
        func pair(_ preferred: String, _ rejected: String, truth: String) -> Pair {
            Pair(scene: 0, family: "count", question: "how many objects are there ?", preferred: preferred, rejected: rejected,
                 source: "majority", truth: truth)
        }
        // Majority right: unchanged orientation.
        #expect(OracleLabels.relabel(pair("2", "3", truth: "2")).map { [$0.preferred, $0.rejected] } == ["2", "3"])
        // Majority wrong, the rejected sample right: swapped.
        #expect(OracleLabels.relabel(pair("3", "2", truth: "2")).map { [$0.preferred, $0.rejected] } == ["2", "3"])
        // Both wrong: the truth against the rejected one.
        #expect(OracleLabels.relabel(pair("3", "4", truth: "2")).map { [$0.preferred, $0.rejected] } == ["2", "4"])
        #expect(OracleLabels.relabel(pair("3", "4", truth: "2"))?.source == "ground-truth")
        // Nothing wrong to reject.
        #expect(OracleLabels.relabel(pair("2", "2", truth: "2")) == nil)
    }

    @Test func mixingGivesEarlierIterationsTheirShare() {
        var rng = WorldRandom(seed: 4)
        let current = Array(0..<300)
        let earlier = [Array(1000..<1400), Array(2000..<2100)]
        let mixed = DataMixing.mix(current: current, earlier: earlier, share: 0.25, rng: &rng)
        #expect(mixed.count == 400)
        #expect(Array(mixed.prefix(300)) == current)
        let fromFirst = mixed.filter { (1000..<1400).contains($0) }.count
        let fromSecond = mixed.filter { (2000..<2100).contains($0) }.count
        #expect(fromFirst == 50 && fromSecond == 50)
        #expect(DataMixing.mix(current: current, earlier: earlier, share: 0, rng: &rng) == current)
    }

    @Test func mixingIsCappedByWhatExists() {
        var rng = WorldRandom(seed: 4)
        let mixed = DataMixing.mix(current: Array(0..<100), earlier: [[7, 8]], share: 0.9, rng: &rng)
        #expect(mixed.count == 102)
    }

    @Test func replayAddsTheBaseModelsFirstInstructionExamplesAtItsShare() {
        #expect(DataMixing.added(to: 300, share: 0.25) == 100)
        #expect(DataMixing.added(to: 300, share: 0) == 0 && DataMixing.added(to: 300, share: 1) == 0)
        var config = WorldConfig()
        config.imageSize = 24
        config.grid = 3
        let world = WorldRef(seed: 5, world: config)
        let tokenizer = Prompts.worldTokenizer()
        let replayed = InstructionData.replay(100, world: world, tokenizer: tokenizer, patch: 8)
        let instructions = InstructionData.examples(seed: 5, scenes: 40, world: world.world, tokenizer: tokenizer, patch: 8)
        #expect(replayed.count == 100)
        #expect(replayed == Array(instructions.prefix(100)))
        #expect(InstructionData.replay(0, world: world, tokenizer: tokenizer, patch: 8).isEmpty)
    }
}

@Suite struct ClosedPairShapingTests {
    @Test func anAgreedAnswerIsAlteredToAnotherAnswerOfItsFamily() {
        var rng = WorldRandom(seed: 3)
        var seen = Set<String>()
        for _ in 0..<50 {
            let bad = ClosedPairShaping.altered("2", pool: ["0", "1", "2", "3"], rng: &rng)
            #expect(bad != nil && bad != "2")
            seen.insert(bad ?? "")
        }
        #expect(seen == ["0", "1", "3"])
        #expect(ClosedPairShaping.altered("yes", pool: ["yes"], rng: &rng) == nil)
    }

    @Test func balancingCutsAFamilysDominantPreferredAnswerToTheRunnerUp() {
        // existence: 6 yes, 2 no -> 2 and 2; count: one answer only -> untouched.
        let items = (0..<6).map { ("existence", "yes", $0) } + [("existence", "no", 6), ("existence", "no", 7)]
            + [("count", "2", 8), ("count", "2", 9)]
        var rng = WorldRandom(seed: 1)
        let kept = ClosedPairShaping.balanced(items, family: { $0.0 }, preferred: { $0.1 }, rng: &rng)
        #expect(kept == kept.sorted())
        #expect(kept.filter { items[$0].1 == "yes" }.count == 2)
        #expect(kept.contains(6) && kept.contains(7) && kept.contains(8) && kept.contains(9))
    }

    @Test func aClosedTraceIsConsistentOnlyWhenItIsThePreferredAnswer() {
        func pair(_ family: String, _ preferred: String) -> Pair {
            Pair(scene: 0, family: family, question: "q", preferred: preferred, rejected: "x", source: "majority", truth: preferred)
        }
        #expect(TraceConsistency.consistent(trace: "2", with: pair("count", "2")))
        #expect(!TraceConsistency.consistent(trace: "wrong 2", with: pair("count", "2")))
        #expect(!TraceConsistency.consistent(trace: "", with: pair("existence", "no")))
        // Open-ended preferred answers are sampled, so any trace passes.
        #expect(TraceConsistency.consistent(trace: "a red circle", with: pair("caption", "a blue square")))
    }
}

@Suite struct OffTopicResponseTests {
    @Test func anOffTopicResponseAnswersAnotherFamily() {
        let pools = ["count": ["0", "1", "2"], "existence": ["no", "yes"], "color": ["red"]]
        var rng = WorldRandom(seed: 9)
        var seen = Set<String>()
        for _ in 0..<60 { seen.insert(ClosedPairShaping.offTopic("2", family: "count", pools: pools, rng: &rng) ?? "") }
        #expect(seen == ["no", "yes", "red"])
        #expect(ClosedPairShaping.offTopic("red", family: "color", pools: ["color": ["red"]], rng: &rng) == nil)
    }
}
