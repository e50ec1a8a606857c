/// `judgeflow verify` and `judgeflow gc` (policy in ArtifactStore+Maintenance.swift and docs).
enum MaintenanceCommand {
    static func run(_ command: String, _ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--store"], booleans: ["--json", "--dry-run"])
        let store = try CLI.openStore(args)
        if command == "verify" {
            let report = store.verify()
            if args.flag("--json") {
                CLI.printJSON(["checked": report.checked, "corrupt": report.corrupt, "bytes": report.bytes,
                               "notQuarantined": report.notQuarantined, "unreadable": report.unreadable])
            } else {
                print("checked \(report.checked) objects (\(report.bytes) bytes): \(report.corrupt.count) corrupt")
                for hex in report.corrupt where !report.notQuarantined.contains(hex) {
                    print("  quarantined \(hex); the next run rebuilds what used it")
                }
                for hex in report.notQuarantined {
                    print("  NOT quarantined \(hex): it could not be moved to \(store.root)/quarantine (read-only store?); "
                          + "rerun verify with write access")
                }
                for line in report.unreadable { print("  unreadable \(line)") }
            }
            return report.corrupt.isEmpty && report.unreadable.isEmpty ? 0 : 1
        }
        do {
            let r = try store.collectGarbage(dryRun: args.flag("--dry-run"))
            let verb = args.flag("--dry-run") ? "would remove" : "removed"
            print("\(verb) \(r.removedActions) records and \(r.removedObjects) objects (\(r.freedBytes) bytes); "
                  + "kept \(r.keptActions) records and \(r.keptObjects) objects")
            return 0
        } catch {
            throw .failed(error.description)
        }
    }
}
