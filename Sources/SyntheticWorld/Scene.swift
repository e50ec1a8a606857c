/// The closed set of things a scene can hold, and the scene itself. A scene has a JSON form
/// (see docs/world.md) that `judgeflow world render` turns into a PNG.

public enum Shape: String, CaseIterable, Codable, Sendable {
    case circle, square, triangle, cross, diamond
    public var plural: String { rawValue + (self == .cross ? "es" : "s") }
}

public enum Colour: String, CaseIterable, Codable, Sendable {
    case red, green, blue, yellow, purple, orange, white

    /// Nominal sRGB; rendering jitters it per object.
    public var rgb: (UInt8, UInt8, UInt8) {
        switch self {
        case .red: (220, 40, 40)
        case .green: (40, 190, 60)
        case .blue: (50, 80, 235)
        case .yellow: (230, 215, 40)
        case .purple: (155, 60, 205)
        case .orange: (245, 140, 30)
        case .white: (235, 235, 235)
        }
    }
}

public enum Size: String, CaseIterable, Codable, Sendable {
    case small, large
}

public struct SceneObject: Codable, Sendable, Hashable {
    public var shape: Shape
    public var colour: Colour
    public var size: Size
    /// 0-based grid cell.
    public var row: Int
    public var column: Int
    /// Pixel offset of the centre from the cell's centre (jitter).
    public var dx: Int
    public var dy: Int

    public init(shape: Shape, colour: Colour, size: Size, row: Int, column: Int, dx: Int = 0, dy: Int = 0) {
        self.shape = shape
        self.colour = colour
        self.size = size
        self.row = row
        self.column = column
        self.dx = dx
        self.dy = dy
    }

    enum CodingKeys: String, CodingKey { case shape, colour = "color", size, row, column, dx, dy }

    /// "small red circle"
    public var description: String { "\(size.rawValue) \(colour.rawValue) \(shape.rawValue)" }
    /// "row 2 column 3" (1-based, as people count).
    public var position: String { "row \(row + 1) column \(column + 1)" }
}

public struct Scene: Codable, Sendable, Hashable {
    public static let formatVersion = 1
    public var formatVersion = Scene.formatVersion
    /// Image side in pixels (square).
    public var imageSize: Int
    /// Cells per side.
    public var grid: Int
    /// Per-pixel noise amplitude (0–255 scale).
    public var noise: Int
    /// Seed for the pixel noise and colour jitter.
    public var pixelSeed: UInt64
    /// Sorted by (row, column): captions and lists follow this order.
    public var objects: [SceneObject]

    public init(imageSize: Int, grid: Int, noise: Int, pixelSeed: UInt64, objects: [SceneObject]) {
        self.imageSize = imageSize
        self.grid = grid
        self.noise = noise
        self.pixelSeed = pixelSeed
        self.objects = objects.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    enum CodingKeys: String, CodingKey { case formatVersion, imageSize = "image_size", grid, noise, pixelSeed = "pixel_seed", objects }

    public func objects(matching colour: Colour? = nil, shape: Shape? = nil, size: Size? = nil) -> [SceneObject] {
        objects.filter { (colour == nil || $0.colour == colour) && (shape == nil || $0.shape == shape) && (size == nil || $0.size == size) }
    }

    public func object(at row: Int, _ column: Int) -> SceneObject? {
        objects.first { $0.row == row && $0.column == column }
    }
}
