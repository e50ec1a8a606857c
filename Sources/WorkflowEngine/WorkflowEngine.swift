/// WorkflowEngine: runs a `Graph` against an `ArtifactStorage` — skips the nodes `Graph.decide` finds up
/// to date, runs the rest in parallel (at most `jobs` at once), records outputs atomically, and keeps the
/// workflow's record for `status`. Keep-going semantics: a failed node skips its dependents while
/// independent branches finish; the run then reports failure and the next run resumes from the cache.
///
/// Thread budget: the nodes running at once share `threads` cores. A node starting gets an equal share
/// of the cores not held, split over the nodes ready to start with it (at least one), and keeps it until
/// it ends; a node waits while every core is held. A lone node thus gets every core, two ready nodes one
/// each on two cores, and the threads asked for never exceed the cores. Outputs are bitwise the same
/// whatever a node's share (every node type's contract).
