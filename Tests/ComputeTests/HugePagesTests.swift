import Compute
import Testing

/// `HugePages.allocate` hands out memory the caller can use like any other: aligned as promised and
/// writable end to end, whether or not the kernel backs it with huge pages.
struct HugePagesTests {
    @Test(arguments: [64, 4096, HugePages.size - 4, HugePages.size, HugePages.size + 4100, 3 * HugePages.size + 64])
    func allocationIsAlignedAndUsableToItsLastByte(bytes: Int) {
        let raw = HugePages.allocate(bytes: bytes)
        defer { raw.deallocate() }
        let address = Int(bitPattern: raw)
        #expect(address % 64 == 0)
        if HugePages.enabled && bytes >= HugePages.size { #expect(address % HugePages.size == 0) }
        let floats = raw.bindMemory(to: Float.self, capacity: bytes / 4)
        for i in 0..<bytes / 4 { floats[i] = Float(i % 1000) }
        #expect(floats[bytes / 4 - 1] == Float((bytes / 4 - 1) % 1000))
        #expect(floats[0] == 0 && floats[1] == 1)
    }
}
