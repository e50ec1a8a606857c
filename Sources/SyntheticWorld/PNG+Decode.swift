import CZlib

extension PNG {
    /// What the IHDR chunk says about the pixels.
    struct Header: Equatable {
        var width: Int
        var height: Int
        /// 3 (RGB) or 4 (RGBA), one byte each.
        var channels: Int
        var rowBytes: Int { width * channels }
    }

    /// Decodes a PNG from untrusted bytes. Every chunk's length and CRC are checked before its data is
    /// read; IHDR must come first with exactly 13 bytes; the size is bounded by `maxSide` and `maxPixels`
    /// before anything is allocated; the image data must inflate to exactly the rows the header implies
    /// (zlib never writes past that buffer). A damaged, truncated or oversized file is a thrown
    /// `Failure`, never a trap or a huge allocation. Time and memory are linear in the file and the image.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> RGBImage {
        guard bytes.count >= 8, bytes[0..<8].elementsEqual(signature) else { throw .notPNG }
        var offset = 8
        var header: Header?
        var compressed: [UInt8] = []
        var ended = false
        while !ended {
            guard bytes.count - offset >= 12 else {
                throw .truncated(offset == bytes.count ? "the file ends at byte \(offset) without an IEND chunk"
                                                       : "the chunk at byte \(offset) is cut short")
            }
            let length = Int(readUInt32(bytes, offset))
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw .corrupt("the chunk type at byte \(offset + 4) is not four ASCII letters")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= bytes.count - offset - 12 else {
                throw .truncated("the \(type) chunk at byte \(offset) declares \(length) bytes, \(bytes.count - offset - 12) follow")
            }
            let dataEnd = offset + 8 + length
            guard crc32(bytes[(offset + 4)..<dataEnd]) == readUInt32(bytes, dataEnd) else {
                throw .corrupt("the \(type) chunk at byte \(offset) fails its CRC")
            }
            let data = bytes[(offset + 8)..<dataEnd]
            if offset == 8 && type != "IHDR" { throw .corrupt("the first chunk is \(type), not IHDR") }
            switch type {
            case "IHDR":
                guard header == nil else { throw .corrupt("a second IHDR chunk at byte \(offset)") }
                header = try readHeader(data)
            case "IDAT": compressed += data
            case "IEND": ended = true
            default: break  // ancillary chunks (text, gamma, …) change nothing JudgeFlow reads
            }
            offset = dataEnd + 4
        }
        guard let header else { throw .corrupt("no IHDR chunk") }
        guard !compressed.isEmpty else { throw .corrupt("no IDAT chunk") }
        let raw = try inflate(compressed, expected: (header.rowBytes + 1) * header.height)
        return try unfilter(raw, header)
    }

    /// The 13-byte IHDR: width, height (big-endian), bit depth, colour type, compression, filter, interlace.
    static func readHeader(_ data: ArraySlice<UInt8>) throws(Failure) -> Header {
        guard data.count == 13 else { throw .corrupt("the IHDR chunk holds \(data.count) bytes; it must hold 13") }
        let b = Array(data)
        let width = Int(readUInt32(b, 0)), height = Int(readUInt32(b, 4))
        guard width > 0, height > 0 else { throw .corrupt("image size \(width)×\(height): both sides must be positive") }
        guard width <= maxSide, height <= maxSide, width * height <= maxPixels else { throw .tooLarge(width: width, height: height) }
        guard b[8] == 8 else { throw .unsupported("bit depth \(b[8])") }
        let channels: Int
        switch b[9] {
        case 2: channels = 3
        case 6: channels = 4
        default: throw .unsupported("colour type \(b[9])")
        }
        guard b[10] == 0 else { throw .corrupt("compression method \(b[10]) (PNG defines only 0)") }
        guard b[11] == 0 else { throw .corrupt("filter method \(b[11]) (PNG defines only 0)") }
        guard b[12] == 0 else { throw .unsupported(b[12] == 1 ? "interlacing" : "interlace method \(b[12])") }
        return Header(width: width, height: height, channels: channels)
    }

    /// Undoes the row filters of `raw` (height rows of one filter byte and `rowBytes` bytes, as
    /// `inflate` checked) and drops any alpha channel.
    static func unfilter(_ raw: [UInt8], _ header: Header) throws(Failure) -> RGBImage {
        let stride = header.rowBytes, c = header.channels
        var image = RGBImage(width: header.width, height: header.height)
        var previous = [UInt8](repeating: 0, count: stride), row = previous
        for y in 0..<header.height {
            let start = y * (stride + 1)
            let filter = raw[start]
            guard filter <= 4 else { throw .corrupt("row \(y) has filter type \(filter); PNG defines 0…4") }
            for i in 0..<stride {
                // row[i - c] is this row's already decoded byte to the left.
                let a = i >= c ? Int(row[i - c]) : 0
                let b = Int(previous[i])
                let upperLeft = i >= c ? Int(previous[i - c]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                default:
                    let p = a + b - upperLeft, pa = abs(p - a), pb = abs(p - b), pc = abs(p - upperLeft)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : upperLeft)
                }
                row[i] = UInt8(truncatingIfNeeded: Int(raw[start + 1 + i]) + predictor)
            }
            for x in 0..<header.width {
                let o = (y * header.width + x) * 3
                image.pixels[o] = row[x * c]
                image.pixels[o + 1] = row[x * c + 1]
                image.pixels[o + 2] = row[x * c + 2]
            }
            swap(&previous, &row)
        }
        return image
    }

    static func readUInt32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
    }

    /// Inflates into a buffer of exactly `expected` bytes: zlib stops at its end (Z_BUF_ERROR), so data
    /// that would inflate to more is refused without being written anywhere.
    static func inflate(_ data: [UInt8], expected: Int) throws(Failure) -> [UInt8] {
        var length = uLong(expected)
        var out = [UInt8](repeating: 0, count: expected)
        let status = uncompress(&out, &length, data, uLong(data.count))
        switch status {
        case Z_OK where Int(length) == expected: return out
        case Z_OK: throw .corrupt("the image data inflates to \(length) bytes; the header's size needs \(expected)")
        case Z_BUF_ERROR: throw .corrupt("the image data inflates to more than the \(expected) bytes the header's size needs")
        default: throw .corrupt("the image data is not a valid zlib stream (zlib status \(status))")
        }
    }
}
