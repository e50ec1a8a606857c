import JudgeStages
import NodeKit
import WorkflowEngine

/// The node types `judgeflow` knows: `shell` and the loop's (JudgeStages/JudgeNodeTypes.swift).
public enum BuiltinNodes {
    public static func registry() throws(NodeRegistry.DuplicateName) -> NodeRegistry {
        try NodeRegistry([ShellNode()] + JudgeNodeTypes.all)
    }
}
