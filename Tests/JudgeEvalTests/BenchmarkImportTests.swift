import Foundation
@testable import JudgeEval
import Testing

/// Tests/Fixtures/benchmarks, written by bench/fixtures/make_benchmark_fixtures.py in the releases' layouts.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/benchmarks"

func fixture(_ path: String) throws -> [UInt8] {
    [UInt8](try #require(FileManager.default.contents(atPath: fixtures + "/" + path), "missing fixture \(path)"))
}

func importFailure(_ bytes: [UInt8], format: BenchmarkImport.Format? = nil, limits: BenchmarkImport.Limits = .init()) -> BenchmarkImport.Failure? {
    do {
        _ = try BenchmarkImport.parse(bytes, format: format, limits: limits)
        return nil
    } catch {
        return error
    }
}

func embedded(_ imported: ImportedBenchmark, _ path: String) -> [UInt8]? {
    guard case .embedded(let bytes)? = imported.images.first(where: { $0.path == path })?.source else { return nil }
    return bytes
}

@Suite struct BenchmarkImportTests {
    static let texts: [(query: String, responses: [String])] = [
        ("Describe the image.", ["A red square.", "A red square with a \"blue\" dog's bowl."]),
        ("What is shown?\tAnswer briefly.", ["grass", "A green field,\nseen from above — café colours."]),
        ("Find x.", ["x = 2 because 'the' angle", "x = 3"]),
        ("Describe the image.", ["A red square.", "Two red squares."]),
    ]

    @Test func vlmEvalKitTSVImportsItemsCategoriesAndItsBase64ImagesAsTheirOwnFormat() throws {
        let b = try BenchmarkImport.parse(try fixture("vl-rewardbench/vl_rewardbench.tsv"), format: nil)
        #expect(b.format == .vlRewardBench)
        #expect(b.items.map(\.id) == ["0", "1", "2", "3"])
        #expect(b.items.map(\.category) == ["hallucination", "general", "reasoning", "hallucination"])
        #expect(b.items.map(\.preferred) == [0, 1, 0, 0])
        #expect(b.items.map(\.query) == Self.texts.map(\.query))
        #expect(b.items.map(\.responses) == Self.texts.map(\.responses))
        // Row 4's image cell names row 0's index: one file serves both.
        #expect(b.items.map(\.image) == ["images/000001.jpg", "images/000002.png", "images/000003.png", "images/000001.jpg"])
        #expect(b.images.count == 3)
        #expect(embedded(b, "images/000001.jpg")?.starts(with: [0xFF, 0xD8, 0xFF]) == true)
        #expect(embedded(b, "images/000002.png")?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true)
    }

    @Test func parquetConvertedToJSONLinesImportsWithTheOfficialIdCategoriesAndTheSameContentAsTheTSV() throws {
        let json = try BenchmarkImport.parse(try fixture("vl-rewardbench/vl-rewardbench.jsonl"), format: nil)
        let tsv = try BenchmarkImport.parse(try fixture("vl-rewardbench/vl_rewardbench.tsv"), format: .vlRewardBench)
        #expect(json.items.map(\.id) == ["RLAIF-V-14", "wildvision-battle-7", "mathverse-3", "hallucination_pair-9"])
        #expect(json.items.map(\.source) == ["rlaif-v", "wildvision-battle", "reasoning_tasks", "povid"])
        #expect(json.items.map(\.category) == tsv.items.map(\.category))
        #expect(json.items.map(\.preferred) == tsv.items.map(\.preferred))
        #expect(json.items.map(\.responses) == tsv.items.map(\.responses))
        #expect(json.items.map(\.query) == tsv.items.map(\.query))
        // The parquet stores row 4's image again; equal bytes still make one file.
        #expect(json.items.map(\.image) == tsv.items.map(\.image))
        for image in tsv.images { #expect(embedded(json, image.path) == embedded(tsv, image.path)) }
    }

    @Test func officialCategoryComesFromTheIdPrefixNotTheQuerySource() {
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "RLAIF-V-276").category == "hallucination")
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "RLHF-V-3").category == "hallucination")
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "hallucination_pair-12").category == "hallucination")
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "mmmu-pro-4").category == "reasoning")
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "wildvision-battle-1").category == "general")
        #expect(BenchmarkImport.vlRewardBenchSubset(id: "LRVInstruction-000000007746").category == "general")
    }

    @Test func multimodalAllDataJSONImportsWithTheAccuracyScriptsCategoriesAndImagePaths() throws {
        let b = try BenchmarkImport.parse(try fixture("multimodal-rewardbench/all_data.json"), format: nil)
        #expect(b.format == .multimodalRewardBench)
        #expect(b.items.map(\.id) == ["nocaps_13062", "mathvista_5", "EMMA-Coding_2", "pairs_4", "MMBench_8"])
        #expect(b.items.map(\.category) == ["open_generation/correctness_task", "reasoning/math", "reasoning/coding", "safety/bias", "vqa"])
        #expect(b.items.map(\.preferred) == [1, 0, 1, 1, 0])
        #expect(b.items[4].query == "Which colour is the square?\n(A) red\n(B) blue")
        #expect(b.items.map(\.image) == ["images/000001.jpg", "images/000002.png", "images/000003.png", "images/000004.png", "images/000001.jpg"])
        #expect(b.images.map(\.source) == [.file("images/nocaps/13062.jpg"), .file("images/mathvista/5.png"),
                                           .file("images/EMMA-Coding/2_0.png"), .file("images/pairs/4.png")])
    }

    @Test func writtenDirectoryReadsBackWithEveryImageByteForByte() throws {
        let dir = NSTemporaryDirectory() + "jf-import-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, source, root) in [("tsv", "vl-rewardbench/vl_rewardbench.tsv", "vl-rewardbench"),
                                     ("mm", "multimodal-rewardbench/all_data.json", "multimodal-rewardbench")] {
            let b = try BenchmarkImport.parse(try fixture(source), format: nil)
            try b.write(to: dir + "/" + name, imagesRoot: fixtures + "/" + root, name: "Released")
            #expect(try BenchmarkFile.read(dir + "/\(name)/items.jsonl") == b.items)
            #expect(try BenchmarkDescription.name(ofDirectory: dir + "/" + name) == "Released")
            for image in b.images {
                let written = [UInt8](FileManager.default.contents(atPath: dir + "/\(name)/" + image.path) ?? Data())
                switch image.source {
                case .embedded(let bytes): #expect(written == bytes)
                case .file(let path): #expect(written == (try fixture(root + "/" + path)))
                }
            }
        }
    }

    @Test func aMissingImageFileIsLocatedAndLeavesNoDirectory() throws {
        let dir = NSTemporaryDirectory() + "jf-import-" + UUID().uuidString
        let b = try BenchmarkImport.parse(try fixture("multimodal-rewardbench/all_data.json"), format: nil)
        #expect(throws: BenchmarkImport.Failure.self) { try b.write(to: dir, imagesRoot: fixtures, name: "x") }
        do { try b.write(to: dir, imagesRoot: fixtures, name: "x") } catch {
            #expect(error.place == .record(1, line: 2))
            #expect(error.message.contains("images/nocaps/13062.jpg does not exist"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func importingIntoANonEmptyDirectoryIsRefused() throws {
        let dir = NSTemporaryDirectory() + "jf-import-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let b = try BenchmarkImport.parse(try fixture("vl-rewardbench/vl_rewardbench.tsv"), format: nil)
        try b.write(to: dir, imagesRoot: fixtures, name: "x")
        #expect(throws: BenchmarkImport.Failure.self) { try b.write(to: dir, imagesRoot: fixtures, name: "x") }
    }

    @Test func pythonListLiteralsReadPythonsEscapesAndQuotes() throws {
        let parsed = try PythonListLiteral.parse(#"['it\'s', "say \"hi\"", 'a\nb\t\\', '\x41\u00e9\U0001F600', '\101', ]"#)
        #expect(parsed == [.string("it's"), .string("say \"hi\""), .string("a\nb\t\\"), .string("Aé😀"), .string("A")])
        #expect(try PythonListLiteral.parse("[0, 1]") == [.int(0), .int(1)])
        #expect(try PythonListLiteral.parse(" [ ] ") == [])
        for bad in ["", "0, 1", "['a' 'b']", "['a',", "['a'] x", "[None]", "['\\x4']", "[99999999999999999999]"] {
            #expect(throws: PythonListLiteral.Failure.self, "\(bad)") { try PythonListLiteral.parse(bad) }
        }
    }
}
