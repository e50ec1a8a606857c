@testable import ArtifactStore
import Foundation
import Testing

/// Build locks as lease records (host, pid, token, expiry) that hold across hosts without `flock`.
@Suite struct LeaseLockTests {
    func writeRecord(_ path: String, host: String, pid: Int32, renewedAgo: Double, expiresIn: Double) {
        let now = Date().timeIntervalSince1970
        let record = LeaseLock.Record(host: host, pid: pid, token: "\(host):\(pid):1", renewed: now - renewedAgo, expires: now + expiresIn)
        try? Data(Records.encode(record)).write(to: URL(fileURLWithPath: path))
    }

    @Test func aLiveLeaseOfAnotherHostIsRespectedAndAnExpiredOneTakenOver() throws {
        let dir = temporaryDirectory()
        writeRecord(dir + "/k.lock", host: "node-17", pid: 4242, renewedAgo: 0, expiresIn: 30)
        #expect(try LeaseLock.acquire(dir + "/k.lock", wait: false) == nil)
        writeRecord(dir + "/k.lock", host: "node-17", pid: 4242, renewedAgo: 40, expiresIn: -10)
        let lease = try #require(try LeaseLock.acquire(dir + "/k.lock", wait: false))
        #expect(LeaseLock.read(dir + "/k.lock")?.token == lease.token && LeaseLock.read(dir + "/k.lock")?.host == LeaseLock.hostName)
    }

    @Test func aDeadHolderOnThisHostIsTakenOverAtOnceButNotWhileAnotherProcessRenewsItsLease() throws {
        let dir = temporaryDirectory()
        let dead: Int32 = 2_000_000_000    // beyond pid_max: no such process
        writeRecord(dir + "/k.lock", host: LeaseLock.hostName, pid: dead, renewedAgo: 0, expiresIn: 30)
        #expect(try LeaseLock.acquire(dir + "/k.lock", wait: false) == nil, "renewed just now: a joined process keeps it")
        writeRecord(dir + "/k.lock", host: LeaseLock.hostName, pid: dead, renewedAgo: 10, expiresIn: 20)
        #expect(try LeaseLock.acquire(dir + "/k.lock", wait: false) != nil)
    }

    @Test func aFileThatIsNoLeaseRecordIsReplaced() throws {
        let dir = temporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir + "/k.lock", contents: Data())
        #expect(try LeaseLock.acquire(dir + "/k.lock", wait: false) != nil)
    }

    @Test func aReleasedLeaseIsRemovedAndAJoinedOneOutlivesNothingButItsRenewals() throws {
        let dir = temporaryDirectory()
        var lease: LeaseLock? = try LeaseLock.acquire(dir + "/k.lock", wait: false)
        let token = try #require(lease?.token)
        #expect(LeaseLock.join(dir + "/k.lock", token: "someone-else") == nil)
        var joined = LeaseLock.join(dir + "/k.lock", token: token)
        #expect(joined != nil)
        joined = nil
        #expect(FileManager.default.fileExists(atPath: dir + "/k.lock"), "only the holder removes its lock")
        lease = nil
        #expect(!FileManager.default.fileExists(atPath: dir + "/k.lock"))
        _ = (lease, joined)
    }

    @Test func aHeldLeaseIsRenewedBeforeItExpires() throws {
        let dir = temporaryDirectory()
        let lease = try #require(try LeaseLock.acquire(dir + "/k.lock", wait: false))
        let first = try #require(LeaseLock.read(dir + "/k.lock"))
        usleep(UInt32(LeaseLock.renewInterval * 2.5 * 1_000_000))
        let later = try #require(LeaseLock.read(dir + "/k.lock"))
        #expect(later.token == first.token && later.expires > first.expires)
        withExtendedLifetime(lease) {}
    }

    @Test func gcIsRefusedWhileARunOfAnyHostHoldsALiveRunLease() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        try FileManager.default.createDirectory(atPath: store.root + "/locks/runs", withIntermediateDirectories: true)
        writeRecord(store.root + "/locks/runs/other.lock", host: "node-3", pid: 1, renewedAgo: 0, expiresIn: 30)
        #expect(try store.lockForCollection() == nil)
        writeRecord(store.root + "/locks/runs/other.lock", host: "node-3", pid: 1, renewedAgo: 60, expiresIn: -30)
        #expect(try store.lockForCollection() != nil)
        #expect(!FileManager.default.fileExists(atPath: store.root + "/locks/runs/other.lock"), "a stale run lease is cleared")
    }
}
