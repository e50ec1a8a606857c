import Compute

/// A batch of training or scoring sequences: images as patch features, and text aligned so that
/// `targets[b, t]` is the token after `tokens[b, t]`; `mask` selects which positions carry loss.
public struct Batch: Sendable {
    public var size: Int
    public var time: Int
    /// (B, P, 3·p·p) patch features in [0, 1], in the reference's order (channel, row, column).
    public var patches: [Float]
    public var tokens: [Int32]
    public var targets: [Int32]
    public var mask: [Float]

    public init(size: Int, time: Int, patches: [Float], tokens: [Int32], targets: [Int32], mask: [Float]) {
        self.size = size
        self.time = time
        self.patches = patches
        self.tokens = tokens
        self.targets = targets
        self.mask = mask
    }
}

/// Image → patch features, matching `images.unfold(2,p,p).unfold(3,p,p).permute(0,2,3,1,4,5)` in the
/// reference: patches in row-major grid order; inside a patch, channel-major, then row, then column.
public enum Patches {
    /// `rgb` is H×W×3 bytes (row-major, interleaved), as PNG decodes it, with H = W = `size`, a multiple
    /// of `patch`. Callers check images from files against the model's size first (`BenchmarkJudging`);
    /// the check here stays in -Ounchecked builds, where a wrong size would read outside `rgb`.
    public static func features(rgb: [UInt8], size: Int, patch: Int) -> [Float] {
        if patch <= 0 || size < patch || size % patch != 0 || rgb.count != size * size * 3 {
            fatalError("Patches.features: \(rgb.count) bytes are not a \(size)×\(size) RGB image in \(patch)-pixel patches")
        }
        let grid = size / patch
        var out = [Float](repeating: 0, count: grid * grid * 3 * patch * patch)
        var i = 0
        for gy in 0..<grid {
            for gx in 0..<grid {
                for ch in 0..<3 {
                    for py in 0..<patch {
                        for px in 0..<patch {
                            out[i] = Float(rgb[((gy * patch + py) * size + gx * patch + px) * 3 + ch]) / 255
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }
}
