/// JSON text read and written without Foundation's `Codable` machinery, for the places that handle JSON by
/// the thousand: the store's records on every no-op run, and chat requests and responses on both sides of
/// an OpenAI-compatible connection. `JSONValue` is a parsed document (numbers kept as their text, object
/// fields in document order); `JSONValue.parse` reads RFC 8259 text and returns nil on anything else, and
/// `bytes(sortedKeys:)` writes a value back as compact text, escaping strings as Foundation's `JSONEncoder`
/// does (so a body written here has the bytes `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` would give it).
enum JSONText {}
