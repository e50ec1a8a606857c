import Foundation
@testable import SyntheticWorld
import Testing

/// A PNG assembled chunk by chunk, so a test can break exactly one thing.
func pngBytes(width: Int, height: Int, ihdrLength: Int = 13, colourType: UInt8 = 2, rows: [[UInt8]]? = nil) -> [UInt8] {
    let channels = colourType == 6 ? 4 : 3
    let raw = (rows ?? Array(repeating: [0] + Array(repeating: 128, count: width * channels), count: height)).flatMap { $0 }
    var out = PNG.signature
    let header = PNG.bigEndian(UInt32(width)) + PNG.bigEndian(UInt32(height)) + [8, colourType, 0, 0, 0]
    PNG.chunk("IHDR", Array(header.prefix(ihdrLength)), into: &out)
    PNG.chunk("IDAT", PNG.deflate(raw), into: &out)
    PNG.chunk("IEND", [], into: &out)
    return out
}

@Suite struct PNGDecodingTests {
    @Test(arguments: [0, 8, 12])
    func anIHDRChunkShorterThan13BytesIsAnErrorNotATrap(length: Int) {
        #expect(throws: PNG.Failure.corrupt("the IHDR chunk holds \(length) bytes; it must hold 13")) {
            try PNG.decode(pngBytes(width: 24, height: 24, ihdrLength: length))
        }
    }

    @Test func anImageWiderThanTheLimitIsRefusedBeforeItsRowsAreAllocated() {
        // 100000×1 used to inflate 300 kB and then read patches of a 100000-pixel-wide "square" image.
        #expect(throws: PNG.Failure.tooLarge(width: 100_000, height: 1)) { try PNG.decode(pngBytes(width: 100_000, height: 1)) }
        #expect(throws: PNG.Failure.tooLarge(width: 4097, height: 1)) { try PNG.decode(pngBytes(width: 4097, height: 1)) }
        #expect(throws: PNG.Failure.tooLarge(width: 4096, height: 4096)) { try PNG.decode(pngBytes(width: 4096, height: 4096, rows: [])) }
        var huge = pngBytes(width: 1, height: 1)
        huge.replaceSubrange(16..<24, with: [255, 255, 255, 255, 255, 255, 255, 255])
        PNG.chunkCRCFix(&huge, at: 8)
        #expect(throws: PNG.Failure.tooLarge(width: 4_294_967_295, height: 4_294_967_295)) { try PNG.decode(huge) }
    }

    @Test func aZeroSideIsAnError() {
        #expect(throws: PNG.Failure.corrupt("image size 0×24: both sides must be positive")) {
            try PNG.decode(pngBytes(width: 0, height: 24, rows: []))
        }
    }

    @Test func imageDataOfAnotherSizeThanTheHeaderSaysIsAnError() {
        let rows = Array(repeating: [UInt8(0)] + Array(repeating: 128, count: 24 * 3), count: 12)
        #expect(throws: PNG.Failure.corrupt("the image data inflates to 876 bytes; the header's size needs 1752")) {
            try PNG.decode(pngBytes(width: 24, height: 24, rows: rows))
        }
        #expect(throws: PNG.Failure.corrupt("the image data inflates to more than the 438 bytes the header's size needs")) {
            try PNG.decode(pngBytes(width: 24, height: 6, rows: rows))
        }
    }

    @Test func everyTruncationOfAValidFileIsAThrownError() throws {
        let bytes = pngBytes(width: 5, height: 3)
        _ = try PNG.decode(bytes)
        for length in 0..<bytes.count {
            #expect(throws: PNG.Failure.self) { try PNG.decode(Array(bytes.prefix(length))) }
        }
    }

    @Test func aChunkFailingItsCRCIsAnError() {
        var bytes = pngBytes(width: 4, height: 4)
        bytes[bytes.count - 17] ^= 1  // the last byte of IDAT's data (IDAT's CRC and IEND follow)
        #expect(throws: PNG.Failure.self) { try PNG.decode(bytes) }
    }

    @Test func anUnknownRowFilterIsAnError() {
        let rows: [[UInt8]] = [[0, 1, 2, 3], [7, 1, 2, 3]]
        #expect(throws: PNG.Failure.corrupt("row 1 has filter type 7; PNG defines 0…4")) {
            try PNG.decode(pngBytes(width: 1, height: 2, rows: rows))
        }
    }

    @Test func rgbaRowsUsingEveryFilterDecodeToTheirPixels() throws {
        // 2×4 RGBA; the expected pixels are worked by hand from the PNG specification's filter definitions.
        let rows: [[UInt8]] = [[1, 10, 20, 30, 255, 5, 5, 5, 0],   // Sub: the second pixel adds the first
                               [2, 1, 1, 1, 0, 2, 2, 2, 0],        // Up: adds the row above
                               [3, 0, 0, 0, 0, 0, 0, 0, 0],        // Average of left and above, rounded down
                               [4, 0, 0, 0, 0, 0, 0, 0, 0]]        // Paeth: here always the byte above
        let image = try PNG.decode(pngBytes(width: 2, height: 4, colourType: 6, rows: rows))
        #expect(image.pixels == [10, 20, 30, 15, 25, 35,
                                 11, 21, 31, 17, 27, 37,
                                 5, 10, 15, 11, 18, 26,
                                 5, 10, 15, 11, 18, 26])
    }
}

extension PNG {
    /// Recomputes the CRC of the chunk starting at `offset` after a test edited its data.
    static func chunkCRCFix(_ bytes: inout [UInt8], at offset: Int) {
        let length = Int(readUInt32(bytes, offset))
        bytes.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: bigEndian(crc32(bytes[(offset + 4)..<(offset + 8 + length)])))
    }
}
