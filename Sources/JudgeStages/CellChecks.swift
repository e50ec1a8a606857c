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
/// claim. nil when the response is not a list of placed objects (closed answers, malformed text): those
/// are judged as before. Cells are matched by row and column (by column alone in a row list).
///
/// How a claim and the judge's own object stand side by side is the `Layout`: `interleaved` (the
/// default) writes them word by word when they have as many words — `a a small small blue red circle
/// circle` — so a wrong colour or size is two adjacent words; `sequential` writes `a small blue circle i
/// see a small red circle`, where the words to compare stand six apart (docs/RESULTS.md measures both).
public enum CellChecks {
    public enum Layout: String, CaseIterable, Sendable {
        case interleaved, sequential
        public static let `default` = Layout.interleaved
    }

    /// `claim i see own , … , misses own .` (pairs of as many words interleaved, by `layout`), or nil when
    /// the response names no placed objects.
    public static func text(response: String, trace: String, layout: Layout = .default) -> String? {
        guard let claims = PlacedObjects(response) else { return nil }
        let own = PlacedObjects(trace).flatMap { $0.hasRows == claims.hasRows ? $0.objects : nil } ?? []
        var parts: [String] = []
        for claim in claims.objects {
            guard let seen = own.first(where: { $0.cell == claim.cell }) else {
                parts.append(claim.words + " i see nothing")
                continue
            }
            parts.append(side(claim.words, seen.words, layout))
        }
        let claimed = Set(claims.objects.map(\.cell))
        for o in own where !claimed.contains(o.cell) { parts.append("misses " + o.words) }
        return parts.joined(separator: " , ") + " ."
    }

    /// One claim beside the judge's own object in the same cell.
    static func side(_ claim: String, _ own: String, _ layout: Layout) -> String {
        let a = claim.split(separator: " "), b = own.split(separator: " ")
        guard layout == .interleaved, a.count == b.count else { return claim + " i see " + own }
        return zip(a, b).map { $0 + " " + $1 }.joined(separator: " ")
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
