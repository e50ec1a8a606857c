import NodeKit

/// The loop's node types, one file each under `Nodes/` named by its `uses:` name. Adding a node type means
/// adding its file and its entry here.
public enum JudgeNodeTypes {
    public static var all: [any NodeType] {
        [WorldBenchmarkNode(), PretrainNode(), PolicyEvalNode(), ClosedPairsNode(), OpenPairsNode(), JudgeTracesNode(),
         JudgeFilterNode(), JudgeTrainNode(), JudgeEvalNode(), ReportNode()]
    }
}
