import ArtifactStore
import Foundation

/// Finished responses of one node, one file per request named by the SHA-256 of the request's body
/// (`<digest>.json`, the server's bytes as they came). A response is written to a temporary name and
/// renamed into place, so a file that exists is complete; a node killed mid-way and rerun finds every
/// finished request here and sends only the rest. The directory is the node's resume area, kept until
/// the node's outputs are recorded.
public struct ResponseCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static func name(of request: ChatRequest) -> String { Digest.of(request.body()).hex }

    func path(_ name: String) -> String { directory + "/" + name + ".json" }

    /// The stored response of a request, if one was stored and still reads as a chat completion.
    public func response(for request: ChatRequest) -> ChatResponse? {
        guard let data = FileManager.default.contents(atPath: path(Self.name(of: request))) else { return nil }
        return ChatResponse.parse(Array(data))
    }

    public func store(_ body: [UInt8], for request: ChatRequest) throws(BackendError) {
        let target = path(Self.name(of: request))
        let temporary = target + ".tmp-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(body).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, target) == 0 else { throw BackendError.cache(path: target, why: String(cString: strerror(errno))) }
        } catch let error as BackendError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .cache(path: target, why: "\(error)")
        }
    }
}
