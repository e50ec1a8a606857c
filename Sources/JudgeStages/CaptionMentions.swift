import SyntheticWorld

/// What a model's captions get right, object by object: of the scene's objects, the share whose cell a
/// caption mention names (`cell`), and of those mentions, the share naming the object's colour, shape
/// and size right. A caption is rarely exact as a whole (an exact-match score says little), but a judge
/// that checks a caption against its own can only check what its own gets right mention by mention.
public struct CaptionMentions: Codable, Sendable, Equatable {
    public var objects = 0
    public var placed = 0
    public var rightColour = 0
    public var rightShape = 0
    public var rightSize = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case objects, placed
        case rightColour = "right_colour", rightShape = "right_shape", rightSize = "right_size"
    }

    public var cell: Double { objects == 0 ? 0 : Double(placed) / Double(objects) }
    public var colour: Double { placed == 0 ? 0 : Double(rightColour) / Double(placed) }
    public var shape: Double { placed == 0 ? 0 : Double(rightShape) / Double(placed) }
    public var size: Double { placed == 0 ? 0 : Double(rightSize) / Double(placed) }

    /// Counts one caption (`said`) of `scene`; an unreadable caption places no object. A served answer
    /// arrives normalised without its final ` .` (`RemoteAnswers`); it is read as if it had one.
    public mutating func add(said: String, scene: Scene) {
        objects += scene.objects.count
        guard let list = MentionList(said.hasSuffix(".") ? said : said + " ."), list.style == .caption else { return }
        for o in scene.objects {
            guard let m = list.mentions.first(where: { $0.row == o.row + 1 && $0.column == o.column + 1 }) else { continue }
            placed += 1
            if m.colour == o.colour { rightColour += 1 }
            if m.shape == o.shape { rightShape += 1 }
            if m.size == o.size { rightSize += 1 }
        }
    }

    /// Whether `question` asks for a colour, shape or cell (or a colour's letter) of one object while
    /// another object of the scene has another value of it: the wrong answer a model that sees the
    /// values but not which object holds them would give.
    public static func hasDistractor(_ question: Question, in scene: Scene) -> Bool {
        guard scene.objects.count >= 2 else { return false }
        switch question.family {
        case .colour, .choice: return Set(scene.objects.map(\.colour)).count >= 2
        case .shape: return Set(scene.objects.map(\.shape)).count >= 2
        case .position: return true
        default: return false
        }
    }
}
