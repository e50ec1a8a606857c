/// JudgeFlowCLI: the `judgeflow` commands. Parses arguments, loads workflows, calls the engine and
/// prints results; the only place where errors become text and exit codes.
