/// SyntheticWorld: the embedded, procedurally generated visual world — scenes of shapes in a grid,
/// rendered to small RGB images, with questions whose ground truth is known. Pure and deterministic:
/// the same seed gives the same scene, pixels and questions on every machine. It depends only on zlib
/// (for PNG) and on Compute's seeded generator.
