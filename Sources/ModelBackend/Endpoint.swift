import Foundation

/// Where a model is served and how to talk to it. The API key is read from the environment variable
/// the workflow names — the key itself never appears in a workflow, a node key or a record.
public struct Endpoint: Sendable, Equatable {
    public var baseURL: URL
    public var apiKey: String?
    /// Seconds without an answer before an attempt counts as timed out.
    public var timeout: Double
    /// Requests in flight at once.
    public var inFlight: Int
    public var retry: RetryPolicy

    public init(_ base: String, apiKey: String? = nil, timeout: Double = 120, inFlight: Int = 8,
                retry: RetryPolicy = RetryPolicy()) throws(BackendError) {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else { throw .badEndpoint(base) }
        baseURL = url
        self.apiKey = apiKey
        self.timeout = timeout
        self.inFlight = max(1, inFlight)
        self.retry = retry
    }

    /// The key held by environment variable `name` (nil when `name` is empty or the variable unset).
    public static func key(fromEnvironment name: String) -> String? {
        guard !name.isEmpty, let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    var chatURL: URL { baseURL.appendingPathComponent("chat/completions") }
    var modelsURL: URL { baseURL.appendingPathComponent("models") }

    var headers: [String: String] {
        var fields = ["Content-Type": "application/json", "Accept": "application/json"]
        if let apiKey { fields["Authorization"] = "Bearer " + apiKey }
        return fields
    }
}
