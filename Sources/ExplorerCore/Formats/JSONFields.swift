// JSONFields — reads one flat JSON object (a line of sockpit's JSON lines) into its fields: strings
// decoded, numbers and literals as their text. Enough for `replay` to read `t`, `id`, `event`,
// `peer` and `data_b64` back; nested values are refused (sockpit never writes them).

/// A flat JSON object's fields.
struct JSONFields {
    enum Value: Equatable {
        case string([UInt8])
        /// A number, `true`, `false` or `null`, as written.
        case literal([UInt8])
    }

    private(set) var values: [String: Value] = [:]

    /// Parses `line` (without its newline); nil with the reason when it is no flat JSON object.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<JSONFields, JSONFieldError> {
        var parser = Parser(bytes: line)
        do throws(JSONFieldError) {
            return .success(try parser.object())
        } catch {
            return .failure(error)
        }
    }

    func string(_ key: String) -> [UInt8]? {
        if case .string(let bytes)? = values[key] { return bytes }
        return nil
    }

    func integer(_ key: String) -> Int? {
        guard case .literal(let text)? = values[key] else { return nil }
        return Int(String(decoding: text, as: UTF8.self))
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func object() throws(JSONFieldError) -> JSONFields {
            var fields = JSONFields()
            skipBlanks()
            try expect(UInt8(ascii: "{"))
            skipBlanks()
            if peek() == UInt8(ascii: "}") { at += 1; return try end(fields) }
            while true {
                skipBlanks()
                guard peek() == UInt8(ascii: "\"") else { throw JSONFieldError("expected a key at column \(at + 1)") }
                let key = String(decoding: try string(), as: UTF8.self)
                skipBlanks()
                try expect(UInt8(ascii: ":"))
                skipBlanks()
                guard let first = peek() else { throw JSONFieldError("the line ends after \"\(key)\":") }
                switch first {
                case UInt8(ascii: "\""): fields.values[key] = .string(try string())
                case UInt8(ascii: "{"), UInt8(ascii: "["): throw JSONFieldError("\"\(key)\" holds a nested value at column \(at + 1)")
                default: fields.values[key] = .literal(literal())
                }
                skipBlanks()
                guard let next = peek() else { throw JSONFieldError("the object is not closed") }
                at += 1
                if next == UInt8(ascii: "}") { return try end(fields) }
                guard next == UInt8(ascii: ",") else { throw JSONFieldError("expected , or } at column \(at)") }
            }
        }

        private mutating func end(_ fields: JSONFields) throws(JSONFieldError) -> JSONFields {
            skipBlanks()
            guard at == bytes.count else { throw JSONFieldError("text after the object at column \(at + 1)") }
            return fields
        }

        private func peek() -> UInt8? { at < bytes.count ? bytes[at] : nil }

        private mutating func expect(_ byte: UInt8) throws(JSONFieldError) {
            guard peek() == byte else { throw JSONFieldError("expected \(Character(Unicode.Scalar(byte))) at column \(at + 1)") }
            at += 1
        }

        private mutating func skipBlanks() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0d { at += 1 }
        }

        private mutating func literal() -> [UInt8] {
            let start = at
            while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte > 0x20 { at += 1 }
            return Array(bytes[start ..< at])
        }

        /// A string at `at` (its opening quote), escapes decoded.
        private mutating func string() throws(JSONFieldError) -> [UInt8] {
            at += 1
            var out: [UInt8] = []
            var runStart = at
            while let byte = peek() {
                if byte == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[runStart ..< at])
                    at += 1
                    return out
                }
                guard byte == UInt8(ascii: "\\") else { at += 1; continue }
                out.append(contentsOf: bytes[runStart ..< at])
                at += 1
                guard let escaped = peek() else { break }
                at += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "u"):
                    guard at + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[at ..< at + 4], as: UTF8.self), radix: 16) else {
                        throw JSONFieldError("a bad \\u escape at column \(at)")
                    }
                    at += 4
                    out.append(contentsOf: String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(escaped)  // \" \\ \/
                }
                runStart = at
            }
            throw JSONFieldError("a string is not closed")
        }
    }
}

/// Why a line is no flat JSON object.
struct JSONFieldError: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
