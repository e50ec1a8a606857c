import CZlib

/// PNG for 8-bit RGB images: an encoder (filter 0, zlib) and a decoder for what it and other common
/// encoders write (8-bit RGB or RGBA, non-interlaced, all five row filters).
public enum PNG {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notPNG, unsupported(String), corrupt(String)
        public var description: String {
            switch self {
            case .notPNG: "not a PNG file"
            case .unsupported(let what): "unsupported PNG: \(what) (JudgeFlow reads 8-bit RGB/RGBA, non-interlaced)"
            case .corrupt(let what): "corrupt PNG: \(what)"
            }
        }
    }

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

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> RGBImage {
        guard bytes.count > 8, Array(bytes[0..<8]) == signature else { throw .notPNG }
        var offset = 8
        var width = 0, height = 0, channels = 3
        var compressed = [UInt8]()
        while offset + 8 <= bytes.count {
            let length = Int(readUInt32(bytes, offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw .corrupt("truncated \(type) chunk") }
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            switch type {
            case "IHDR":
                width = Int(readUInt32(data, 0))
                height = Int(readUInt32(data, 4))
                guard data[8] == 8 else { throw .unsupported("bit depth \(data[8])") }
                guard data[12] == 0 else { throw .unsupported("interlacing") }
                switch data[9] {
                case 2: channels = 3
                case 6: channels = 4
                default: throw .unsupported("colour type \(data[9])")
                }
            case "IDAT": compressed += data
            case "IEND": offset = bytes.count
            default: break
            }
            offset += 12 + length
        }
        guard width > 0, height > 0, width * height <= 1 << 26 else { throw .corrupt("bad dimensions") }
        let stride = width * channels
        let raw = try inflate(compressed, expected: (stride + 1) * height)
        var image = RGBImage(width: width, height: height)
        var previous = [UInt8](repeating: 0, count: stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            var row = Array(raw[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
            for i in 0..<stride {
                let a = i >= channels ? Int(row[i - channels]) : 0
                let b = Int(previous[i])
                let c = i >= channels ? Int(previous[i - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw .corrupt("row filter \(filter)")
                }
                row[i] = UInt8(truncatingIfNeeded: Int(row[i]) + predictor)
            }
            for x in 0..<width { image[x, y] = (row[x * channels], row[x * channels + 1], row[x * channels + 2]) }
            previous = row
        }
        return image
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }

    static func readUInt32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
    }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        out += bigEndian(UInt32(data.count)) + typed
        let crc = typed.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) }
        out += bigEndian(UInt32(crc))
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        _ = compress2(&out, &length, data, uLong(data.count), 9)
        return Array(out[0..<Int(length)])
    }

    static func inflate(_ data: [UInt8], expected: Int) throws(Failure) -> [UInt8] {
        var length = uLong(expected)
        var out = [UInt8](repeating: 0, count: expected)
        let status = uncompress(&out, &length, data, uLong(data.count))
        guard status == Z_OK, Int(length) == expected else { throw .corrupt("image data does not inflate to its size") }
        return out
    }
}
