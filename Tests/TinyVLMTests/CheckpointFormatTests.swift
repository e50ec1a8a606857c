import Foundation
import Testing
import TinyVLM

@Suite struct TokenizerTests {
    @Test func unknownWordsBecomeUnkAndDecodeStopsAtEos() {
        let t = Tokenizer(vocabulary: ["red", "circle", "red"])
        #expect(t.count == Tokenizer.specials.count + 2)
        #expect(t.encode("red circle zebra") == [5, 6, t.unknown])
        #expect(t.decode([5, t.pad, 6, t.eos, 5]) == "red circle")
    }

    @Test func tokenizerRoundTripsThroughJSON() throws {
        let t = Tokenizer(vocabulary: ["a", "b"])
        let back = try JSONDecoder().decode(Tokenizer.self, from: JSONEncoder().encode(t))
        #expect(back == t)
    }
}

@Suite struct SafeTensorsTests {
    @Test func roundTripPreservesValuesShapesAndMetadata() throws {
        let tensors = ["b.weight": SafeTensors.Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, .leastNonzeroMagnitude, 7]),
                       "a.bias": SafeTensors.Tensor(shape: [1], values: [42])]
        let bytes = SafeTensors.encode(tensors, metadata: ["config": "{\"d\":8}"])
        let (back, meta) = try SafeTensors.decode(bytes)
        #expect(back == tensors)
        #expect(meta["config"] == "{\"d\":8}")
        #expect(SafeTensors.encode(back, metadata: meta) == bytes)
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
    }

    @Test func truncatedFilesAreErrors() {
        let bytes = SafeTensors.encode(["w": .init(shape: [4], values: [1, 2, 3, 4])], metadata: [:])
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode(Array(bytes.dropLast(4))) }
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode([1, 2]) }
    }
}
