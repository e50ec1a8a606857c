import Foundation

/// Multimodal RewardBench's release (facebookresearch/multimodal_rewardbench): `data/all_data.json`, a
/// JSON array written by scripts/0_download_data.py, each element with `ID`, `Text` (the prompt),
/// `Image` (a path relative to `data/`), `Output1`, `Output2`, `Better` (`"Output1"` or `"Output2"`) and
/// `Category`. The judging script keeps the whole element as `Meta`, and scripts/2_get_accuracy.py reads
/// `Meta.Category`, so `Category` is read at the top level, or under `Meta` in files shaped like its outputs.
extension BenchmarkImport {
    /// The categories scripts/2_get_accuracy.py reports: `safety` split by ID into bias (PAIRS) and
    /// toxicity, `reasoning` into math (IDs starting `math`) and coding; the rest as the file has them.
    static func multimodalCategory(_ category: String, id: String) -> String {
        let lower = id.lowercased()
        switch category {
        case "safety": return lower.hasPrefix("pairs") ? "safety/bias" : "safety/toxicity"
        case "reasoning": return lower.hasPrefix("math") ? "reasoning/math" : "reasoning/coding"
        default: return category
        }
    }

    static func multimodalRewardBench(_ records: [Record], limits: Limits) throws(Failure) -> ImportedBenchmark {
        var table = ImageTable()
        var items: [BenchmarkItem] = []
        for r in records {
            guard let rawID = r.fields["ID"], rawID is String || rawID is NSNumber else { throw Failure(r.place, "no `ID` (a string)") }
            let id = "\(rawID)"
            let text = try text(r, "Text", limits: limits)
            guard !text.isEmpty else {
                throw Failure(r.place, "`Text` is empty",
                              hint: "the release's scripts/0_download_data.py fills in the prompts and writes data/all_data.json; import that file")
            }
            let a = try self.text(r, "Output1", limits: limits), b = try self.text(r, "Output2", limits: limits)
            guard let better = r.fields["Better"] as? String, better == "Output1" || better == "Output2" else {
                throw Failure(r.place, "`Better` must be \"Output1\" or \"Output2\"")
            }
            let category = (r.fields["Category"] as? String) ?? ((r.fields["Meta"] as? [String: Any])?["Category"] as? String)
            guard let category, !category.isEmpty else { throw Failure(r.place, "no `Category` (a string)") }
            let path = try relativeImagePath(try self.text(r, "Image", limits: limits), r, field: "Image")
            let image = table.path(for: .file(path), fileExtension: ImageTable.fileExtension(ofPath: path), r)
            let folders = path.split(separator: "/")
            items.append(BenchmarkItem(id: id, category: multimodalCategory(category, id: id), image: image, query: text,
                                       responses: [a, b], preferred: better == "Output1" ? 0 : 1,
                                       source: folders.count >= 3 ? String(folders[folders.count - 2]) : nil))
        }
        try checkUnique(items, records)
        return ImportedBenchmark(format: .multimodalRewardBench, items: items, images: table.images)
    }
}
