import CCrypto

/// A SHA-256 content digest, written as 64 lowercase hex characters. Blobs are named by it and
/// node keys are digests too.
public struct Digest: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let hex: String

    public init?(hex: String) {
        // Byte checks, not Character properties: this runs for every digest in every record read.
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = hex
    }

    init(bytes: [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var chars = [UInt8](repeating: 0, count: 64)
        for (i, b) in bytes.enumerated() {
            chars[2 * i] = digits[Int(b >> 4)]
            chars[2 * i + 1] = digits[Int(b & 15)]
        }
        hex = String(decoding: chars, as: UTF8.self)
    }

    public static func of(_ bytes: some Collection<UInt8>) -> Digest {
        var hasher = SHA256()
        hasher.update(Array(bytes))
        return hasher.finish()
    }

    public static func of(_ text: String) -> Digest { of(Array(text.utf8)) }

    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 digest"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

/// Incremental SHA-256 through OpenSSL's EVP interface (uses the CPU's SHA extensions: ~1 GB/s here).
public struct SHA256: ~Copyable {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 0 { EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ text: String) { update(Array(text.utf8)) }

    public consuming func finish() -> Digest {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Digest(bytes: out)
    }
}
