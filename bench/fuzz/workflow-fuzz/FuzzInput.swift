/// One fuzz input read as the files a workflow load sees, plus `--set` overrides, so one byte string
/// reaches `extends:` chains and override parsing too. The bytes before the first line `#file NAME` are
/// `w.yaml`, the workflow loaded; each `#file NAME` line starts the file NAME (what `extends: NAME`
/// reads). Every line `#set TEXT` also passes TEXT as an override. Both are YAML comments, so the files
/// still parse as they would on disk.
struct FuzzInput {
    static let mainFile = "w.yaml"

    var files: [String: [UInt8]] = [:]
    var overrides: [String] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var name = Self.mainFile, current: [UInt8] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 10 { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            if let rest = Self.text(after: "#file ", in: line) {
                files[name] = current
                name = rest
                current = []
            } else {
                if let rest = Self.text(after: "#set ", in: line) { overrides.append(rest) }
                current += line
                if lineEnd < bytes.count { current.append(10) }
            }
            lineStart = lineEnd + 1
        }
        files[name] = current
    }

    /// The rest of `line` after `prefix`, if the line starts with it.
    static func text(after prefix: String, in line: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        let p = Array(prefix.utf8)
        guard line.count >= p.count, line.prefix(p.count).elementsEqual(p) else { return nil }
        return String(decoding: line.dropFirst(p.count), as: UTF8.self)
    }
}

/// What `readFile` throws for a name the input does not hold, as a missing file on disk would.
struct NoSuchFile: Error {
    var path: String
}
