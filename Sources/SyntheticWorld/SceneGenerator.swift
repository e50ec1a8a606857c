/// World parameters (from workflow params) and the scene generator.
public struct WorldConfig: Sendable, Hashable, Codable {
    public var imageSize = 32
    public var grid = 4
    public var minObjects = 1
    public var maxObjects = 6
    public var noise = 12
    /// Maximum centre jitter in pixels.
    public var jitter = 1
    public var shapes = Shape.allCases
    public var colours = Colour.allCases

    public init() {}

    public var cellSize: Int { imageSize / grid }
}

public enum SceneGenerator {
    /// Scene number `index` of the world `seed`: independent of every other index.
    public static func scene(seed: UInt64, index: Int, config: WorldConfig = WorldConfig()) -> Scene {
        var rng = WorldRandom(seed: seed, stream: RandomStream.scenes, index: UInt64(index))
        let cells = config.grid * config.grid
        let count = config.minObjects + rng.below(max(1, min(config.maxObjects, cells) - config.minObjects + 1))
        var free = Array(0..<cells)
        var objects: [SceneObject] = []
        for _ in 0..<count {
            let cell = free.remove(at: rng.below(free.count))
            objects.append(SceneObject(shape: rng.pick(config.shapes), colour: rng.pick(config.colours),
                                       size: rng.pick(Size.allCases), row: cell / config.grid, column: cell % config.grid,
                                       dx: rng.below(2 * config.jitter + 1) - config.jitter,
                                       dy: rng.below(2 * config.jitter + 1) - config.jitter))
        }
        return Scene(imageSize: config.imageSize, grid: config.grid, noise: config.noise, pixelSeed: rng.next(), objects: objects)
    }
}
