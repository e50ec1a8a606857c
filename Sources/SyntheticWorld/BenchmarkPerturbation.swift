/// Hand-written wrong answers for the judge benchmarks. Deliberately different code and different error
/// shapes from the training-time injector (which edits answer text one mention at a time): these edit the
/// *scene* and describe the edited scene, or pick a plausible wrong closed answer the way a confused
/// viewer would (a colour seen elsewhere in the image, an adjacent cell, a count off by one).
public enum BenchmarkPerturbation {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// Two objects trade colours (two mentions change at once).
        case swappedColours = "swapped-colours"
        /// An object sits one cell away from where it is.
        case shiftedObject = "shifted-object"
        /// A shape is mistaken for a similar-looking one (square/diamond, circle/square, triangle/diamond, cross/square).
        case confusedShape = "confused-shape"
        /// An object that is really there is repeated in another cell.
        case duplicatedObject = "duplicated-object"
        /// The smallest-looking object is overlooked.
        case overlookedObject = "overlooked-object"
    }

    /// A caption of a perturbed copy of `scene`, or nil when the perturbation cannot apply.
    public static func caption(_ kind: Kind, of scene: Scene, rng: inout WorldRandom) -> String? {
        perturbed(kind, scene, rng: &rng).map { Phrase.caption($0) }
    }

    /// A row list of a perturbed copy of `scene`, for `list the objects in row R .`.
    public static func rowList(_ kind: Kind, of scene: Scene, row: Int, rng: inout WorldRandom) -> String? {
        guard let p = perturbed(kind, scene, rng: &rng), Phrase.rowList(p, row: row) != Phrase.rowList(scene, row: row) else {
            return nil
        }
        return Phrase.rowList(p, row: row)
    }

    static func perturbed(_ kind: Kind, _ scene: Scene, rng: inout WorldRandom) -> Scene? {
        var objects = scene.objects
        guard !objects.isEmpty else { return nil }
        let occupied = Set(objects.map { $0.row * scene.grid + $0.column })
        switch kind {
        case .swappedColours:
            let pairs = objects.indices.flatMap { i in objects.indices.filter { $0 > i && objects[$0].colour != objects[i].colour }.map { (i, $0) } }
            guard !pairs.isEmpty else { return nil }
            let (i, j) = rng.pick(pairs)
            (objects[i].colour, objects[j].colour) = (objects[j].colour, objects[i].colour)
        case .shiftedObject:
            let moves = objects.indices.flatMap { i in
                [(0, 1), (0, -1), (1, 0), (-1, 0)].compactMap { (dr, dc) -> (Int, Int, Int)? in
                    let r = objects[i].row + dr, c = objects[i].column + dc
                    guard (0..<scene.grid).contains(r), (0..<scene.grid).contains(c), !occupied.contains(r * scene.grid + c) else { return nil }
                    return (i, r, c)
                }
            }
            guard !moves.isEmpty else { return nil }
            let (i, r, c) = rng.pick(moves)
            objects[i].row = r
            objects[i].column = c
        case .confusedShape:
            let look: [Shape: Shape] = [.square: .diamond, .diamond: .square, .circle: .square, .triangle: .diamond, .cross: .square]
            let i = rng.below(objects.count)
            objects[i].shape = look[objects[i].shape]!
        case .duplicatedObject:
            let free = (0..<(scene.grid * scene.grid)).filter { !occupied.contains($0) }
            guard !free.isEmpty else { return nil }
            var copy = rng.pick(objects)
            let cell = rng.pick(free)
            copy.row = cell / scene.grid
            copy.column = cell % scene.grid
            objects.append(copy)
        case .overlookedObject:
            guard objects.count >= 2 else { return nil }
            let small = objects.indices.filter { objects[$0].size == .small }
            objects.remove(at: small.isEmpty ? rng.below(objects.count) : rng.pick(small))
        }
        return Scene(imageSize: scene.imageSize, grid: scene.grid, noise: scene.noise, pixelSeed: scene.pixelSeed, objects: objects)
    }

    /// A plausible wrong answer to a closed question, or nil when none is natural.
    public static func wrongAnswer(to question: Question, in scene: Scene, rng: inout WorldRandom) -> String? {
        let truth = question.answer
        switch truth {
        case "yes": return "no"
        case "no": return "yes"
        case "a", "b", "c": return rng.pick(["a", "b", "c"].filter { $0 != truth })
        default: break
        }
        if let n = Int(truth) { return String(n == 0 ? 1 : (rng.below(2) == 0 ? n - 1 : n + 1)) }
        if Colour(rawValue: truth) != nil {
            let seen = Set(scene.objects.map(\.colour.rawValue)).subtracting([truth])
            return seen.isEmpty ? rng.pick(Colour.allCases.map(\.rawValue).filter { $0 != truth }) : rng.pick(seen.sorted())
        }
        if let shape = Shape(rawValue: truth) {
            let look: [Shape: Shape] = [.square: .diamond, .diamond: .square, .circle: .square, .triangle: .diamond, .cross: .square]
            return look[shape]!.rawValue
        }
        let words = truth.split(separator: " ")
        if words.count == 4, words[0] == "row", let r = Int(words[1]), let c = Int(words[3]) {
            let options = [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)].filter { (1...scene.grid).contains($0.0) && (1...scene.grid).contains($0.1) }
            let (nr, nc) = rng.pick(options)
            return "row \(nr) column \(nc)"
        }
        return nil
    }
}
