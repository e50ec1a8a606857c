/// Word-level tokenizer over a closed vocabulary plus special tokens. Text is split on spaces; a word
/// outside the vocabulary becomes `<unk>`. Saved inside every checkpoint so a checkpoint is self-contained.
public struct Tokenizer: Sendable, Equatable, Codable {
    public static let specials = ["<pad>", "<unk>", "<bos>", "<eos>", "<sep>"]
    public let words: [String]
    private let ids: [String: Int32]

    public var pad: Int32 { 0 }
    public var unknown: Int32 { 1 }
    public var bos: Int32 { 2 }
    public var eos: Int32 { 3 }
    public var sep: Int32 { 4 }
    public var count: Int { words.count }

    /// `vocabulary` excludes the specials; duplicates are dropped, order kept.
    public init(vocabulary: [String]) {
        var seen = Set(Self.specials)
        var words = Self.specials
        for w in vocabulary where seen.insert(w).inserted { words.append(w) }
        self.words = words
        self.ids = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
    }

    public func id(_ word: String) -> Int32 { ids[word] ?? unknown }

    public func encode(_ text: String) -> [Int32] {
        text.split(separator: " ").map { id(String($0)) }
    }

    /// Words for ids, stopping at `<eos>`; `<pad>` is skipped.
    public func decode(_ tokens: [Int32]) -> String {
        var out: [String] = []
        for t in tokens {
            if t == eos { break }
            if t == pad { continue }
            out.append(Int(t) < words.count && t >= 0 ? words[Int(t)] : "<unk>")
        }
        return out.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey { case words }

    public init(from decoder: any Decoder) throws {
        let words = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .words)
        guard Array(words.prefix(Self.specials.count)) == Self.specials else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "tokenizer lacks the special tokens"))
        }
        self.init(vocabulary: Array(words.dropFirst(Self.specials.count)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(words, forKey: .words)
    }
}
