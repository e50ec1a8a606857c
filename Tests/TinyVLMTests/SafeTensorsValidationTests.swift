import Testing
import TinyVLM

/// The container is read before anything in it is trusted: shapes, offsets and metadata are checked
/// before values are allocated.
@Suite struct SafeTensorsValidationTests {
    /// A safetensors file with a hand-written header and `dataBytes` zero bytes of data.
    func file(_ header: String, dataBytes: Int) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + [UInt8](repeating: 0, count: dataBytes)
    }

    func failure(_ bytes: [UInt8]) -> SafeTensors.Failure? {
        do { _ = try SafeTensors.decode(bytes) } catch { return error }
        return nil
    }

    @Test func negativeOrOverflowingShapesAreErrors() {
        #expect(failure(file(#"{"w":{"dtype":"F32","shape":[-1,-4],"data_offsets":[0,16]}}"#, dataBytes: 16))?.message
                == ("tensor 'w' has an invalid shape [-1, -4]"))
        // 2^31 · 2^31 · 4 bytes wraps to 0 in unchecked arithmetic.
        #expect(failure(file(#"{"w":{"dtype":"F32","shape":[2147483648,2147483648],"data_offsets":[0,0]}}"#, dataBytes: 0))?.message
                == ("tensor 'w' has an invalid shape [2147483648, 2147483648]"))
    }

    @Test func offsetsOutsideTheDataAreErrors() {
        #expect(failure(file(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}"#, dataBytes: 16)) != nil)
        #expect(failure(file(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[8,-8]}}"#, dataBytes: 16)) != nil)
        #expect(failure(file(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}"#, dataBytes: 16))?.message
                == ("tensor 'w' data_offsets span 12 bytes; shape [4] needs 16"))
    }

    @Test func tensorsSharingBytesCannotClaimMoreThanTheFileHolds() {
        let entries = (0..<3).map { #""w\#($0)":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}"# }
        #expect(failure(file("{" + entries.joined(separator: ",") + "}", dataBytes: 16))?.message
                == ("tensors claim more than the 16 data bytes (overlapping data_offsets)"))
    }

    @Test func nonStringMetadataIsAnError() {
        #expect(failure(file(#"{"__metadata__":{"optimizer_step":3}}"#, dataBytes: 0))?.message == "__metadata__ is not a map of strings")
    }
}
