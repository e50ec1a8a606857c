/// The file format of `FileDigestCache`, version 1: a header line
/// `judgeflow-file-digests 1 <SHA-256 of everything after it>`, then one line per entry,
/// `<device> <inode> <size> <mtime s> <mtime ns> <ctime s> <ctime ns> <digest> <name>` (the name last, so it
/// may hold spaces; names with a newline are never recorded). Anything that does not parse, or whose
/// checksum does not match, decodes as nil: the cache is then empty.
extension FileDigestCache {
    static let magic = "judgeflow-file-digests"
    static let formatVersion = 1

    static func encode(_ entries: [String: Entry]) -> [UInt8] {
        var body = ""
        for name in entries.keys.sorted() {
            let e = entries[name]!, s = e.status
            body += "\(s.device) \(s.inode) \(s.size) \(s.mtime) \(s.mtimeNanoseconds) \(s.ctime) \(s.ctimeNanoseconds) \(e.digest.hex) \(name)\n"
        }
        let bytes = Array(body.utf8)
        return Array("\(magic) \(formatVersion) \(Digest.of(bytes).hex)\n".utf8) + bytes
    }

    static func decode(_ bytes: [UInt8]) -> [String: Entry]? {
        guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = bytes[..<headerEnd].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard header.count == 3, String(decoding: header[0], as: UTF8.self) == magic,
              String(decoding: header[1], as: UTF8.self) == String(formatVersion) else { return nil }
        let body = bytes[(headerEnd + 1)...]
        guard Digest.of(body).hex == String(decoding: header[2], as: UTF8.self) else { return nil }
        var entries: [String: Entry] = [:]
        for line in body.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 8, omittingEmptySubsequences: false)
            guard fields.count == 9 else { return nil }
            let numbers = fields[0..<7].compactMap { integer($0) }
            guard numbers.count == 7, let digest = Digest(hex: String(decoding: fields[7], as: UTF8.self)), !fields[8].isEmpty else { return nil }
            let status = Status(device: UInt64(bitPattern: numbers[0]), inode: UInt64(bitPattern: numbers[1]), size: numbers[2],
                                mtime: numbers[3], mtimeNanoseconds: numbers[4], ctime: numbers[5], ctimeNanoseconds: numbers[6])
            entries[String(decoding: fields[8], as: UTF8.self)] = Entry(status: status, digest: digest)
        }
        return entries
    }

    /// A decimal integer, optionally negative, that fits 64 bits (read as unsigned for device and inode).
    static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var rest = digits[...]
        let negative = rest.first == UInt8(ascii: "-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty, rest.count <= 20 else { return nil }
        var value: UInt64 = 0
        for d in rest {
            guard (48...57).contains(d) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 48))
            guard !o1, !o2 else { return nil }
            value = a
        }
        return negative ? (value <= UInt64(Int64.max) ? -Int64(value) : nil) : Int64(bitPattern: value)
    }
}
