import Compute
import Testing
import WideMath

/// WideMath's 16-lane AVX-512 kernels, which Compute uses where the CPU has them, must give the bits of
/// the 8-lane AVX2 forms for every input (the results of a run may not depend on the machine's
/// instruction set). Skipped on a CPU without AVX-512, where they are never called.
@Suite(.enabled(if: CPUFeatures.avx512, "the CPU has no AVX-512")) struct WideMathTests {
    /// Ordinary values across exp's range, its clamps, ±∞, NaN, ±0 and subnormals.
    static let inputs: [Float] = {
        var values = matrix(100_003, seed: 51).map { $0 * 100 }
        values += [.infinity, -.infinity, .nan, 0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                   .leastNormalMagnitude, 88.3, 88.4, -87.3, -87.4, 1e-30, -1e-30, .greatestFiniteMagnitude]
        return values
    }()

    @Test func expShiftedIsBitwiseTheEightLaneExp() {
        let x = Self.inputs
        for shift: Float in [0, 0.75, -3] {
            var out = [Float](repeating: 0, count: x.count)
            out.withUnsafeMutableBufferPointer { WideMath.expShifted(out: $0.baseAddress!, inp: x, count: x.count, shift: shift) }
            let expected = x.map { fastExp($0 - shift) }
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "shift \(shift)")
        }
    }

    /// Every height of a register tile, GELU alone and with GELU′ written over the tile itself.
    @Test(arguments: 1...6)
    func geluTileIsBitwiseTheEightLaneGelu(rows: Int) {
        let ldc = 21, count = rows * ldc
        let c = Array(Self.inputs.prefix(count)).map { $0 / 10 }
        var expectedGelu = [Float](repeating: 0, count: count), expectedSlope = [Float](repeating: 0, count: count)
        geluForward(out: &expectedGelu, inp: c, count: count)
        geluBackward(dinp: &expectedSlope, inp: c, dout: [Float](repeating: 1, count: count), count: count, accumulate: false)
        var g = [Float](repeating: .nan, count: count), slope = c
        g.withUnsafeMutableBufferPointer { pg in
            slope.withUnsafeMutableBufferPointer { ps in
                WideMath.geluTile(rows: rows, c: ps.baseAddress!, ldc: ldc, gelu: pg.baseAddress!, ldg: ldc, slope: ps.baseAddress!)
            }
        }
        var alone = [Float](repeating: .nan, count: count)
        alone.withUnsafeMutableBufferPointer { WideMath.geluTile(rows: rows, c: c, ldc: ldc, gelu: $0.baseAddress!, ldg: ldc, slope: nil) }
        for r in 0..<rows {
            let tile = (r * ldc)..<(r * ldc + 16), rest = (r * ldc + 16)..<(r * ldc + ldc)
            #expect(g[tile].map(\.bitPattern) == expectedGelu[tile].map(\.bitPattern), "GELU, row \(r)")
            #expect(alone[tile].map(\.bitPattern) == expectedGelu[tile].map(\.bitPattern), "GELU without GELU′, row \(r)")
            #expect(slope[tile].map(\.bitPattern) == expectedSlope[tile].map(\.bitPattern), "GELU′, row \(r)")
            #expect(slope[rest] == c[rest] && g[rest].allSatisfy(\.isNaN), "nothing outside the 16 columns, row \(r)")
        }
    }
}
