/// JudgeStages: the self-improvement loop — preference-pair synthesis (error injection, majority
/// vote), judge traces, filtering, data mixing, training and evaluation — as node types, with their
/// decision logic kept in pure functions that tests pin down.
