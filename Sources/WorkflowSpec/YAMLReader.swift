import CYAML

/// Reads YAML text into a located `YAMLNode` tree through libyaml's event API.
///
/// libyaml reports 0-based marks; this reader turns them into 1-based `SourceLocation`s. It resolves
/// aliases (an unknown anchor is an error) and `<<` merge keys, which libyaml leaves to the application,
/// and rejects duplicate keys in one map, which YAML forbids but most loaders silently accept.
///
/// Bounded: collections nest at most `maxDepth` deep, and a document expands (aliases counted as the
/// copies they stand for) to at most `maxNodes` nodes, so an anchor bomb is an error, not gigabytes.
/// Duplicate keys are found in linear time.
public enum YAMLReader {
    public static let maxDepth = 100
    public static let maxNodes = 2_000_000

    public static func parse(_ text: String, file: String) throws(SpecError) -> YAMLNode {
        var state = ReaderState(file: file)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw SpecError(SourceLocation(file: file, line: 1, column: 1), "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(SpecError) -> YAMLNode in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var root: YAMLNode?
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw state.syntaxError(parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                if let node = try state.consume(event) {
                    if root != nil {
                        throw SpecError(node.location, "a workflow file holds one YAML document",
                                        hint: "remove the extra `---` document")
                    }
                    root = node
                }
            }
            return root ?? YAMLNode(.map([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// The stack machine that turns events into nodes.
private struct ReaderState {
    let file: String
    /// Anchored nodes with their expanded size in nodes.
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// Open collections: (start event location, anchor, items so far, isMap, expanded size so far).
    var stack: [(location: SourceLocation, anchor: String?, items: [YAMLNode], isMap: Bool, size: Int)] = []

    init(file: String) { self.file = file }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func syntaxError(_ parser: yaml_parser_t) -> SpecError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let context = parser.context.map { String(cString: $0) + ", " } ?? ""
        return SpecError(location(parser.problem_mark), "YAML syntax: \(context)\(problem)",
                         hint: "check the indentation and quoting around this place")
    }

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    /// Feeds one event; returns the document's root node when it completes.
    mutating func consume(_ event: yaml_event_t) throws(SpecError) -> YAMLNode? {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = s.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(s.length)), as: UTF8.self)
            } ?? ""
            let node = YAMLNode.scalar(text, plain: s.style == YAML_PLAIN_SCALAR_STYLE, at: at)
            return try finish(node, size: 1, anchor: Self.string(s.anchor), at: at)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard var (node, size) = anchors[name] else {
                throw SpecError(at, "alias '*\(name)' refers to no anchor defined before it",
                                hint: "define '&\(name)' earlier in the file")
            }
            node.location = at
            return try finish(node, size: size, anchor: nil, at: at)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < YAMLReader.maxDepth else {
                throw SpecError(at, "collections nest deeper than \(YAMLReader.maxDepth) levels",
                                hint: "a workflow needs a few levels; flatten this value")
            }
            let isMap = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMap ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            stack.append((at, Self.string(anchor), [], isMap, 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let open = stack.removeLast()
            let node = open.isMap ? try buildMap(open.items, at: open.location)
                                  : YAMLNode(.list(open.items), at: open.location)
            return try finish(node, size: open.size, anchor: open.anchor, at: open.location)
        default:
            break
        }
        return nil
    }

    /// Records an anchor and either appends the node to its parent or returns it as the root.
    /// `size` is the node's expanded size; the parent's grows by it, and no collection may pass `maxNodes`.
    mutating func finish(_ node: YAMLNode, size: Int, anchor: String?, at: SourceLocation) throws(SpecError) -> YAMLNode? {
        if let anchor { anchors[anchor] = (node, size) }
        if stack.isEmpty { return node }
        let total = stack[stack.count - 1].size + size
        guard total <= YAMLReader.maxNodes else {
            throw SpecError(at, "the document expands to more than \(YAMLReader.maxNodes) values",
                            hint: "aliases copy their anchor; nested aliases multiply (an anchor bomb?)")
        }
        stack[stack.count - 1].size = total
        stack[stack.count - 1].items.append(node)
        return nil
    }

    /// Pairs up a map's alternating key/value nodes, applying `<<` merges and rejecting duplicates.
    func buildMap(_ items: [YAMLNode], at location: SourceLocation) throws(SpecError) -> YAMLNode {
        var entries: [YAMLNode.Entry] = []
        var firstAt: [String: SourceLocation] = [:]
        var merged: [YAMLNode.Entry] = []
        var mergedKeys: Set<String> = []
        var errors = DiagnosticSink()
        var index = 0
        while index + 1 < items.count {
            let key = items[index], value = items[index + 1]
            index += 2
            guard case .scalar(let name, let plain) = key.kind else {
                errors.error(key.location, "map keys must be plain words, found \(key.kindName)")
                continue
            }
            if name == "<<" && plain {
                let sources = value.items ?? [value]
                for source in sources {
                    guard let sourceEntries = source.entries else {
                        errors.error(source.location, "`<<` merges a map, found \(source.kindName)",
                                     hint: "write `<<: *anchor` where the anchor names a map")
                        continue
                    }
                    for entry in sourceEntries where mergedKeys.insert(entry.key).inserted {
                        merged.append(entry)
                    }
                }
                continue
            }
            if let first = firstAt[name] {
                errors.error(key.location, "duplicate key '\(name)' (first defined at \(first))",
                             hint: "rename one of them or merge their contents")
                continue
            }
            firstAt[name] = key.location
            entries.append(YAMLNode.Entry(key: name, keyLocation: key.location, value: value))
        }
        try errors.check()
        // Explicit keys win over merged ones, as the YAML merge-key spec says.
        for entry in merged where firstAt[entry.key] == nil { entries.append(entry) }
        return YAMLNode(.map(entries), at: location)
    }
}
