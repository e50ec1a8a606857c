import Foundation

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (plus `__metadata__`: string → string),
/// then the raw little-endian bytes. Python's `safetensors` opens what this writes.
public enum SafeTensors {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "safetensors: \(message)" }
    }

    public struct Tensor: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// Tensors are laid out in name order, so equal inputs give equal bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String]) -> [UInt8] {
        var header = "{\"__metadata__\":" + jsonObject(metadata)
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let bytes = t.values.count * 4
            header += ",\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        // Pad the header with spaces to a multiple of 8 so the data is aligned.
        while (header.utf8.count % 8) != 0 { header += " " }
        var out = [UInt8]()
        out.reserveCapacity(8 + header.utf8.count + offset)
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { out += $0 }
        out += Array(header.utf8)
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { buffer in
                for v in buffer { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
            }
        }
        return out
    }

    /// Reads untrusted bytes (TinyVLM runs without bounds or overflow checks): every shape is checked to
    /// be non-negative with a product that fits, and every tensor's `data_offsets` to lie inside the file
    /// and span exactly 4 bytes per value, before anything is allocated for it; together the tensors
    /// cannot claim more bytes than the file holds.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw Failure(message: "file too short") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 8) else { throw Failure(message: "header length exceeds the file") }
        let headerEnd = 8 + Int(length)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
            throw Failure(message: "header is not a JSON object")
        }
        let dataBytes = bytes.count - headerEnd
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        var claimed = 0
        for (name, value) in header {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else { throw Failure(message: "__metadata__ is not a map of strings") }
                metadata = strings
                continue
            }
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                  let shape = integers(entry["shape"]), let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
                throw Failure(message: "tensor '\(name)' is not a float32 entry with an integer shape and two data_offsets")
            }
            guard let count = elementCount(shape) else { throw Failure(message: "tensor '\(name)' has an invalid shape \(shape)") }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataBytes else {
                throw Failure(message: "tensor '\(name)' data_offsets \(offsets) lie outside the \(dataBytes) data bytes")
            }
            guard offsets[1] - offsets[0] == count * 4 else {
                throw Failure(message: "tensor '\(name)' data_offsets span \(offsets[1] - offsets[0]) bytes; shape \(shape) needs \(count * 4)")
            }
            // Tensors may not share bytes (the format lays them end to end), so the values decoded in all
            // take no more memory than the file does.
            claimed += count * 4
            guard claimed <= dataBytes else { throw Failure(message: "tensors claim more than the \(dataBytes) data bytes (overlapping data_offsets)") }
            let begin = headerEnd + offsets[0]
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let o = begin + 4 * i
                let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        return (tensors, metadata)
    }

    /// A JSON array of integers (numbers with no fraction that fit an Int), else nil.
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for element in array {
            guard let number = element as? NSNumber, let double = Double(exactly: number.doubleValue), double == double.rounded(),
                  abs(double) < 0x1p62 else { return nil }
            out.append(Int(double))
        }
        return out
    }

    /// The product of non-negative dimensions, or nil if one is negative or the bytes would not fit in an Int.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int.max / 4 else { return nil }
            count = product
        }
        return count
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func jsonObject(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { jsonString($0) + ":" + jsonString(map[$0]!) }.joined(separator: ",") + "}"
    }
}
