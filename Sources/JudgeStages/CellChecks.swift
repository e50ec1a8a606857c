/// The judge's claim-by-claim check of an open-ended response: each object mention of the response
/// (`a small blue circle in row 1 column 2`) is followed by what the judge's own answer — its trace, a
/// caption or row list of the same image — puts in that cell (`i see a large red circle`, or `i see
/// nothing`), and each object of its own answer in a cell the response does not mention is named after
/// them (`misses a large red circle`). The verdict then compares two short phrases per claim instead of
/// two long captions, where one altered detail was easy to miss (docs/design-notes.md, "Claim-by-claim checks").
///
/// Built from the response and the judge's own trace by the world's layout, never from ground truth.
/// A mention is read leniently — whatever words name the object, then `in [row R] column C` — so a
/// response that leaves words out (`a red circle in row 1 column 2`, no size) is still checked claim by
/// claim. A response that is not a list of placed objects (a closed answer, malformed text) gets no check,
/// except with `word-verdicts`, where an answer of as many words as the judge's own stands beside it word
/// by word. Cells are matched by row and column (by column alone in a row list).
///
/// How a claim and the judge's own object stand side by side is the `Layout`: `interleaved` writes them
/// word by word when they have as many words — `a a small small blue red circle circle` — so a wrong
/// colour or size is two adjacent words; `sequential` writes `a small blue circle i see a small red
/// circle`. `word-verdicts` (the default) interleaves too, also pairs a closed answer with the judge's own
/// (`blue red`), and has the judge read a verdict after every word pair and every part as well as after
/// the whole check (`Judge`), so a mismatch is judged where it stands (docs/RESULTS.md measures all three).
public enum CellChecks {
    public enum Layout: String, CaseIterable, Sendable {
        case wordVerdicts = "word-verdicts", interleaved, sequential
        public static let `default` = Layout.wordVerdicts
        /// A verdict is read after each word pair and each part, not only after the whole check.
        public var readsEachPart: Bool { self == .wordVerdicts }
    }

    /// One part of a check: a claim beside the judge's own object — `paired` when written word by word,
    /// `claim` and `own` then as many words each — or a claim the judge sees nothing for, or a miss.
    public struct Part: Hashable, Sendable {
        public var text: String
        public var claim: [String]
        public var own: [String]
        public var paired: Bool { !claim.isEmpty }

        static func unpaired(_ text: String) -> Part { Part(text: text, claim: [], own: []) }
    }

    /// `claim i see own , … , misses own .` (pairs of as many words interleaved, by `layout`), or nil when
    /// the response names no placed objects (and, with `word-verdicts`, is no answer of as many words as
    /// the judge's own).
    public static func text(response: String, trace: String, layout: Layout = .default) -> String? {
        parts(response: response, trace: trace, layout: layout).map { $0.map(\.text).joined(separator: " , ") + " ." }
    }

    /// The check's parts, one per claim and per missed object of the judge's own answer, or nil.
    public static func parts(response: String, trace: String, layout: Layout = .default) -> [Part]? {
        guard let claims = PlacedObjects(response) else {
            // With word verdicts, a closed answer beside the judge's own, word by word, when they have as many words.
            guard layout.readsEachPart else { return nil }
            let part = side(response, trace, layout)
            return part.paired ? [part] : nil
        }
        let own = PlacedObjects(trace).flatMap { $0.hasRows == claims.hasRows ? $0.objects : nil } ?? []
        var parts: [Part] = []
        for claim in claims.objects {
            guard let seen = own.first(where: { $0.cell == claim.cell }) else {
                parts.append(.unpaired(claim.words + " i see nothing"))
                continue
            }
            parts.append(side(claim.words, seen.words, layout))
        }
        let claimed = Set(claims.objects.map(\.cell))
        for o in own where !claimed.contains(o.cell) { parts.append(.unpaired("misses " + o.words)) }
        return parts
    }

    /// One claim beside the judge's own object in the same cell.
    static func side(_ claim: String, _ own: String, _ layout: Layout) -> Part {
        let a = claim.split(separator: " ").map(String.init), b = own.split(separator: " ").map(String.init)
        guard layout != .sequential, a.count == b.count else { return .unpaired(claim + " i see " + own) }
        return Part(text: zip(a, b).map { $0 + " " + $1 }.joined(separator: " "), claim: a, own: b)
    }
}

/// An answer read as objects in cells: `OBJECT in row R column C` (a caption) or `OBJECT in column C`
/// (a row list), separated by `.` or `,`, ending in `.`; OBJECT is any non-empty run of words.
struct PlacedObjects: Equatable {
    struct Object: Equatable {
        var words: String
        var cell: Cell
    }
    struct Cell: Hashable {
        var row: Int?
        var column: Int
    }

    var objects: [Object]
    var hasRows: Bool

    init?(_ text: String) {
        guard let clauses = sentenceClauses(text) else { return nil }
        var objects: [Object] = []
        for clause in clauses {
            guard let object = Self.object(clause) else { return nil }
            objects.append(object)
        }
        guard let first = objects.first, objects.allSatisfy({ ($0.cell.row == nil) == (first.cell.row == nil) }) else { return nil }
        self.objects = objects
        hasRows = first.cell.row != nil
    }

    /// `… in row R column C` or `… in column C`, with at least one word before `in`.
    static func object(_ w: [String]) -> Object? {
        if w.count >= 6, w[w.count - 5] == "in", w[w.count - 4] == "row", let r = Int(w[w.count - 3]),
           w[w.count - 2] == "column", let c = Int(w[w.count - 1]) {
            return Object(words: w.dropLast(5).joined(separator: " "), cell: Cell(row: r, column: c))
        }
        if w.count >= 4, w[w.count - 3] == "in", w[w.count - 2] == "column", let c = Int(w[w.count - 1]) {
            return Object(words: w.dropLast(3).joined(separator: " "), cell: Cell(row: nil, column: c))
        }
        return nil
    }
}
