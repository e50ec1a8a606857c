import Foundation

extension ImportedBenchmark {
    /// Writes a benchmark directory: `images/` (embedded images as their original bytes; images named by
    /// path copied from `imagesRoot` — copied, not linked, so editing an imported image, e.g. resizing it
    /// for the embedded judge, leaves the release's file as it was), then `items.jsonl` and
    /// `benchmark.json` (style `name`). Every named image is checked — present, a regular file, within
    /// `limits.imageBytes` — before anything is written, so a missing one leaves no partial directory.
    /// `directory` must not exist or be empty.
    public func write(to directory: String, imagesRoot: String, name: String,
                      limits: BenchmarkImport.Limits = BenchmarkImport.Limits()) throws(BenchmarkImport.Failure) {
        let fm = FileManager.default
        for image in images {
            guard case .file(let relative) = image.source else { continue }
            let path = imagesRoot + "/" + relative
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw BenchmarkImport.Failure(.record(image.record, line: image.line), "image \(path) does not exist",
                                              hint: "name the directory the image paths are relative to with --images")
            }
            let size = ((try? fm.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            guard size <= limits.imageBytes else {
                throw BenchmarkImport.Failure(.record(image.record, line: image.line), "image \(path) is larger than \(limits.imageBytes) bytes")
            }
        }
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw BenchmarkImport.Failure(.output(directory), "the directory is not empty", hint: "import into a new directory")
        }
        do {
            try fm.createDirectory(atPath: directory + "/images", withIntermediateDirectories: true)
            for image in images {
                let target = directory + "/" + image.path
                switch image.source {
                case .embedded(let bytes):
                    try Data(bytes).write(to: URL(fileURLWithPath: target))
                case .file(let relative):
                    let source = imagesRoot + "/" + relative
                    try fm.copyItem(atPath: source, toPath: target)
                }
            }
            try Data(BenchmarkFile.encode(items)).write(to: URL(fileURLWithPath: directory + "/items.jsonl"))
            try Data(BenchmarkDescription(style: name).encoded()).write(to: URL(fileURLWithPath: directory + "/" + BenchmarkDescription.fileName))
        } catch {
            throw BenchmarkImport.Failure(.output(directory), "cannot write the benchmark (\(error.localizedDescription))")
        }
    }
}
