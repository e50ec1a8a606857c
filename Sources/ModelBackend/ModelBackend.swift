/// ModelBackend: real VLMs and LLMs behind an OpenAI-compatible HTTP API (`POST {base}/chat/completions`),
/// for node types that can hand a step to a model server instead of the embedded model. This file owns
/// the wire format and the blocking call; what to ask is decided by the callers.
