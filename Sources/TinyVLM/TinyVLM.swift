/// TinyVLM: the embedded vision-language model — a GPT-2-style decoder with an image-patch prefix —
/// its word-level tokenizer, safetensors checkpoints, batched generation and training, all on the
/// Compute module.
