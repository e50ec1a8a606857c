import Foundation

/// The request layer: sends a node's chat requests with up to `endpoint.inFlight` in flight, retries what
/// is worth retrying (429, 5xx, timeouts, dropped connections, a garbled answer) with `RetryPolicy`'s
/// backoff, keeps each finished response in the `ResponseCache` as it arrives, and returns the responses
/// in request order. Requests already in the cache are not sent. On a failure that retries cannot fix,
/// the requests in flight finish (and are kept), no new one starts, and the failure is thrown.
public struct RequestRunner: Sendable {
    /// Progress as requests finish: `done` counts cached ones too.
    public struct Progress: Sendable, Equatable {
        public var done: Int
        public var total: Int
        public var fromCache: Int
        public var completionTokens: Int
        public var seconds: Double
        public var tokensPerSecond: Double { seconds > 0 ? Double(completionTokens) / seconds : 0 }

        public var line: String {
            "\(done)/\(total) requests" + (fromCache > 0 ? " (\(fromCache) kept from before)" : "")
                + (completionTokens > 0 ? String(format: ", %.0f tokens/s", tokensPerSecond) : "")
        }
    }

    public let endpoint: Endpoint
    public let transport: any HTTPTransport
    public let cache: ResponseCache?
    /// The chat URL and headers, made once for all requests.
    private let chatURL: URL, headers: [String: String]

    public init(endpoint: Endpoint, transport: (any HTTPTransport)? = nil, cache: ResponseCache?) {
        self.endpoint = endpoint
        chatURL = endpoint.chatURL
        headers = endpoint.headers
        self.transport = transport ?? (endpoint.baseURL.scheme?.lowercased() == "https"
            ? URLSessionTransport(connections: endpoint.inFlight) : SocketTransport())
        self.cache = cache
    }

    public func run(_ requests: [ChatRequest], progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws(BackendError)
        -> [ChatResponse] {
        let state = RunState(total: requests.count)
        var pending: [Int] = []
        for (i, request) in requests.enumerated() {
            if let kept = cache?.response(for: request) { state.results[i] = kept } else { pending.append(i) }
        }
        state.fromCache = requests.count - pending.count
        state.done = state.fromCache
        if !pending.isEmpty {
            let pending = pending, start = Date(), group = DispatchGroup()
            for _ in 0..<min(endpoint.inFlight, pending.count) {
                group.enter()
                let worker = Thread {
                    defer { group.leave() }
                    while let next = state.take(from: pending) {
                        switch attempt(requests[next]) {
                        case .success(let (response, body)):
                            do throws(BackendError) {
                                try cache?.store(body, for: requests[next])
                                progress(state.finish(next, response, seconds: Date().timeIntervalSince(start)))
                            } catch {
                                state.fail(next, error)
                            }
                        case .failure(let error):
                            state.fail(next, error)
                        }
                    }
                }
                worker.stackSize = 1 << 20
                worker.start()
            }
            group.wait()
        }
        if let (_, error) = state.failure { throw error }
        return state.results.map { $0! }
    }

    /// The model names the server lists (`GET {base}/models`); also how a managed server's readiness is seen.
    public func models() throws(BackendError) -> [String] {
        switch transport.send(endpoint.modelsURL, body: nil, headers: endpoint.headers, timeout: endpoint.timeout) {
        case .failure(let failure): throw .gaveUp(url: endpoint.modelsURL.absoluteString, attempts: 1, last: failure)
        case .success(let reply):
            guard reply.status == 200 else {
                throw .rejected(url: endpoint.modelsURL.absoluteString, .status(reply.status, excerpt: BackendError.excerpt(reply.body)))
            }
            struct List: Decodable { struct Model: Decodable { var id: String }; var data: [Model] }
            guard let list = try? JSONDecoder().decode(List.self, from: Data(reply.body)) else {
                throw .rejected(url: endpoint.modelsURL.absoluteString, .malformed(excerpt: BackendError.excerpt(reply.body)))
            }
            return list.data.map(\.id)
        }
    }

    /// One request with its retries.
    func attempt(_ request: ChatRequest) -> Result<(ChatResponse, [UInt8]), BackendError> {
        let url = chatURL, body = request.body()
        var tries = 0
        while true {
            tries += 1
            let failure: BackendError.Failure
            var retryAfter: Double?
            switch transport.send(url, body: body, headers: headers, timeout: endpoint.timeout) {
            case .failure(let f):
                failure = f
            case .success(let reply) where reply.status == 200:
                if let response = ChatResponse.parse(reply.body) { return .success((response, reply.body)) }
                failure = .malformed(excerpt: BackendError.excerpt(reply.body))
            case .success(let reply):
                failure = .status(reply.status, excerpt: BackendError.excerpt(reply.body))
                guard RetryPolicy.isRetryable(status: reply.status) else { return .failure(.rejected(url: url.absoluteString, failure)) }
                retryAfter = RetryPolicy.retryAfter(reply.headers["retry-after"])
            }
            guard tries <= endpoint.retry.retries else { return .failure(.gaveUp(url: url.absoluteString, attempts: tries, last: failure)) }
            Thread.sleep(forTimeInterval: endpoint.retry.delay(attempt: tries - 1, retryAfter: retryAfter, jitter: Double.random(in: 0..<1)))
        }
    }
}

/// What the worker threads share: the next request to send, the results, the first failure.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    var results: [ChatResponse?]
    var done = 0, fromCache = 0, tokens = 0
    private var cursor = 0
    let total: Int
    private(set) var failure: (Int, BackendError)?

    init(total: Int) {
        self.total = total
        results = Array(repeating: nil, count: total)
    }

    /// The next pending request, or nil when all are taken or one failed.
    func take(from pending: [Int]) -> Int? {
        lock.withLock {
            guard failure == nil, cursor < pending.count else { return nil }
            cursor += 1
            return pending[cursor - 1]
        }
    }

    func finish(_ index: Int, _ response: ChatResponse, seconds: Double) -> RequestRunner.Progress {
        lock.withLock {
            results[index] = response
            done += 1
            tokens += response.usage?.completionTokens ?? 0
            return RequestRunner.Progress(done: done, total: total, fromCache: fromCache, completionTokens: tokens, seconds: seconds)
        }
    }

    /// Keeps the failure of the earliest request, so the error reported does not depend on thread timing.
    func fail(_ index: Int, _ error: BackendError) {
        lock.withLock { if failure == nil || index < failure!.0 { failure = (index, error) } }
    }
}
