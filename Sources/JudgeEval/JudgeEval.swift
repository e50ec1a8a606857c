/// JudgeEval: the judge-benchmark interchange format (JSON Lines), importers for the public
/// VL-RewardBench and Multimodal RewardBench layouts, and the metrics both benchmarks report. Pure: it
/// reads and writes files but knows nothing of models; a judge is anything that returns verdicts.
