/// The head of an HTTP/1.x message, read from its bytes (everything before the blank line): the start
/// line's words (`POST /v1/chat/completions HTTP/1.1`, `HTTP/1.1 200 OK`) and the header fields, names
/// lower-cased and values without surrounding spaces or tabs (a repeated field: its last value). Read byte
/// by byte, without Foundation's string searching; shared by the client's reader and `judgeflow serve`.
public struct HTTPHead: Sendable {
    /// The start line split at spaces (at most three words: the third keeps any further spaces).
    public var start: [String]
    public var fields: [String: String] = [:]

    public init(_ bytes: ArraySlice<UInt8>) {
        var lines = bytes.split(separator: 13, omittingEmptySubsequences: false).map { $0.first == 10 ? $0.dropFirst() : $0 }
        start = lines.removeFirst().split(separator: UInt8(ascii: " "), maxSplits: 2).map { String(decoding: $0, as: UTF8.self) }
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            var value = line[(colon + 1)...]
            while let c = value.first, c == 32 || c == 9 { value = value.dropFirst() }
            while let c = value.last, c == 32 || c == 9 { value = value.dropLast() }
            let name = String(decoding: line[..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
            fields[name] = String(decoding: value, as: UTF8.self)
        }
    }

    /// Where the head ends in `data` (the index of its blank line's `\r\n\r\n`), searching from `from`.
    public static func end(in data: [UInt8], from: Int = 0) -> Int? { find([13, 10, 13, 10], in: data, from: from) }

    /// The first index at or after `from` where `needle` starts in `data`.
    public static func find(_ needle: [UInt8], in data: [UInt8], from: Int) -> Int? {
        guard data.count >= needle.count + from else { return nil }
        var i = from
        while i <= data.count - needle.count {
            if data[i] == needle[0] && data[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
