import JudgeStages
import NodeKit
import Testing

@Suite struct PretrainShapeTests {
    func problems(d: Int, layers: Int) -> [ParamProblem] {
        PretrainNode().problems(params: ["d": .int(d), "layers": .int(layers), "heads": .int(4), "max_text": .int(96),
                                         "image_size": .int(24), "grid": .int(3), "patch": .int(8)])
    }

    @Test func aShapeOverTheParameterLimitIsAProblemWhenTheGraphIsBuilt() {
        let found = problems(d: 2048, layers: 64)
        #expect(found.count == 1 && found.first?.param == "d")
        #expect(found.first?.message.hasSuffix(" parameters; at most 268435456") == true)
        #expect(problems(d: 128, layers: 4).isEmpty)
    }
}
