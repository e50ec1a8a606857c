/// ModelServer: the embedded model behind the OpenAI-compatible chat API that vLLM and llama.cpp serve
/// (`judgeflow serve`), so the same workflows, managed servers and clients work with it. `HTTPServer` is the
/// socket edge (HTTP/1.1, bounded requests, keep-alive, chunked streams); `ChatCompletionRequest` reads and
/// checks a request into a value; `CompletionEngine` batches concurrent requests into the model's batched
/// decoder; `OpenAIRoutes` maps routes and errors to the API's JSON shapes.
