/// Hand-written wrong answers for the judge benchmarks. Deliberately different code and different error
/// shapes from the training-time injector (which edits answer text one mention at a time): these edit the
/// *scene* and describe the edited scene, or pick a plausible wrong closed answer the way a confused
/// viewer would. Every wrong value is one the benchmark's world draws, by default taken from another
/// object of the same scene, and a wrong response has as many words as the right one: a judge cannot
/// tell them apart by an unfamiliar word or by length, only by looking.
public enum BenchmarkPerturbation {
    /// Errors in a caption or a row list. Each keeps the number of objects, so the wrong response is as
    /// long as the right one.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// One object takes another object's colour, shape or size (the other keeps its own).
        case attributeExchanged = "attribute-exchanged"
        /// Two objects trade colours or shapes (two mentions change at once).
        case attributesSwapped = "attributes-swapped"
        /// Two different-looking objects trade cells.
        case positionsExchanged = "positions-exchanged"
        /// An object sits one cell away from where it is.
        case shiftedObject = "shifted-object"
        /// An object is replaced by one that is not in the scene, whose colour and shape both occur in it.
        case replacedObject = "replaced-object"
    }

    /// A caption of a perturbed copy of `scene`, or nil when the perturbation cannot apply.
    public static func caption(_ kind: Kind, of scene: Scene, rng: inout WorldRandom) -> String? {
        perturbed(kind, scene, rng: &rng).map { Phrase.caption($0) }
    }

    /// A row list of a perturbed copy of `scene`, for `list the objects in row R .`, or nil when the
    /// perturbation leaves that row's list as it was.
    public static func rowList(_ kind: Kind, of scene: Scene, row: Int, rng: inout WorldRandom) -> String? {
        guard let p = perturbed(kind, scene, rng: &rng), Phrase.rowList(p, row: row) != Phrase.rowList(scene, row: row),
              p.objects.filter({ $0.row == row }).count == scene.objects.filter({ $0.row == row }).count else {
            return nil
        }
        return Phrase.rowList(p, row: row)
    }

    static func perturbed(_ kind: Kind, _ scene: Scene, rng: inout WorldRandom) -> Scene? {
        var objects = scene.objects
        let pairs = objects.indices.flatMap { i in objects.indices.filter { $0 != i }.map { (i, $0) } }
        let occupied = Set(objects.map { $0.row * scene.grid + $0.column })
        switch kind {
        case .attributeExchanged:
            let edits = pairs.flatMap { (i, j) in Attribute.allCases.filter { $0.value(of: objects[i]) != $0.value(of: objects[j]) }.map { (i, j, $0) } }
            guard !edits.isEmpty else { return nil }
            let (i, j, attribute) = rng.pick(edits)
            attribute.copy(from: objects[j], to: &objects[i])
        case .attributesSwapped:
            let edits = pairs.filter { $0.0 < $0.1 }.flatMap { (i, j) in
                [Attribute.colour, .shape].filter { $0.value(of: objects[i]) != $0.value(of: objects[j]) }.map { (i, j, $0) }
            }
            guard !edits.isEmpty else { return nil }
            let (i, j, attribute) = rng.pick(edits)
            let first = objects[i]
            attribute.copy(from: objects[j], to: &objects[i])
            attribute.copy(from: first, to: &objects[j])
        case .positionsExchanged:
            let swaps = pairs.filter { $0.0 < $0.1 && objects[$0.0].description != objects[$0.1].description }
            guard !swaps.isEmpty else { return nil }
            let (i, j) = rng.pick(swaps)
            (objects[i].row, objects[j].row) = (objects[j].row, objects[i].row)
            (objects[i].column, objects[j].column) = (objects[j].column, objects[i].column)
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
        case .replacedObject:
            // The hallucinated object borrows its colour from one object and its shape from another, so
            // neither word is new to the image; only their combination is.
            let present = Set(objects.map { "\($0.colour) \($0.shape)" })
            var choices: [(Int, Colour, Shape)] = []
            for i in objects.indices {
                let others = objects.indices.filter { $0 != i }
                for a in others {
                    for b in others where a != b && !present.contains("\(objects[a].colour) \(objects[b].shape)") {
                        choices.append((i, objects[a].colour, objects[b].shape))
                    }
                }
            }
            guard !choices.isEmpty else { return nil }
            let (i, colour, shape) = rng.pick(choices)
            objects[i].colour = colour
            objects[i].shape = shape
        }
        let result = Scene(imageSize: scene.imageSize, grid: scene.grid, noise: scene.noise, pixelSeed: scene.pixelSeed, objects: objects)
        return Phrase.caption(result) == Phrase.caption(scene) ? nil : result
    }

    /// The attributes a caption names.
    enum Attribute: CaseIterable {
        case colour, shape, size

        func value(of o: SceneObject) -> String {
            switch self {
            case .colour: o.colour.rawValue
            case .shape: o.shape.rawValue
            case .size: o.size.rawValue
            }
        }

        func copy(from source: SceneObject, to target: inout SceneObject) {
            switch self {
            case .colour: target.colour = source.colour
            case .shape: target.shape = source.shape
            case .size: target.size = source.size
            }
        }
    }

    /// How a wrong closed answer was chosen (an item's `source` names it).
    public enum AnswerKind: String, CaseIterable, Sendable {
        /// Another object's colour, shape or cell in the same scene.
        case sameSceneDistractor = "same-scene-distractor"
        /// A value the world draws that this scene does not show (no other object offers one).
        case worldValue = "world-value"
        /// A count one away from the truth, within what the world can hold.
        case offByOne = "off-by-one"
        /// The other of yes and no.
        case flipped
    }

    /// A plausible wrong answer to a closed question, with how it was chosen, or nil when none is
    /// natural. Values come from `world` (its shapes, colours, cells and counts); the answer has the
    /// truth's type and number of words.
    public static func wrongAnswer(to question: Question, in scene: Scene, world: WorldConfig,
                                   rng: inout WorldRandom) -> (answer: String, kind: AnswerKind)? {
        let truth = question.answer
        switch truth {
        case "yes": return ("no", .flipped)
        case "no": return ("yes", .flipped)
        default: break
        }
        if question.family == .choice, let letter = ["a", "b", "c"].firstIndex(of: truth) {
            // Options are listed after the `?`: "a red b blue c green".
            let words = question.text.split(separator: "?").last.map { $0.split(separator: " ").map(String.init) } ?? []
            let options = stride(from: 0, to: words.count - 1, by: 2).map { (words[$0], words[$0 + 1]) }.filter { $0.0 != ["a", "b", "c"][letter] }
            guard !options.isEmpty else { return nil }
            let seen = Set(scene.objects.map(\.colour.rawValue))
            let distractors = options.filter { seen.contains($0.1) }
            return distractors.isEmpty ? (rng.pick(options).0, .worldValue) : (rng.pick(distractors).0, .sameSceneDistractor)
        }
        if let n = Int(truth) {
            let options = [n - 1, n + 1].filter { (0...max(world.maxObjects, 1)).contains($0) }
            guard !options.isEmpty else { return nil }
            return (String(rng.pick(options)), .offByOne)
        }
        if Colour(rawValue: truth) != nil {
            return valueAnswer(truth, seen: scene.objects.map(\.colour.rawValue), world: world.colours.map(\.rawValue), rng: &rng)
        }
        if Shape(rawValue: truth) != nil {
            return valueAnswer(truth, seen: scene.objects.map(\.shape.rawValue), world: world.shapes.map(\.rawValue), rng: &rng)
        }
        let words = truth.split(separator: " ")
        if words.count == 4, words[0] == "row", let r = Int(words[1]), let c = Int(words[3]) {
            let cells = scene.objects.map(\.position).filter { $0 != truth }
            if !cells.isEmpty { return (rng.pick(cells), .sameSceneDistractor) }
            let options = [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)].filter { (1...scene.grid).contains($0.0) && (1...scene.grid).contains($0.1) }
            guard !options.isEmpty else { return nil }
            let (nr, nc) = rng.pick(options)
            return ("row \(nr) column \(nc)", .worldValue)
        }
        return nil
    }

    /// Another object's value when the scene has one, else a value of the world the scene lacks.
    static func valueAnswer(_ truth: String, seen: [String], world: [String], rng: inout WorldRandom) -> (answer: String, kind: AnswerKind)? {
        let distractors = Set(seen).subtracting([truth]).sorted()
        if !distractors.isEmpty { return (rng.pick(distractors), .sameSceneDistractor) }
        let others = world.filter { $0 != truth }
        return others.isEmpty ? nil : (rng.pick(others), .worldValue)
    }

    /// `is there a <colour> <shape> ?` where the scene has that colour on another shape and that shape
    /// in another colour, but not the two together (truth `no`), or nil when the scene has no such pair.
    public static func absentCombination(in scene: Scene, rng: inout WorldRandom) -> Question? {
        var options: [(Colour, Shape)] = []
        for a in scene.objects {
            for b in scene.objects where scene.objects(matching: a.colour, shape: b.shape).isEmpty {
                options.append((a.colour, b.shape))
            }
        }
        guard !options.isEmpty else { return nil }
        let (c, s) = rng.pick(options)
        return Question(family: .existence, text: "is there a \(c.rawValue) \(s.rawValue) ?", answer: "no")
    }
}
