import JSONText

/// An error in the OpenAI API's shape: `{"error": {"message", "type", "param", "code"}}`, with the type
/// its status implies (400 `invalid_request_error`, 404 `not_found_error`, …).
public struct OpenAIError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String
    public var param: String?
    public var code: String?

    public init(status: Int, message: String, param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.param = param
        self.code = code
    }

    public var type: String {
        switch status {
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 500...: "server_error"
        default: "invalid_request_error"
        }
    }

    public var body: [UInt8] {
        JSONValue.object([("error", .object([("message", .string(message)), ("type", .string(type)),
                                             ("param", param.map(JSONValue.string) ?? .null), ("code", code.map(JSONValue.string) ?? .null)]))]).bytes()
    }
}
