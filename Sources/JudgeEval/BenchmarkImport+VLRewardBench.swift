import Foundation

/// VL-RewardBench in the two files its releases ship. Fields, as the Hugging Face dataset card
/// (MMInstruction/VL-RewardBench) lists them: `id`, `query`, `response` (two strings), `image`,
/// `human_ranking` (`[0, 1]`: the first response is preferred; `[1, 0]`: the second), `models`, `judge`,
/// `rationale`, `query_source`, `ground_truth`. VLMEvalKit's TSV (vlmeval/dataset/vlrewardbench.py)
/// renames them: `index`, `question`, `image` (base64), `response` and `answer` (Python list literals),
/// `category`.
extension BenchmarkImport {
    /// The official grouping (VL_RewardBench's cal.py): the id up to its first `_` or `-` names the
    /// source dataset, and the dataset its category. Anything else is VLFeedback, so general.
    static func vlRewardBenchSubset(id: String) -> (dataset: String, category: String) {
        switch id.prefix(while: { $0 != "_" && $0 != "-" }).lowercased() {
        case "rlaif": ("rlaif-v", "hallucination")
        case "rlhf": ("rlhf-v", "hallucination")
        case "hallucination": ("povid", "hallucination")
        case "mathverse", "mmmu": ("reasoning_tasks", "reasoning")
        case "wildvision": ("wildvision-battle", "general")
        default: ("vlfeedback", "general")
        }
    }

    static let rankingHint = "`human_ranking` is [0, 1] when the first response is preferred and [1, 0] when the second is"

    /// `[0, 1]` → 0, `[1, 0]` → 1: the index of the preferred response.
    static func preferred(fromRanking ranking: [Int], _ r: Record, field: String) throws(Failure) -> Int {
        switch ranking {
        case [0, 1]: return 0
        case [1, 0]: return 1
        default: throw Failure(r.place, "`\(field)` is \(ranking), not [0, 1] or [1, 0]", hint: rankingHint)
        }
    }

    static func twoResponses(_ values: [String]?, _ r: Record, field: String, limits: Limits) throws(Failure) -> [String] {
        guard let values, values.count == 2 else {
            throw Failure(r.place, "`\(field)` must hold exactly two strings" + (values.map { ", not \($0.count)" } ?? ""))
        }
        guard values.allSatisfy({ $0.utf8.count <= limits.textBytes }) else {
            throw Failure(r.place, "a response is longer than \(limits.textBytes) bytes")
        }
        return values
    }

    // MARK: JSON lines (the parquet, converted as docs/benchmarks.md says; or the GitHub repository's data.jsonl)

    static func vlRewardBenchJSON(_ records: [Record], limits: Limits) throws(Failure) -> ImportedBenchmark {
        var table = ImageTable()
        var items: [BenchmarkItem] = []
        for r in records {
            let id = try text(r, "id", limits: limits)
            let query = try text(r, "query", limits: limits)
            let responses = try twoResponses(r.fields["response"] as? [String], r, field: "response", limits: limits)
            guard let ranking = r.fields["human_ranking"] as? [NSNumber] else {
                throw Failure(r.place, "`human_ranking` must be a list of two numbers", hint: rankingHint)
            }
            let preferred = try preferred(fromRanking: ranking.map(\.intValue), r, field: "human_ranking")
            let image = try vlRewardBenchImage(r, &table, limits: limits)
            let subset = vlRewardBenchSubset(id: id)
            items.append(BenchmarkItem(id: id, category: subset.category, image: image, query: query, responses: responses,
                                       preferred: preferred, source: subset.dataset))
        }
        try checkUnique(items, records)
        return ImportedBenchmark(format: .vlRewardBench, items: items, images: table.images)
    }

    static let imageHint = "convert the parquet with the command in docs/benchmarks.md, which writes each image as base64"

    /// `image` as base64 text (the conversion's output), `{"bytes": base64, ...}`, or a relative path;
    /// `image_path` as a relative path (the repository's data.jsonl).
    static func vlRewardBenchImage(_ r: Record, _ table: inout ImageTable, limits: Limits) throws(Failure) -> String {
        var value = r.fields["image"]
        if let object = value as? [String: Any] { value = object["bytes"] }
        if let text = value as? String {
            switch EmbeddedImage.decode(base64: text, maxBytes: limits.imageBytes) {
            case .image(let bytes, let ext): return table.path(for: .embedded(bytes), fileExtension: ext, r)
            case .tooLarge: throw Failure(r.place, "the image is larger than \(limits.imageBytes) bytes")
            case .unknownFormat: throw Failure(r.place, "the image's bytes are not PNG, JPEG, GIF, WebP or BMP")
            case .notBase64:
                let path = try relativeImagePath(text, r, field: "image")
                return table.path(for: .file(path), fileExtension: ImageTable.fileExtension(ofPath: path), r)
            }
        }
        if let path = r.fields["image_path"] as? String {
            let path = try relativeImagePath(path, r, field: "image_path")
            return table.path(for: .file(path), fileExtension: ImageTable.fileExtension(ofPath: path), r)
        }
        let found = r.fields["image"].map { "`image` is \(type(of: $0))" } ?? "no `image`"
        throw Failure(r.place, "\(found); it must be base64 image bytes or a relative path", hint: imageHint)
    }

    // MARK: VLMEvalKit's TSV

