import JudgeStages
import NodeKit
import WorkflowEngine

/// The node types `judgeflow` knows. Adding a node type means adding it to this list.
public enum BuiltinNodes {
    public static var registry: NodeRegistry {
        NodeRegistry([ShellNode()] + JudgeNodeTypes.all)
    }
}
