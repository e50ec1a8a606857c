// How fast a register tile can possibly run on this core, with nothing but its inner loop: packed A and B
// panels that stay in L1, no packing, no edges, C stored once per call. Compiled twice by
// kernel-ceiling.sh, for AVX2 (`haswell`, what JudgeFlow ships) and for AVX-512 (`znver4`, 32 vector
// registers), so the two instruction sets' ceilings are measured side by side; it also measures how fast
// one core can stream an L3-resident operand into an L2-sized buffer, the floor of any packing.
// A benchmark, not part of the product. Usage: kernel-ceiling KERNEL (6x16, 12x16, 8x32, peak, copy).
import Foundation

let kc = 256

/// JudgeFlow's tile: 6 rows × 16 columns in 12 `SIMD8` accumulators (the inner loop of `microKernel`).
@inline(never)
func tile6x16(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    var pa = a, pb = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = pb.loadUnaligned(as: SIMD8<Float>.self), b1 = pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var x = SIMD8<Float>(repeating: pa[0]); c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: pa[1]); c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: pa[2]); c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: pa[3]); c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: pa[4]); c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: pa[5]); c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        pa += 6
        pb += 64
    }
    for (r, row) in [(c00, c01), (c10, c11), (c20, c21), (c30, c31), (c40, c41), (c50, c51)].enumerated() {
        UnsafeMutableRawPointer(c + 16 * r).storeBytes(of: row.0, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(c + 16 * r + 8).storeBytes(of: row.1, as: SIMD8<Float>.self)
    }
}

/// 12 rows × 16 columns in 12 `SIMD16` accumulators: one B load and twelve multiply-adds with the A
/// value broadcast from memory per depth step (AVX-512's embedded broadcast).
@inline(never)
func tile12x16(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
    var acc = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(),
               SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var pa = a, pb = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = pb.loadUnaligned(as: SIMD16<Float>.self)
        acc.0 = acc.0.addingProduct(SIMD16(repeating: pa[0]), b0); acc.1 = acc.1.addingProduct(SIMD16(repeating: pa[1]), b0)
        acc.2 = acc.2.addingProduct(SIMD16(repeating: pa[2]), b0); acc.3 = acc.3.addingProduct(SIMD16(repeating: pa[3]), b0)
        acc.4 = acc.4.addingProduct(SIMD16(repeating: pa[4]), b0); acc.5 = acc.5.addingProduct(SIMD16(repeating: pa[5]), b0)
        acc.6 = acc.6.addingProduct(SIMD16(repeating: pa[6]), b0); acc.7 = acc.7.addingProduct(SIMD16(repeating: pa[7]), b0)
        acc.8 = acc.8.addingProduct(SIMD16(repeating: pa[8]), b0); acc.9 = acc.9.addingProduct(SIMD16(repeating: pa[9]), b0)
        acc.10 = acc.10.addingProduct(SIMD16(repeating: pa[10]), b0); acc.11 = acc.11.addingProduct(SIMD16(repeating: pa[11]), b0)
        pa += 12
        pb += 64
    }
    let rows = [acc.0, acc.1, acc.2, acc.3, acc.4, acc.5, acc.6, acc.7, acc.8, acc.9, acc.10, acc.11]
    for (r, row) in rows.enumerated() { UnsafeMutableRawPointer(c + 16 * r).storeBytes(of: row, as: SIMD16<Float>.self) }
}

/// 8 rows × 32 columns in 16 `SIMD16` accumulators: two B loads, one broadcast per row and step.
@inline(never)
func tile8x32(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
    var lo = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(),
              SIMD16<Float>(), SIMD16<Float>())
    var hi = lo
    var pa = a, pb = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = pb.loadUnaligned(as: SIMD16<Float>.self), b1 = pb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        var x = SIMD16<Float>(repeating: pa[0]); lo.0 = lo.0.addingProduct(x, b0); hi.0 = hi.0.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[1]); lo.1 = lo.1.addingProduct(x, b0); hi.1 = hi.1.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[2]); lo.2 = lo.2.addingProduct(x, b0); hi.2 = hi.2.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[3]); lo.3 = lo.3.addingProduct(x, b0); hi.3 = hi.3.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[4]); lo.4 = lo.4.addingProduct(x, b0); hi.4 = hi.4.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[5]); lo.5 = lo.5.addingProduct(x, b0); hi.5 = hi.5.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[6]); lo.6 = lo.6.addingProduct(x, b0); hi.6 = hi.6.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[7]); lo.7 = lo.7.addingProduct(x, b0); hi.7 = hi.7.addingProduct(x, b1)
        pa += 8
        pb += 128
    }
    let rows = [(lo.0, hi.0), (lo.1, hi.1), (lo.2, hi.2), (lo.3, hi.3), (lo.4, hi.4), (lo.5, hi.5), (lo.6, hi.6), (lo.7, hi.7)]
    for (r, row) in rows.enumerated() {
        UnsafeMutableRawPointer(c + 32 * r).storeBytes(of: row.0, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(c + 32 * r + 16).storeBytes(of: row.1, as: SIMD16<Float>.self)
    }
}

