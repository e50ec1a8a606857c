import NodeKit
/// Folds the per-variant node lists of a matrix into one DAG in which a node shared by several variants
/// appears once. Two variants share a node when its type, params and (recursively) inputs resolve the
/// same; otherwise each distinct version is named `stage[var=value]` after the variables that tell them apart.
struct VariantMerging {
    let variants: [[String: Value]]
    let variableNames: [String]
    let nodesByVariant: [[String: ResolvedNode]]
    let order: [String]

    private var canonical: [String: [String]] = [:]   // name → canonical name per variant
    private var signatures: [String: [String]] = [:]
    private var visiting: Set<String> = []

    init(variants: [[String: Value]], variableNames: [String], perVariant: [[ResolvedNode]]) {
        self.variants = variants
        self.variableNames = variableNames
        self.nodesByVariant = perVariant.map { Dictionary($0.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        var seen: Set<String> = []
        self.order = perVariant.flatMap { $0.map(\.name) }.filter { seen.insert($0).inserted }
    }

    mutating func merged() -> [ResolvedNode] {
        var result: [ResolvedNode] = []
        for name in order {
            let names = canonicalNames(name)
            var emitted: Set<String> = []
            for (v, canonicalName) in names.enumerated() {
                guard var node = nodesByVariant[v][name], emitted.insert(canonicalName).inserted else { continue }
                node.name = canonicalName
                node.inputs = node.inputs.mapValues { refs in refs.map { rename($0, variant: v) } }
                result.append(node)
            }
        }
        return result
    }

    private mutating func rename(_ ref: Reference, variant v: Int) -> Reference {
        guard nodesByVariant[v][ref.node] != nil else { return ref }
        var renamed = ref
        renamed.node = canonicalNames(ref.node)[v]
        return renamed
    }

    private mutating func canonicalNames(_ name: String) -> [String] {
        if let known = canonical[name] { return known }
        guard visiting.insert(name).inserted else { return Array(repeating: name, count: variants.count) }
        defer { visiting.remove(name) }
        var sigs: [String] = []
        for v in variants.indices {
            guard let node = nodesByVariant[v][name] else { sigs.append("absent"); continue }
            var sig = node.type + "|" + Value.map(node.params.mapValues(\.value)).canonicalJSON
            for key in node.inputs.keys.sorted() {
                sig += "|" + key + "=" + node.inputs[key]!.map { rename($0, variant: v).description }.joined(separator: ",")
            }
            sigs.append(sig)
        }
        let distinct = Array(Set(sigs.filter { $0 != "absent" }))
        var names = Array(repeating: name, count: variants.count)
        if distinct.count > 1 {
            let groups = sigs.indices.filter { sigs[$0] != "absent" }.map { v in sigs[v] }
            let telling = variableNames.filter { variable in
                let withinAgree = distinct.allSatisfy { sig in
                    Set(sigs.indices.filter { sigs[$0] == sig }.map { variants[$0][variable] }).count == 1
                }
                let acrossDiffer = Set(groups.indices.map { variants[$0][variable] }).count > 1
                return withinAgree && acrossDiffer
            }
            for v in variants.indices where sigs[v] != "absent" {
                let label = telling.isEmpty
                    ? "variant\(distinct.sorted().firstIndex(of: sigs[v])! + 1)"
                    : telling.map { "\($0)=\(variants[v][$0]?.description ?? "")" }.joined(separator: ",")
                names[v] = "\(name)[\(label)]"
            }
        }
        canonical[name] = names
        return names
    }
}
