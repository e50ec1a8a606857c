/// Checks a scene read from a file before it is rendered: sizes in range, objects inside the grid, no
/// two objects in one cell.
public enum SceneValidation {
    public static func problem(in scene: Scene) -> String? {
        guard scene.formatVersion == Scene.formatVersion else { return "scene format \(scene.formatVersion) is not \(Scene.formatVersion)" }
        guard (4...512).contains(scene.imageSize) else { return "image_size must be 4…512, found \(scene.imageSize)" }
        guard (1...32).contains(scene.grid), scene.imageSize / scene.grid >= 2 else { return "grid must be 1…32 and leave cells of ≥ 2 pixels" }
        guard (0...255).contains(scene.noise) else { return "noise must be 0…255" }
        var cells = Set<Int>()
        for (i, o) in scene.objects.enumerated() {
            guard (0..<scene.grid).contains(o.row), (0..<scene.grid).contains(o.column) else {
                return "objects[\(i)] lies outside the \(scene.grid)×\(scene.grid) grid"
            }
            guard cells.insert(o.row * scene.grid + o.column).inserted else { return "objects[\(i)] shares a cell with another object" }
            guard abs(o.dx) < scene.imageSize, abs(o.dy) < scene.imageSize else { return "objects[\(i)] jitter is out of range" }
        }
        return nil
    }
}
