import Compute
import Testing

/// `HugePages.map` hands out memory the caller can use like any other: zeroed, aligned to 2 MiB and
/// writable to its last byte, whether or not the kernel backs it with huge pages; below 2 MiB (or
/// switched off) it declines and the caller allocates ordinary memory.
struct HugePagesTests {
    @Test(arguments: [HugePages.size, HugePages.size + 4100, 3 * HugePages.size + 64])
    func mappingIsZeroedAlignedAndUsableToItsLastByte(bytes: Int) throws {
        try #require(HugePages.enabled, "huge pages are off here")
        let region = try #require(HugePages.map(bytes: bytes))
        defer { HugePages.unmap(region, bytes: bytes) }
        #expect(Int(bitPattern: region) % HugePages.size == 0)
        let floats = region.bindMemory(to: Float.self, capacity: bytes / 4)
        #expect(floats[0] == 0 && floats[bytes / 4 - 1] == 0)
        for i in 0..<bytes / 4 { floats[i] = Float(i % 1000) }
        #expect(floats[1] == 1 && floats[bytes / 4 - 1] == Float((bytes / 4 - 1) % 1000))
    }

    @Test func smallRequestsAreDeclined() {
        #expect(HugePages.map(bytes: 4096) == nil)
        #expect(HugePages.map(bytes: HugePages.size - 4) == nil)
    }
}
