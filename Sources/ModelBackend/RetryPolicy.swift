import Foundation

/// When and how long to wait before trying a request again: exponential backoff from `backoff` seconds,
/// doubled per attempt up to `maxBackoff`, with jitter (a random 50–100% of the step, so clients that
/// failed together do not retry together); a server's `Retry-After` is honoured instead when it sends one.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts after the first.
    public var retries: Int
    public var backoff: Double
    public var maxBackoff: Double

    public init(retries: Int = 5, backoff: Double = 0.5, maxBackoff: Double = 60) {
        self.retries = retries
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// Statuses worth another try: overload, rate limits, timeouts and server errors.
    public static func isRetryable(status: Int) -> Bool { [408, 409, 425, 429].contains(status) || status >= 500 }

    /// Seconds to wait before retry number `attempt` (0 for the first retry); `jitter` in 0..<1.
    public func delay(attempt: Int, retryAfter: Double?, jitter: Double) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), 600) }
        let step = min(maxBackoff, backoff * pow(2, Double(min(attempt, 30))))
        return step * (0.5 + 0.5 * jitter)
    }

    /// A `Retry-After` header's wait in seconds: delta-seconds or an HTTP date (relative to `now`).
    public static func retryAfter(_ header: String?, now: Date = Date()) -> Double? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header), seconds.isFinite { return max(0, seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: header) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
