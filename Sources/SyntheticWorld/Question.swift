/// A question about a scene with its ground-truth answer. Text is lowercase words with spaced
/// punctuation (`how many red objects are there ?`), so the word-level tokenizer needs no rules.
public struct Question: Codable, Sendable, Hashable {
    public enum Family: String, CaseIterable, Codable, Sendable {
        // Closed-ended: a number, a word, yes/no, a position or a letter.
        case count, colour = "color", shape, existence, position, choice = "multiple-choice"
        // Closed-ended, multi-step.
        case compare, relation, arithmetic
        // Open-ended: long answers.
        case caption, list

        public var isOpenEnded: Bool { self == .caption || self == .list }
        public var isReasoning: Bool { self == .compare || self == .relation || self == .arithmetic }
        public static let closed = allCases.filter { !$0.isOpenEnded }
        public static let open = allCases.filter(\.isOpenEnded)
    }

    public var family: Family
    public var text: String
    public var answer: String

    public init(family: Family, text: String, answer: String) {
        self.family = family
        self.text = text
        self.answer = answer
    }
}

/// Words for numbers 0–16 are digits: "3".
enum Phrase {
    static func count(_ n: Int) -> String { String(n) }

    /// "a small red circle in row 1 column 2"
    static func mention(_ o: SceneObject) -> String { "a \(o.description) in \(o.position)" }

    static func caption(_ scene: Scene) -> String { caption(scene.objects) }

    /// The objects' mentions in the order given.
    static func caption(_ objects: [SceneObject]) -> String {
        objects.map { mention($0) + " ." }.joined(separator: " ")
    }

    static func rowList(_ scene: Scene, row: Int) -> String {
        let items = scene.objects.filter { $0.row == row }
        if items.isEmpty { return "there is nothing in row \(row + 1) ." }
        return items.map { "a \($0.description) in column \($0.column + 1)" }.joined(separator: " , ") + " ."
    }

    /// The shortest unambiguous name of an object: "the circle", "the red circle" or "the small red circle".
    static func reference(_ o: SceneObject, in scene: Scene) -> String? {
        if scene.objects(shape: o.shape).count == 1 { return "the \(o.shape.rawValue)" }
        if scene.objects(matching: o.colour, shape: o.shape).count == 1 { return "the \(o.colour.rawValue) \(o.shape.rawValue)" }
        if scene.objects(matching: o.colour, shape: o.shape, size: o.size).count == 1 { return "the \(o.description)" }
        return nil
    }
}
