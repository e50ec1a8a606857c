/// ModelBackend: models behind an OpenAI-compatible HTTP API (`POST {endpoint}/chat/completions`, as vLLM,
/// SGLang, llama.cpp's llama-server, hosted APIs and `judgeflow serve` answer it). It owns the wire format
/// (`ChatRequest`, `ChatResponse`), the one effect (`HTTPTransport`: plain sockets for `http://`, URLSession for `https://`), and the
/// request layer a node uses (`RequestRunner`: requests in flight, retries with backoff, every finished
/// response kept in a `ResponseCache` so a killed node resumes without repeating one). What to ask and how
/// to read the answer is decided by the node types.
