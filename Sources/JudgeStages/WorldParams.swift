import NodeKit
import SyntheticWorld

/// The world params every world-facing node type accepts, and their mapping to `WorldConfig`.
enum WorldParams {
    static let specs: [ParamSpec] = [
        ParamSpec("image_size", .int, default: .int(32), doc: "image side in pixels"),
        ParamSpec("grid", .int, default: .int(4), doc: "grid cells per side"),
        ParamSpec("min_objects", .int, default: .int(1), doc: "fewest objects in a scene"),
        ParamSpec("max_objects", .int, default: .int(4), doc: "most objects in a scene"),
        ParamSpec("noise", .int, default: .int(12), doc: "per-pixel noise amplitude (0–255)"),
        ParamSpec("shapes", .int, default: .int(Shape.allCases.count),
                  doc: "how many shapes scenes draw from (the first k of \(Shape.allCases.map(\.rawValue).joined(separator: ", ")))"),
        ParamSpec("colours", .int, default: .int(Colour.allCases.count),
                  doc: "how many colours scenes draw from (the first k of \(Colour.allCases.map(\.rawValue).joined(separator: ", ")))"),
    ]

    static func config(_ params: [String: Value]) throws -> WorldConfig {
        var c = WorldConfig()
        c.imageSize = params["image_size"]?.intValue ?? 32
        c.grid = params["grid"]?.intValue ?? 4
        c.minObjects = params["min_objects"]?.intValue ?? 1
        c.maxObjects = params["max_objects"]?.intValue ?? 4
        c.noise = params["noise"]?.intValue ?? 12
        let shapes = params["shapes"]?.intValue ?? Shape.allCases.count, colours = params["colours"]?.intValue ?? Colour.allCases.count
        guard (1...Shape.allCases.count).contains(shapes), (1...Colour.allCases.count).contains(colours) else {
            throw NodeError.invalid("shapes must be 1…\(Shape.allCases.count) and colours 1…\(Colour.allCases.count)")
        }
        c.shapes = Array(Shape.allCases.prefix(shapes))
        c.colours = Array(Colour.allCases.prefix(colours))
        guard (4...512).contains(c.imageSize), (1...16).contains(c.grid), c.imageSize % c.grid == 0,
              1 <= c.minObjects, c.minObjects <= c.maxObjects, c.maxObjects <= c.grid * c.grid, (0...255).contains(c.noise) else {
            throw NodeError.invalid("world params out of range: image_size 4…512 divisible by grid 1…16, "
                                    + "1 ≤ min_objects ≤ max_objects ≤ grid², noise 0…255")
        }
        return c
    }
}
