import Compute
import Testing
import TinyVLM

/// Continuous batching: sequences that start at different steps, share slots that others have left and
/// end at different times each sample exactly what `generate` gives them.
@Suite struct ContinuousGeneratorTests {
    @Test func sequencesStartedAtAnyStepSampleWhatGenerateGivesThem() {
        let model = randomModel()
        let options = SamplingOptions(temperature: 1.1, topK: 12, topP: 0.95, stop: [3])
        let requests = (0..<23).map {
            GenerationRequest(patches: randomPatches(model, seed: UInt64(70 + $0)), prompt: Array([2, 7, Int32(4 + $0 % 9), 5].prefix(2 + $0 % 3)),
                              maxNewTokens: [0, 1, 3, 9, 14][$0 % 5], seed: UInt64(1000 + $0))
        }
        let expected = model.generate(requests, options: options)
        // Four slots, a new request started every other step while slots are free.
        let generator = ContinuousGenerator(model: model, slots: 4)
        var got = [[Int32]?](repeating: nil, count: requests.count)
        var next = 0, steps = 0
        while got.contains(where: { $0 == nil }) && steps < 1000 {
            if steps % 2 == 0 {
                while next < requests.count && generator.free > 0 {
                    #expect(generator.start(requests[next], options: options, tag: next))
                    next += 1
                }
            }
            for (tag, tokens) in generator.step() { got[tag] = tokens }
            steps += 1
        }
        #expect(got.map { $0 ?? [-1] } == expected)
        #expect(generator.active == 0 && generator.free == 4)
        #expect(next == requests.count)
    }

    @Test func aFullGeneratorRefusesANewSequence() {
        let model = randomModel()
        let generator = ContinuousGenerator(model: model, slots: 2)
        let request = GenerationRequest(patches: randomPatches(model, seed: 1), prompt: [2, 5], maxNewTokens: 5)
        #expect(generator.start(request, options: SamplingOptions(), tag: 0) && generator.start(request, options: SamplingOptions(), tag: 1))
        #expect(!generator.start(request, options: SamplingOptions(), tag: 2))
    }
}
