/// An 8-bit RGB image, row-major, 3 bytes a pixel.
public struct RGBImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3))
    }

    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.0
            pixels[i + 1] = newValue.1
            pixels[i + 2] = newValue.2
        }
    }
}

/// Rasterises a scene: a dark noisy background, then each object as a filled shape in its cell, with
/// per-object colour jitter and per-pixel noise, all from the scene's `pixelSeed`. Edges are
/// anti-aliased: each pixel takes each object's colour in proportion to the share of its
/// `samples`×`samples` sub-pixel points the shape covers. Without it a small circle and a small square
/// (radius 2.24 pixels at 24 pixels and 3 cells) cover the same 4×4 pixels and no model could tell them
/// apart; with it the circle's corner pixels are half-lit and the square's edges nearly full.
public enum Renderer {
    /// Changes whenever the same scene would render to other pixels (part of every model node's key).
    public static let revision = 2
    /// Sub-pixel points per side.
    static let samples = 4

    public static func render(_ scene: Scene) -> RGBImage {
        var rng = WorldRandom(seed: scene.pixelSeed)
        var image = RGBImage(width: scene.imageSize, height: scene.imageSize)
        let cell = Double(scene.imageSize) / Double(scene.grid)
        var colours = [(Int, Int, Int)]()
        for object in scene.objects {
            let (r, g, b) = object.colour.rgb
            colours.append((Int(r) + rng.below(31) - 15, Int(g) + rng.below(31) - 15, Int(b) + rng.below(31) - 15))
        }
        let k = samples, points = k * k
        for y in 0..<scene.imageSize {
            for x in 0..<scene.imageSize {
                // Colour sums over the sub-pixel points (integers: the same bytes on every machine).
                var sum = (28 * points, 28 * points, 32 * points)
                for (o, object) in scene.objects.enumerated() {
                    let cx = (Double(object.column) + 0.5) * cell - 0.5 + Double(object.dx)
                    let cy = (Double(object.row) + 0.5) * cell - 0.5 + Double(object.dy)
                    let radius = (object.size == .large ? 0.45 : 0.28) * cell
                    var covered = 0
                    for sy in 0..<k {
                        for sx in 0..<k {
                            let px = Double(x) + (Double(sx) + 0.5) / Double(k) - 0.5, py = Double(y) + (Double(sy) + 0.5) / Double(k) - 0.5
                            if covers(object.shape, dx: px - cx, dy: py - cy, r: radius) { covered += 1 }
                        }
                    }
                    guard covered > 0 else { continue }
                    // The object paints over what is below it in proportion to its coverage.
                    let c = colours[o]
                    sum = ((sum.0 * (points - covered) + c.0 * points * covered) / points,
                           (sum.1 * (points - covered) + c.1 * points * covered) / points,
                           (sum.2 * (points - covered) + c.2 * points * covered) / points)
                }
                let n = scene.noise
                func channel(_ v: Int) -> UInt8 { UInt8(clamping: (v + points / 2) / points + (n > 0 ? rng.below(2 * n + 1) - n : 0)) }
                image[x, y] = (channel(sum.0), channel(sum.1), channel(sum.2))
            }
        }
        return image
    }

    /// Whether the point (dx, dy) from a shape's centre lies inside it (y grows downwards).
    static func covers(_ shape: Shape, dx: Double, dy: Double, r: Double) -> Bool {
        switch shape {
        case .circle: return dx * dx + dy * dy <= r * r
        case .square: return abs(dx) <= r * 0.85 && abs(dy) <= r * 0.85
        case .triangle: return dy >= -r && dy <= r * 0.8 && abs(dx) <= (dy + r) * 0.6
        case .cross: return (abs(dx) <= r * 0.34 && abs(dy) <= r) || (abs(dy) <= r * 0.34 && abs(dx) <= r)
        case .diamond: return abs(dx) + abs(dy) <= r * 1.1
        }
    }
}
