import ArtifactStore
import Foundation

/// The private directories node executions run in (`out/` for outputs, `node.log`, a scratch directory
/// when a node asks for one), reused within a run: a directory its node left as it found it — an empty
/// `out/` and its log, nothing else — goes to the next node instead of being removed and made anew. On
/// ext4 each new inode costs a scan past recently freed ones, which was a fifth of a 1000-stage cold run
/// of trivial shell stages. What a node leaves anywhere else makes its directory go, as before; what a
/// killed run leaves under the store's `tmp/` is removed by `gc`.
final class WorkDirectories: @unchecked Sendable {
    private let store: any ArtifactStorage
    private let lock = NSLock()
    private var idle: [String] = []

    init(store: any ArtifactStorage) { self.store = store }

    deinit { for directory in idle { store.removeWorkDirectory(directory) } }

    /// A directory holding an empty `out/` (and perhaps a `node.log` the next `LogSink` truncates).
    func take() throws -> String {
        if let directory = lock.withLock({ idle.popLast() }) { return directory }
        let directory = try store.makeWorkDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: false)
        return directory
    }

    /// Keeps `directory` for the next node when it holds nothing but an empty `out/` and `node.log`;
    /// removes it otherwise.
    func give(_ directory: String) {
        let files = FileManager.default
        let entries = Set((try? files.contentsOfDirectory(atPath: directory)) ?? ["?"])
        if entries.isSubset(of: ["out", "node.log"]), entries.contains("out"),
           (try? files.contentsOfDirectory(atPath: directory + "/out"))?.isEmpty == true {
            lock.withLock { idle.append(directory) }
        } else {
            store.removeWorkDirectory(directory)
        }
    }
}
