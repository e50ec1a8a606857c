import Foundation

/// Image bytes carried inside a benchmark file (base64 in VLMEvalKit's TSV and in the parquet's JSON-lines
/// conversion), and what format they are, read from their first bytes — never from a file name, which
/// VLMEvalKit sets to `.jpg` whatever the bytes are. The bytes are kept as they are: the embedded judge
/// reads PNG, and a model served over HTTP takes the file as it is.
enum EmbeddedImage {
    /// The file extension for the format the bytes start with, or nil if none of PNG, JPEG, GIF, WebP, BMP.
    static func fileExtension(of bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "jpg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "webp" }
        if starts(Array("BM".utf8)) && bytes.count > 26 { return "bmp" }
        return nil
    }

    enum Decoded {
        case image(bytes: [UInt8], fileExtension: String)
        case notBase64
        case unknownFormat
        case tooLarge
    }

    /// Base64 text → image bytes and extension. `maxBytes` bounds the decoded size before decoding.
    static func decode(base64 text: String, maxBytes: Int) -> Decoded {
        guard text.utf8.count / 4 * 3 <= maxBytes + 3 else { return .tooLarge }
        guard let data = Data(base64Encoded: text) else { return .notBase64 }
        let bytes = [UInt8](data)
        guard bytes.count <= maxBytes else { return .tooLarge }
        guard let ext = fileExtension(of: bytes) else { return .unknownFormat }
        return .image(bytes: bytes, fileExtension: ext)
    }
}
