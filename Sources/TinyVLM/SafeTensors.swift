import Foundation

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (plus `__metadata__`: string → string),
/// then the raw little-endian bytes. Python's `safetensors` opens what this writes.
public enum SafeTensors {
    public struct Failure: Error, Sendable, CustomStringConvertible {
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

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw Failure(message: "file too short") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 8) else { throw Failure(message: "header length exceeds the file") }
        let headerEnd = 8 + Int(length)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
            throw Failure(message: "header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                  let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), offsets.count == 2 else {
                throw Failure(message: "tensor '\(name)' is not a float32 entry with shape and data_offsets")
            }
            let count = shape.reduce(1, *)
            let begin = headerEnd + offsets[0], end = headerEnd + offsets[1]
            guard offsets[0] >= 0, end - begin == count * 4, end <= bytes.count else {
                throw Failure(message: "tensor '\(name)' data_offsets do not match its shape")
            }
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
