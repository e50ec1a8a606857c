import Foundation
import ModelBackend
import NodeKit

/// Params every model-facing node type shares to choose its model: `backend: embedded` (a checkpoint
/// input) or `backend: openai` (a model behind an OpenAI-compatible server). What enters the node's key
/// for a served model is its name, the user's `revision` and everything the node sends (prompts,
/// sampling params); the endpoint, the key's variable, timeouts and concurrency do not (they do not
/// change what a deterministic server answers). These params enter the key only with `backend: openai`, so
/// an embedded node's key is what it was before backends existed.
enum BackendParams {
    static let openai = [(param: "backend", value: "openai")]

    static func specs(alsoWith extra: [(param: String, value: String)] = []) -> [ParamSpec] {
        let with = openai + extra
        return [
            ParamSpec("backend", .oneOf(["embedded", "openai"]), default: .string("embedded"), onlyWith: openai,
                      doc: "embedded (the model input, a checkpoint) or openai (a model behind an OpenAI-compatible server)"),
            ParamSpec("endpoint", .string, default: .string(""), affectsOutput: false, onlyWith: with,
                      doc: "the server's base URL, e.g. http://127.0.0.1:8000/v1"),
            ParamSpec("model", .string, default: .string(""), onlyWith: with, doc: "the model name the server serves"),
            ParamSpec("revision", .string, default: .string(""), onlyWith: with,
                      doc: "your name for the served weights' version; change it when the weights behind the name change"),
            ParamSpec("api_key_env", .string, default: .string("OPENAI_API_KEY"), affectsOutput: false, onlyWith: with,
                      doc: "the environment variable holding the API key (the key itself never goes in a workflow)"),
            ParamSpec("timeout", .double, default: .double(120), range: 0.01...86_400, affectsOutput: false, onlyWith: with,
                      doc: "seconds without an answer before a request is retried"),
            ParamSpec("in_flight", .int, default: .int(8), range: 1...1024, affectsOutput: false, onlyWith: with,
                      doc: "requests in flight at once"),
            ParamSpec("retries", .int, default: .int(5), range: 0...1000, affectsOutput: false, onlyWith: with,
                      doc: "retries of a request after 429, 5xx, a timeout, a dropped connection or a garbled answer"),
            ParamSpec("backoff", .double, default: .double(0.5), range: 0...3600, affectsOutput: false, onlyWith: with,
                      doc: "seconds before the first retry, doubled per retry (with jitter); a Retry-After header wins"),
            ParamSpec("server", .string, default: .string(""), affectsOutput: false, onlyWith: with,
                      doc: "a `servers:` entry of the workflow: started for this node on a free port, serving its model input"),
            ParamSpec("server_command", .string, default: .string(""), onlyWith: with,
                      doc: "the server's command, with {model} and {port} (filled in from `servers:` by `server`)"),
            ParamSpec("server_timeout", .double, default: .double(600), range: 1...86_400, affectsOutput: false, onlyWith: with,
                      doc: "seconds the server may take to answer GET /v1/models after it starts"),
        ]
    }

    static func isRemote(_ params: [String: Value]) -> Bool { params["backend"] == .string("openai") }

    /// The model input is needed with the embedded backend, and with a managed server whose command names `{model}`.
    static func requiredInputs(_ params: [String: Value], modelInput: String, others: [String] = []) -> [String] {
        let served = isRemote(params) && !(params["server_command"]?.stringValue?.contains("{model}") ?? false)
        return (served ? [] : [modelInput]) + others
    }

    static func problems(_ params: [String: Value], needed: Bool? = nil) -> [ParamProblem] {
        guard needed ?? isRemote(params) else { return [] }
        var found: [ParamProblem] = []
        if let command = params["server_command"]?.stringValue, !command.isEmpty {
            if !command.contains("{port}") {
                found.append(ParamProblem(param: "server_command", "the server's command never names {port}, the port it must listen on"))
            }
            return found
        }
        let endpoint = params["endpoint"]?.stringValue ?? ""
        if endpoint.isEmpty {
            found.append(ParamProblem(param: "endpoint", "backend: openai needs the server's base URL, e.g. http://127.0.0.1:8000/v1, "
                                      + "or `server:` naming one of the workflow's `servers:`"))
        } else if (try? Endpoint(endpoint)) == nil {
            found.append(ParamProblem(param: "endpoint", "'\(endpoint)' is not an http(s) URL"))
        }
        if params["model"]?.stringValue?.isEmpty ?? true {
            found.append(ParamProblem(param: "model", "backend: openai needs the model name the server serves"))
        }
        return found
    }

    /// A node's connection to its model: the request layer (responses kept in the node's resume area), the
    /// managed server when the node has one, and the context with `model` set to the served name (a managed
    /// server's first listed model when `model` is empty). `finish` ends it.
    struct Session {
        let runner: RequestRunner
        let context: NodeContext
        let server: ManagedServer?
    }

    static func session(_ context: NodeContext, modelInput: String) throws -> Session {
        let p = context.params
        var server: ManagedServer?
        var base = try p.string("endpoint")
        let command = try p.string("server_command")
        if !command.isEmpty {
            let model = context.inputs[modelInput]?.first?.path ?? ""
            context.progress(0, "starting the server")
            server = try ManagedServer(template: command, model: model, logPath: try context.makeScratchDirectory() + "/server.log",
                                       directory: context.workspace, readyTimeout: try p.double("server_timeout"))
            base = server!.baseURL
            context.log("server ready at \(base): \(server!.command)")
        }
        let endpoint = try Endpoint(base, apiKey: Endpoint.key(fromEnvironment: try p.string("api_key_env")),
                                    timeout: try p.double("timeout"), inFlight: try p.int("in_flight"),
                                    retry: RetryPolicy(retries: try p.int("retries"), backoff: try p.double("backoff")))
        var served = context
        if let server, (try p.string("model")).isEmpty { served.params["model"] = .string(server.models().first ?? "") }
        return Session(runner: RequestRunner(endpoint: endpoint, cache: ResponseCache(directory: context.resumeDirectory + "/responses")),
                       context: served, server: server)
    }

    /// Ends a session: its server stopped, and the end of the server's log added to the node's log.
    static func finish(_ session: Session) {
        guard let server = session.server else { return }
        server.stop()
        session.context.log("server log (end):\n" + server.tail(2000))
    }

    /// Runs requests with progress on the node's line and a closing log line.
    static func run(_ requests: [ChatRequest], _ runner: RequestRunner, _ context: NodeContext, note: String) throws -> [ChatResponse] {
        let last = LastProgress()
        let responses = try runner.run(requests) { progress in
            last.value = progress
            context.progress(Double(progress.done) / Double(max(1, progress.total)), note + " " + progress.line)
        }
        context.log("\(note): " + (last.value?.line ?? "\(requests.count)/\(requests.count) requests (all kept from before)")
                    + " at \(runner.endpoint.baseURL.absoluteString)")
        return responses
    }
}

private final class LastProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: RequestRunner.Progress?
    var value: RequestRunner.Progress? {
        get { lock.withLock { stored } }
        set { lock.withLock { if (newValue?.done ?? 0) >= (stored?.done ?? 0) { stored = newValue } } }
    }
}
