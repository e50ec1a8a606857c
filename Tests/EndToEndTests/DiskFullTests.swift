import Foundation
import Testing

/// A store on a disk that fills up mid-run: the node that cannot store its output fails with the reason,
/// the process survives, the store stays consistent, and once there is room the next run resumes.
/// Needs a small tmpfs, which takes root (as CI and this machine kind have).
@Suite struct DiskFullTests {
    func sh(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aFullDiskFailsTheNodeCleanlyAndTheRunResumesOnceThereIsRoom() throws {
        let p = Project()
        let mountPoint = p.directory + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard sh("mount -t tmpfs -o size=1m tmpfs '\(mountPoint)'") == 0 else {
            Issue.record("could not mount a 1 MiB tmpfs (needs root): the disk-full path was NOT tested")
            return
        }
        defer { _ = sh("umount '\(mountPoint)'") }
        p.write("wf.yaml", """
        stages:
          small: {uses: shell, with: {cmd: "echo fits"}}
          big: {uses: shell, with: {cmd: "head -c 3000000 /dev/zero | tr '\\\\0' x"}}
        """)
        let store = mountPoint + "/store"
        let full = p.judgeflow("run", "wf.yaml", "-j", "1", "--store", store)
        #expect(full.status == 1)
        #expect(full.stderr.contains("✗ big FAILED"))
        #expect(full.stderr.contains("the store's filesystem is full"))
        #expect(full.stderr.contains("✓ small"))
        let verify = p.judgeflow("verify", "--store", store)
        #expect(verify.stdout.contains(": 0 corrupt"), "\(verify.stdout)")
        #expect(sh("mount -o remount,size=16m '\(mountPoint)'") == 0)
        let resumed = p.judgeflow("run", "wf.yaml", "--store", store)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.counts?.ran == 1 && resumed.counts?.cached == 1)
    }
}
