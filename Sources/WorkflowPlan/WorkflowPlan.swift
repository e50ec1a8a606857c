/// WorkflowPlan: turns a `ResolvedWorkflow` into a checked DAG bound to node types (`Graph`), derives
/// node keys, and decides — with the reason, in the same code — whether each node is up to date
/// (`Graph.decide`). Pure: the store's action cache and the workspace come in through read-only protocols.
