/// Reads tab-separated values as pandas writes them (`DataFrame.to_csv(sep='\t')`, which is how
/// VLMEvalKit stores its benchmarks): a header row, then one record per row; a field holding a tab, a
/// quote or a line break is wrapped in double quotes, with each inner quote doubled; rows end in `\n`
/// or `\r\n`; blank rows are skipped. Pure and bounded: a field longer than `maxField` bytes, more than
/// `maxColumns` columns or a row whose field count differs from the header's is an error naming its line.
enum TabSeparatedValues {
    struct Row {
        /// 1-based line on which the row starts (a quoted field may span lines).
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// The header's column names and the data rows. O(n) in the input's length.
    static func read(_ bytes: [UInt8], maxField: Int, maxColumns: Int = 1_000) throws(Failure) -> (header: [String], rows: [Row]) {
        let tab: UInt8 = 9, lf: UInt8 = 10, cr: UInt8 = 13, quote: UInt8 = 34
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, rowLine = 1
        var i = 0
        let n = bytes.count
        var atFieldStart = true

        func finishField() throws(Failure) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Failure(line: rowLine, message: "column \(fields.count + 1) is not valid UTF-8")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            guard fields.count <= maxColumns else { throw Failure(line: rowLine, message: "more than \(maxColumns) columns") }
        }
        func finishRow() {
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < n {
            let c = bytes[i]
            if atFieldStart && c == quote {
                // A quoted field: up to the quote that is not doubled.
                i += 1
                var closed = false
                while i < n {
                    let q = bytes[i]
                    if q == quote {
                        if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if q == lf { line += 1 }
                    field.append(q)
                    i += 1
                    guard field.count <= maxField else {
                        throw Failure(line: rowLine, message: "column \(fields.count + 1) is longer than \(maxField) bytes")
                    }
                }
                guard closed else { throw Failure(line: rowLine, message: "a quoted field is not closed before the end of the file") }
                guard i == n || bytes[i] == tab || bytes[i] == lf || bytes[i] == cr else {
                    throw Failure(line: line, message: "text follows a closing quote in column \(fields.count + 1); "
                                  + "inside a quoted field a quote is written twice (\"\")")
                }
                atFieldStart = false
                continue
            }
            switch c {
            case tab:
                try finishField()
                atFieldStart = true
            case lf, cr:
                try finishField()
                finishRow()
                if c == cr && i + 1 < n && bytes[i + 1] == lf { i += 1 }
                line += 1
                rowLine = line
                atFieldStart = true
            default:
                field.append(c)
                atFieldStart = false
                guard field.count <= maxField else {
                    throw Failure(line: rowLine, message: "column \(fields.count + 1) is longer than \(maxField) bytes")
                }
            }
            i += 1
        }
        if !atFieldStart || !field.isEmpty || !fields.isEmpty {
            try finishField()
            finishRow()
        }
        guard let header = rows.first else { throw Failure(line: 1, message: "the file is empty; it needs a header row") }
        let data = Array(rows.dropFirst())
        for row in data where row.fields.count != header.fields.count {
            throw Failure(line: row.line, message: "\(row.fields.count) columns, but the header has \(header.fields.count)")
        }
        return (header.fields, data)
    }
}
