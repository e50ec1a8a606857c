import SyntheticWorld

/// One object mention inside an open-ended answer, in the world's grammar:
/// caption `a small red circle in row 1 column 2` or list item `a small red circle in column 2`.
/// `count` > 1 is the plural form a count error writes (`2 small red circles`).
struct Mention: Equatable, Sendable {
    var count: Int
    var size: Size
    var colour: Colour
    var shape: Shape
    var row: Int?
    var column: Int

    /// Parses `a|N size colour shape(s) in [row R] column C`; nil for anything else.
    init?(_ words: ArraySlice<String>) {
        let w = Array(words)
        guard w.count == 7 || w.count == 9 else { return nil }
        if w[0] == "a" { count = 1 } else if let n = Int(w[0]), n > 1 { count = n } else { return nil }
        guard let size = Size(rawValue: w[1]), let colour = Colour(rawValue: w[2]) else { return nil }
        guard let shape = Shape.allCases.first(where: { $0.rawValue == w[3] || $0.plural == w[3] }) else { return nil }
        self.size = size
        self.colour = colour
        self.shape = shape
        guard w[4] == "in" else { return nil }
        if w.count == 9 {
            guard w[5] == "row", let r = Int(w[6]), w[7] == "column", let c = Int(w[8]) else { return nil }
            row = r
            column = c
        } else {
            guard w[5] == "column", let c = Int(w[6]) else { return nil }
            row = nil
            column = c
        }
    }

    init(count: Int = 1, size: Size, colour: Colour, shape: Shape, row: Int?, column: Int) {
        self.count = count
        self.size = size
        self.colour = colour
        self.shape = shape
        self.row = row
        self.column = column
    }

    var text: String {
        let head = count == 1 ? "a \(size.rawValue) \(colour.rawValue) \(shape.rawValue)"
                              : "\(count) \(size.rawValue) \(colour.rawValue) \(shape.plural)"
        return head + " in " + (row.map { "row \($0) " } ?? "") + "column \(column)"
    }
}

/// The words between the separators (`,` or `.`) of a text of space-separated words that ends with `.`;
/// nil when it does not end so. Captions and row lists are read clause by clause from here.
func sentenceClauses(_ text: String) -> [[String]]? {
    let words = text.split(separator: " ").map(String.init)
    guard words.last == "." else { return nil }
    var clauses: [[String]] = []
    var current: [String] = []
    for word in words {
        guard word == "," || word == "." else { current.append(word); continue }
        clauses.append(current)
        current = []
    }
    return clauses
}

/// An open-ended answer split into mentions: a caption (`m . m . m .`) or a row list (`m , m , m .`).
struct MentionList: Equatable, Sendable {
    enum Style: Equatable, Sendable { case caption, list }
    var style: Style
    var mentions: [Mention]

    init?(_ text: String) {
        guard let clauses = sentenceClauses(text) else { return nil }
        var mentions: [Mention] = []
        for clause in clauses {
            guard let m = Mention(clause[...]) else { return nil }
            mentions.append(m)
        }
        // A list names columns only; a caption names rows too. Mixed forms are not ours to rewrite.
        guard let first = mentions.first,
              mentions.allSatisfy({ ($0.row == nil) == (first.row == nil) }) else { return nil }
        style = first.row == nil ? .list : .caption
        self.mentions = mentions
    }

    init(style: Style, mentions: [Mention]) {
        self.style = style
        self.mentions = mentions
    }

    var text: String {
        switch style {
        case .caption: mentions.map { $0.text + " ." }.joined(separator: " ")
        case .list: mentions.map(\.text).joined(separator: " , ") + " ."
        }
    }
}