/// The FMA peak: 12 independent chains of `SIMD8` multiply-adds (as `judgeflow-bench gemm --peak`).
@inline(never)
func peakLoop(_ iterations: Int) -> SIMD8<Float> {
    var a0 = SIMD8<Float>(repeating: 0), a1 = SIMD8<Float>(repeating: 1), a2 = SIMD8<Float>(repeating: 2)
    var a3 = SIMD8<Float>(repeating: 3), a4 = SIMD8<Float>(repeating: 4), a5 = SIMD8<Float>(repeating: 5)
    var a6 = SIMD8<Float>(repeating: 6), a7 = SIMD8<Float>(repeating: 7), a8 = SIMD8<Float>(repeating: 8)
    var a9 = SIMD8<Float>(repeating: 9), a10 = SIMD8<Float>(repeating: 10), a11 = SIMD8<Float>(repeating: 11)
    let x = SIMD8<Float>(repeating: 0.999_999), y = SIMD8<Float>(repeating: 1e-7)
    for _ in 0..<iterations {
        a0 = a0.addingProduct(x, y); a1 = a1.addingProduct(x, y); a2 = a2.addingProduct(x, y); a3 = a3.addingProduct(x, y)
        a4 = a4.addingProduct(x, y); a5 = a5.addingProduct(x, y); a6 = a6.addingProduct(x, y); a7 = a7.addingProduct(x, y)
        a8 = a8.addingProduct(x, y); a9 = a9.addingProduct(x, y); a10 = a10.addingProduct(x, y); a11 = a11.addingProduct(x, y)
    }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}

func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Uses a result, so that the work producing it is not optimised away.
func keep(_ value: Float) { if value.isNaN { print("NaN") } }

/// The best of `rounds` timings of `body`, in seconds.
func best(_ rounds: Int, _ body: () -> Void) -> Double {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = seconds()
        body()
        fastest = min(fastest, seconds() - start)
    }
    return fastest
}

let which = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "6x16"
let a = UnsafeMutablePointer<Float>.allocate(capacity: 12 * kc), b = UnsafeMutablePointer<Float>.allocate(capacity: 32 * kc)
let c = UnsafeMutablePointer<Float>.allocate(capacity: 12 * 32)
for i in 0..<(12 * kc) { a[i] = Float(i % 7) * 1e-3 }
for i in 0..<(32 * kc) { b[i] = Float(i % 5) * 1e-3 }
let calls = 200_000
switch which {
case "peak":
    var sink = SIMD8<Float>()
    let iterations = 50_000_000
    let t = best(5) { sink += peakLoop(iterations) }
    print(String(format: "peak: %.1f GFLOP/s", Double(iterations) * 12 * 16 / t / 1e9))
    keep(sink[0])
case "copy":
    // 8 MiB (the two 4096-deep operands of 256×256×4096) streamed from L3 into a 400 KiB buffer that
    // stays in L2, 64 bytes per step, as packing does.
    let count = 2 << 20, ring = 100 << 10
    let source = UnsafeMutablePointer<Float>.allocate(capacity: count), buffer = UnsafeMutablePointer<Float>.allocate(capacity: ring)
    for i in 0..<count { source[i] = Float(i) }
    buffer.initialize(repeating: 0, count: ring)
    let t = best(20) {
        var o = 0, i = 0
        while i < count {
            UnsafeMutableRawPointer(buffer + o).storeBytes(of: UnsafeRawPointer(source + i).load(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(buffer + o + 8).storeBytes(of: UnsafeRawPointer(source + i + 8).load(as: SIMD8<Float>.self),
                                                              as: SIMD8<Float>.self)
            i += 16
            o = o + 16 == ring ? 0 : o + 16
        }
    }
    print(String(format: "copy 8 MiB from L3 into an L2-resident buffer: %.2f ms, %.1f GB/s", t * 1e3, Double(count * 4) / t / 1e9))
    keep(buffer[7])
default:
    let (kernel, rows, columns): ((UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void, Int, Int) =
        switch which {
        case "12x16": (tile12x16, 12, 16)
        case "8x32": (tile8x32, 8, 32)
        default: (tile6x16, 6, 16)
        }
    let t = best(5) { for _ in 0..<calls { kernel(a, b, c) } }
    print(String(format: "%@ tile, A and B in L1: %.1f GFLOP/s", which, Double(2 * rows * columns * kc * calls) / t / 1e9))
    keep(c[0])
}
