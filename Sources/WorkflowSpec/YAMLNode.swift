/// A YAML document as a tree in which every node remembers where it was written.
///
/// Anchors and aliases are already resolved (an alias is a copy of its anchor's node) and `<<` merge keys
/// are applied, so later passes see plain maps, lists and scalars.
public struct YAMLNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A scalar's text; `plain` is false for quoted and block scalars (never typed as numbers etc.).
        case scalar(String, plain: Bool)
        case map([Entry])
        case list([YAMLNode])
    }

    /// One `key: value` pair; keys are scalars, kept with their own location.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: YAMLNode
        public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public static func scalar(_ text: String, plain: Bool = true, at location: SourceLocation) -> YAMLNode {
        YAMLNode(.scalar(text, plain: plain), at: location)
    }

    public var entries: [Entry]? { if case .map(let e) = kind { return e } else { return nil } }
    public var items: [YAMLNode]? { if case .list(let i) = kind { return i } else { return nil } }
    public var text: String? { if case .scalar(let s, _) = kind { return s } else { return nil } }

    /// The value under `key` in a map node.
    public subscript(key: String) -> YAMLNode? {
        entries?.first { $0.key == key }?.value
    }

    /// What kind of node this is, for messages ("expected a map, found a list").
    public var kindName: String {
        switch kind {
        case .scalar: "a scalar"
        case .map: "a map"
        case .list: "a list"
        }
    }
}

extension YAMLNode {
    /// Deep merge for `extends:`: maps merge key by key (the override wins and keeps its location),
    /// anything else is replaced whole. A `null` override (`key: ~`) deletes the key.
    public func merged(with override: YAMLNode) -> YAMLNode {
        guard case .map(var base) = kind, case .map(let over) = override.kind else { return override }
        for entry in over {
            if let i = base.firstIndex(where: { $0.key == entry.key }) {
                if entry.value.isNull {
                    base.remove(at: i)
                } else {
                    base[i] = Entry(key: entry.key, keyLocation: entry.keyLocation,
                                    value: base[i].value.merged(with: entry.value))
                }
            } else if !entry.value.isNull {
                base.append(entry)
            }
        }
        return YAMLNode(.map(base), at: location)
    }

    /// A plain `~`, `null` or empty scalar.
    public var isNull: Bool {
        if case .scalar(let s, let plain) = kind { return plain && ["", "~", "null", "Null", "NULL"].contains(s) }
        return false
    }
}
