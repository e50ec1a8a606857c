/// Asks questions of every family about a scene and answers them from the scene itself.
public enum QuestionGenerator {
    /// A question of `family` about `scene`, or nil when the scene cannot support one (e.g. no object
    /// can be named unambiguously). Deterministic in `rng`. Questions that name a shape or colour the scene
    /// may lack draw it from `vocabulary` (by default every shape and colour; a benchmark passes its
    /// world's, so no question names something its world never draws).
    public static func question(_ family: Question.Family, about scene: Scene, rng: inout WorldRandom,
                                vocabulary: WorldConfig? = nil) -> Question? {
        let objects = scene.objects
        let shapes = vocabulary?.shapes ?? Shape.allCases, colours = vocabulary?.colours ?? Colour.allCases
        guard !objects.isEmpty else { return nil }
        let named = Self.named(scene)
        switch family {
        case .count:
            switch rng.below(3) {
            case 0:
                let c = rng.pick(colours)
                return Question(family: family, text: "how many \(c.rawValue) objects are there ?",
                                answer: Phrase.count(scene.objects(matching: c).count))
            case 1:
                let s = rng.pick(shapes)
                return Question(family: family, text: "how many \(s.plural) are there ?",
                                answer: Phrase.count(scene.objects(shape: s).count))
            default:
                return Question(family: family, text: "how many objects are there ?", answer: Phrase.count(objects.count))
            }
        case .colour:
            let candidates = objects.filter { scene.objects(shape: $0.shape).count == 1 }
            guard !candidates.isEmpty else { return nil }
            let o = rng.pick(candidates)
            return Question(family: family, text: "what color is the \(o.shape.rawValue) ?", answer: o.colour.rawValue)
        case .shape:
            let candidates = objects.filter { scene.objects(matching: $0.colour).count == 1 }
            guard !candidates.isEmpty else { return nil }
            let o = rng.pick(candidates)
            return Question(family: family, text: "what shape is the \(o.colour.rawValue) object ?", answer: o.shape.rawValue)
        case .existence:
            let c: Colour, s: Shape
            if rng.below(2) == 0 {
                let o = rng.pick(objects)
                (c, s) = (o.colour, o.shape)
            } else {
                (c, s) = (rng.pick(colours), rng.pick(shapes))
            }
            let present = !scene.objects(matching: c, shape: s).isEmpty
            return Question(family: family, text: "is there a \(c.rawValue) \(s.rawValue) ?", answer: present ? "yes" : "no")
        case .position:
            guard !named.isEmpty else { return nil }
            let (o, name) = rng.pick(named)
            return Question(family: family, text: "where is \(name) ?", answer: o.position)
        case .choice:
            let candidates = objects.filter { scene.objects(shape: $0.shape).count == 1 }
            guard !candidates.isEmpty else { return nil }
            let o = rng.pick(candidates)
            var options = [o.colour]
            while options.count < min(3, colours.count) {
                let c = rng.pick(colours)
                if !options.contains(c) { options.append(c) }
            }
            options.shuffle(using: &rng)
            let letters = ["a", "b", "c"]
            let listed = zip(letters, options).map { "\($0) \($1.rawValue)" }.joined(separator: " ")
            return Question(family: family, text: "what color is the \(o.shape.rawValue) ? \(listed)",
                            answer: letters[options.firstIndex(of: o.colour)!])
        case .compare:
            guard shapes.count >= 2 else { return nil }
            let a = rng.pick(shapes)
            var b = rng.pick(shapes)
            while b == a { b = rng.pick(shapes) }
            let more = scene.objects(shape: a).count > scene.objects(shape: b).count
            return Question(family: family, text: "are there more \(a.plural) than \(b.plural) ?", answer: more ? "yes" : "no")
        case .relation:
            guard named.count >= 2 else { return nil }
            let first = rng.below(named.count)
            var second = rng.below(named.count)
            while second == first { second = rng.below(named.count) }
            let (a, nameA) = named[first], (b, nameB) = named[second]
            if rng.below(2) == 0 {
                return Question(family: family, text: "is \(nameA) left of \(nameB) ?", answer: a.column < b.column ? "yes" : "no")
            }
            return Question(family: family, text: "is \(nameA) above \(nameB) ?", answer: a.row < b.row ? "yes" : "no")
        case .arithmetic:
            guard colours.count >= 2 else { return nil }
            let a = rng.pick(colours)
            var b = rng.pick(colours)
            while b == a { b = rng.pick(colours) }
            let total = scene.objects(matching: a).count + scene.objects(matching: b).count
            return Question(family: family, text: "how many \(a.rawValue) or \(b.rawValue) objects are there in total ?",
                            answer: Phrase.count(total))
        case .caption:
            return Question(family: family, text: "describe the image .", answer: Phrase.caption(scene))
        case .list:
            let row = rng.below(scene.grid)
            return Question(family: family, text: "list the objects in row \(row + 1) .", answer: Phrase.rowList(scene, row: row))
        }
    }

    /// Half a position question: "which row is the circle in ?" → "1", or its column — one number,
    /// answered right after the question like a colour.
    public static func positionPart(about scene: Scene, rng: inout WorldRandom) -> Question? {
        let named = Self.named(scene)
        guard !named.isEmpty else { return nil }
        let (o, name) = rng.pick(named)
        if rng.below(2) == 0 {
            return Question(family: .position, text: "which row is \(name) in ?", answer: Phrase.count(o.row + 1))
        }
        return Question(family: .position, text: "which column is \(name) in ?", answer: Phrase.count(o.column + 1))
    }

    /// The scene's caption with its objects in a random order (the world's captions go row by row), so a
    /// mention's place has to be read from the object it names, not from the order.
    public static func shuffledCaption(of scene: Scene, rng: inout WorldRandom) -> String {
        var objects = scene.objects
        objects.shuffle(using: &rng)
        return Phrase.caption(objects)
    }

    /// The scene's objects the world can name, each with its shortest unambiguous name ("the circle").
    static func named(_ scene: Scene) -> [(SceneObject, String)] {
        scene.objects.compactMap { o in Phrase.reference(o, in: scene).map { (o, $0) } }
    }
}