    static func vlRewardBenchTSV(_ bytes: [UInt8], limits: Limits) throws(Failure) -> ImportedBenchmark {
        let header: [String], rows: [TabSeparatedValues.Row]
        do {
            (header, rows) = try TabSeparatedValues.read(bytes, maxField: max(limits.textBytes, limits.imageBytes / 3 * 4 + 4))
        } catch {
            throw Failure(.line(error.line), error.message, hint: "VLMEvalKit's TSV is tab-separated with a header row")
        }
        guard rows.count <= limits.items else { throw Failure(.file, "more than \(limits.items) rows") }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func required(_ names: String...) throws(Failure) -> Int {
            guard let found = names.lazy.compactMap({ column[$0] }).first else {
                throw Failure(.line(1), "no `\(names.joined(separator: "` or `"))` column",
                              hint: "VLMEvalKit's VL-RewardBench TSV has index, question, image, response, answer, category")
            }
            return found
        }
        let indexColumn = try required("index"), questionColumn = try required("question", "query")
        let responseColumn = try required("response"), answerColumn = try required("answer", "human_ranking")
        let imageColumn = column["image"], pathColumn = column["image_path"]
        if imageColumn == nil && pathColumn == nil { _ = try required("image", "image_path") }
        let categoryColumn = column["category"], idColumn = column["id"]

        // VLMEvalKit lets an image cell of at most 64 characters name another row's index instead.
        var ownImage: [String: String] = [:]
        if let imageColumn {
            for row in rows where row.fields[imageColumn].utf8.count > 64 { ownImage[row.fields[indexColumn]] = row.fields[imageColumn] }
        }
        var table = ImageTable()
        var items: [BenchmarkItem] = []
        var records: [Record] = []
        for (n, row) in rows.enumerated() {
            let r = Record(number: n + 1, line: row.line, fields: [:])
            records.append(r)
            let index = row.fields[indexColumn]
            let question = row.fields[questionColumn]
            guard question.utf8.count <= limits.textBytes else { throw Failure(r.place, "`question` is longer than \(limits.textBytes) bytes") }
            let responses = try twoResponses(try listLiteral(row.fields[responseColumn], r, "response").strings, r, field: "response", limits: limits)
            let ranking = try listLiteral(row.fields[answerColumn], r, header[answerColumn]).ints
            guard let ranking else { throw Failure(r.place, "`\(header[answerColumn])` must be a list of two numbers", hint: rankingHint) }
            let preferred = try preferred(fromRanking: ranking, r, field: header[answerColumn])
            let id = idColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? index
            let subset = vlRewardBenchSubset(id: id)
            let category = categoryColumn.map { row.fields[$0].lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            let image: String
            if let imageColumn, !row.fields[imageColumn].isEmpty {
                image = try tsvImage(row.fields[imageColumn], r, ownImage: ownImage, &table, limits: limits)
            } else if let pathColumn, !row.fields[pathColumn].isEmpty {
                let path = try relativeImagePath(row.fields[pathColumn], r, field: "image_path")
                image = table.path(for: .file(path), fileExtension: ImageTable.fileExtension(ofPath: path), r)
            } else {
                throw Failure(r.place, "no image (the `image` cell is empty)")
            }
            items.append(BenchmarkItem(id: id, category: category ?? subset.category, image: image, query: question,
                                       responses: responses, preferred: preferred, source: idColumn == nil ? nil : subset.dataset))
        }
        try checkUnique(items, records)
        return ImportedBenchmark(format: .vlRewardBench, items: items, images: table.images)
    }

    static func tsvImage(_ cell: String, _ r: Record, ownImage: [String: String], _ table: inout ImageTable,
                         limits: Limits) throws(Failure) -> String {
        var base64 = cell
        if cell.utf8.count <= 64 {
            guard let referenced = ownImage[cell] else {
                throw Failure(r.place, "the image cell '\(cell)' names no row with an image of its own",
                              hint: "a short image cell is the index of the row whose image this row shares")
            }
            base64 = referenced
        }
        guard !base64.hasPrefix("[") else {
            throw Failure(r.place, "the row has several images; a JudgeFlow item has one")
        }
        switch EmbeddedImage.decode(base64: base64, maxBytes: limits.imageBytes) {
        case .image(let bytes, let ext):
            // Keyed by its bytes, so the row that owns an image and the rows naming it share one file.
            return table.path(for: .embedded(bytes), fileExtension: ext, r)
        case .tooLarge: throw Failure(r.place, "the image is larger than \(limits.imageBytes) bytes")
        case .unknownFormat: throw Failure(r.place, "the image's bytes are not PNG, JPEG, GIF, WebP or BMP")
        case .notBase64: throw Failure(r.place, "the image cell is not base64", hint: "VLMEvalKit stores each image as base64 text")
        }
    }

    static func listLiteral(_ cell: String, _ r: Record, _ field: String) throws(Failure) -> (strings: [String]?, ints: [Int]?) {
        let elements: [PythonListLiteral.Element]
        do { elements = try PythonListLiteral.parse(cell) } catch {
            throw Failure(r.place, "`\(field)` \(error.message)", hint: "VLMEvalKit writes lists as Python literals, e.g. ['first', 'second'] or [0, 1]")
        }
        let strings = elements.compactMap { if case .string(let s) = $0 { s } else { nil } }
        let ints = elements.compactMap { if case .int(let i) = $0 { i } else { nil } }
        return (strings.count == elements.count ? strings : nil, ints.count == elements.count ? ints : nil)
    }
}
