import Foundation
import SyntheticWorld
import Testing

@Suite struct SceneTests {
    @Test func sameSeedAndIndexGiveTheSameSceneAndPixels() {
        let a = SceneGenerator.scene(seed: 42, index: 3), b = SceneGenerator.scene(seed: 42, index: 3)
        #expect(a == b)
        #expect(Renderer.render(a) == Renderer.render(b))
        #expect(SceneGenerator.scene(seed: 42, index: 4) != a)
        #expect(SceneGenerator.scene(seed: 43, index: 3) != a)
    }

    @Test func scenesRespectTheConfiguredObjectCountsAndGrid() {
        var config = WorldConfig()
        config.minObjects = 2
        config.maxObjects = 5
        for i in 0..<200 {
            let s = SceneGenerator.scene(seed: 1, index: i, config: config)
            #expect((2...5).contains(s.objects.count))
            #expect(Set(s.objects.map { $0.row * 4 + $0.column }).count == s.objects.count)
            #expect(SceneValidation.problem(in: s) == nil)
        }
    }

    @Test func renderedObjectHasItsColourAtItsCentre() {
        let o = SceneObject(shape: .square, colour: .blue, size: .large, row: 1, column: 2)
        let scene = Scene(imageSize: 32, grid: 4, noise: 0, pixelSeed: 9, objects: [o])
        let image = Renderer.render(scene)
        let (r, g, b) = image[20, 12]
        #expect(b > 200 && r < 80 && g < 110)
        #expect(image[2, 2] == (28, 28, 32))
    }

    /// At the shipped 24 pixels and 3 cells a small object spans about 4 pixels; with hard edges a small
    /// circle and a small square lit the same pixels. Every two shapes of one size must differ.
    @Test func everyTwoShapesOfOneSizeRenderDifferentlyAtTheShippedResolution() {
        for size in Size.allCases {
            var seen: [RGBImage: Shape] = [:]
            for shape in Shape.allCases {
                let o = SceneObject(shape: shape, colour: .red, size: size, row: 1, column: 1)
                let image = Renderer.render(Scene(imageSize: 24, grid: 3, noise: 0, pixelSeed: 1, objects: [o]))
                #expect(seen[image] == nil, "\(size) \(shape) renders as a \(size) \(seen[image].map { "\($0)" } ?? "")")
                seen[image] = shape
            }
        }
    }

    @Test func pngRoundTripsAndIsValid() throws {
        let image = Renderer.render(SceneGenerator.scene(seed: 7, index: 0))
        let bytes = PNG.encode(image)
        #expect(Array(bytes[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10])
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        #expect(try PNG.decode(bytes) == image)
    }

    @Test func corruptPNGIsAnErrorNotACrash() {
        var bytes = PNG.encode(Renderer.render(SceneGenerator.scene(seed: 7, index: 0)))
        bytes.removeLast(30)
        #expect(throws: PNG.Failure.self) { try PNG.decode(bytes) }
        #expect(throws: PNG.Failure.self) { try PNG.decode([1, 2, 3]) }
    }

    @Test func sceneJSONUsesTheDocumentedFieldNames() throws {
        let scene = Scene(imageSize: 32, grid: 4, noise: 0, pixelSeed: 1,
                          objects: [SceneObject(shape: .cross, colour: .red, size: .small, row: 0, column: 3)])
        let json = String(decoding: try JSONEncoder().encode(scene), as: UTF8.self)
        for field in ["\"image_size\"", "\"pixel_seed\"", "\"color\":\"red\"", "\"shape\":\"cross\""] { #expect(json.contains(field)) }
        #expect(try JSONDecoder().decode(Scene.self, from: Data(json.utf8)) == scene)
    }
}
