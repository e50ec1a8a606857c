import CZlib

/// PNG for 8-bit RGB images: an encoder (filter 0, zlib) and a decoder for what it and other common
/// encoders write (8-bit RGB or RGBA, non-interlaced, all five row filters). The decoder reads untrusted
/// files (benchmark images), so it checks every chunk before using it (PNG+Decode.swift).
public enum PNG {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case notPNG
        case unsupported(String)
        case corrupt(String)
        case truncated(String)
        case tooLarge(width: Int, height: Int)

        public var description: String {
            switch self {
            case .notPNG: "not a PNG file (the first 8 bytes are not the PNG signature)"
            case .unsupported(let what): "unsupported PNG: \(what) (JudgeFlow reads 8-bit RGB/RGBA, non-interlaced)"
            case .corrupt(let what): "corrupt PNG: \(what)"
            case .truncated(let what): "truncated PNG: \(what) (the file was cut short; copy it again)"
            case .tooLarge(let width, let height):
                "PNG image \(width)×\(height) is too large: JudgeFlow reads at most \(maxSide) pixels a side "
                    + "and \(maxPixels) pixels in all"
            }
        }
    }

    /// The largest image side the decoder accepts.
    public static let maxSide = 4096
    /// The largest pixel count the decoder accepts (2048×2048): the inflated rows then take at most 16 MiB.
    public static let maxPixels = 1 << 22

    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    public static func encode(_ image: RGBImage) -> [UInt8] {
        var raw = [UInt8]()
        raw.reserveCapacity((image.width * 3 + 1) * image.height)
        for y in 0..<image.height {
            raw.append(0)
            raw += image.pixels[(y * image.width * 3)..<((y + 1) * image.width * 3)]
        }
        var out = signature
        var header = [UInt8]()
        header += bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]
        chunk("IHDR", header, into: &out)
        chunk("IDAT", deflate(raw), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        out += bigEndian(UInt32(data.count)) + typed
        out += bigEndian(crc32(typed[...]))
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        _ = compress2(&out, &length, data, uLong(data.count), 9)
        return Array(out[0..<Int(length)])
    }
}
