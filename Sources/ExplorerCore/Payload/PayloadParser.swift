// PayloadParser — decodes payload syntax (quoted text, x"hex", @file, bare words) and escapes into a Payload.

/// Decodes payload syntax into a `Payload`.
///
/// Grammar, piece by piece, blanks between pieces ignored:
/// - `"text"` — escapes `\r \n \t \\ \" \' \0 \a \b \e \f \v \xNN \u{X…}`; any other escape is an error.
/// - `x"de ad be ef"` — hex; blanks, `:`, `,` and `0x` prefixes are ignored; digits pair up across them.
/// - `@path` (to the next blank) or `@"path"` — a file the engine reads.
/// - anything else starts **bare words**: the rest of the text, trailing blanks dropped, escapes processed,
///   quotes literal — so `send hello world\r\n` sends `hello world` CR LF.
public enum PayloadParser {
    /// Parses `text` as a payload; columns in messages count from 1 at the start of `text`.
    public static func parse(_ text: String) throws(ParseError) -> Payload {
        let line = LineText(text)
        return try parse(line, line.bytes.indices)
    }

    /// Parses the payload in `range` of `line`; columns in messages count from the start of `line`.
    static func parse(_ line: LineText, _ range: Range<Int>) throws(ParseError) -> Payload {
        var pieces: [PayloadPiece] = []
        var index = line.skipBlanks(from: range.lowerBound, to: range.upperBound)
        let end = range.upperBound
        while index < end {
            let byte = line.bytes[index]
            let next = index + 1 < end ? line.bytes[index + 1] : 0
            if byte == quote {
                let (bytes, after) = try decodeQuoted(line, at: index, end: end)
                pieces.append(.bytes(bytes))
                index = after
            } else if (byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X")) && next == quote {
                let (bytes, after) = try decodeHex(line, at: index, end: end)
                pieces.append(.bytes(bytes))
                index = after
            } else if byte == UInt8(ascii: "@") {
                let (path, after) = try decodeFileName(line, at: index, end: end)
                pieces.append(.file(path))
                index = after
            } else {
                let stop = line.trimBlanks(from: index, to: end)
                pieces.append(.bytes(try decodeEscapes(line, index..<stop)))
                index = end
            }
            index = line.skipBlanks(from: index, to: end)
        }
        return Payload(pieces)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    // MARK: Pieces

    /// Decodes the quoted string whose opening quote is at `start`; returns its bytes and the index after it.
    static func decodeQuoted(_ line: LineText, at start: Int, end: Int) throws(ParseError) -> ([UInt8], Int) {
        var bytes: [UInt8] = []
        var index = start + 1
        while index < end {
            let byte = line.bytes[index]
            if byte == quote { return (bytes, index + 1) }
            if byte == backslash {
                guard index + 1 < end else { break }  // `"abc\` — the quote is what is missing
                index = try decodeEscape(line, at: index, end: end, into: &bytes)
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        throw ParseError("unterminated quote starting at column \(line.column(at: start))")
    }

    /// Decodes `x"…"` starting at `start` (the `x`); returns its bytes and the index after the closing quote.
    private static func decodeHex(_ line: LineText, at start: Int, end: Int) throws(ParseError) -> ([UInt8], Int) {
        var close = start + 2
        while close < end, line.bytes[close] != quote { close += 1 }
        guard close < end else {
            throw ParseError("unterminated hex string starting at column \(line.column(at: start))")
        }
        let source = MessageText.visible(line.text(start..<(close + 1)))
        var digits: [UInt8] = []
        var index = start + 2
        var atGroupStart = true
        while index < close {
            let byte = line.bytes[index]
            if LineText.isBlank(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") {
                atGroupStart = true
                index += 1
                continue
            }
            if atGroupStart, byte == UInt8(ascii: "0"), index + 1 < close,
               line.bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
                atGroupStart = false
                index += 2
                continue
            }
            guard let digit = hexValue(byte) else {
                let bad = line.text(index..<scalarEnd(line, from: index, end: close))
                throw ParseError("invalid hex digit '\(MessageText.visible(bad))' in \(source)")
            }
            digits.append(digit)
            atGroupStart = false
            index += 1
        }
        guard digits.count % 2 == 0 else {
            throw ParseError("odd number of hex digits in \(source)")
        }
        let bytes = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        return (bytes, close + 1)
    }

    /// Decodes `@path` or `@"path"` starting at `start` (the `@`); returns the path and the index after it.
    private static func decodeFileName(_ line: LineText, at start: Int, end: Int) throws(ParseError) -> (String, Int) {
        let nameStart = start + 1
        if nameStart < end, line.bytes[nameStart] == quote {
            let (bytes, after) = try decodeQuoted(line, at: nameStart, end: end)
            return (PathText.expanded(try fileName(bytes, column: line.column(at: start))), after)
        }
        var stop = nameStart
        while stop < end, !LineText.isBlank(line.bytes[stop]) { stop += 1 }
        guard stop > nameStart else {
            throw ParseError("expected a file name after @ at column \(line.column(at: start))")
        }
        return (PathText.expanded(line.text(nameStart..<stop)), stop)
    }

    /// A decoded quoted path as a String; a path must be text, and empty is never a file.
    static func fileName(_ bytes: [UInt8], column: Int) throws(ParseError) -> String {
        guard !bytes.isEmpty else { throw ParseError("empty file name at column \(column)") }
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw ParseError("file name at column \(column) is not valid UTF-8")
        }
        return name
    }

    // MARK: Escapes

    /// The bytes of `range` with escapes decoded and everything else copied as is.
    static func decodeEscapes(_ line: LineText, _ range: Range<Int>) throws(ParseError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            if line.bytes[index] == backslash {
                index = try decodeEscape(line, at: index, end: range.upperBound, into: &bytes)
            } else {
                bytes.append(line.bytes[index])
                index += 1
            }
        }
        return bytes
    }

    /// Decodes the escape whose backslash is at `start`, appends its bytes, and returns the index after it.
    private static func decodeEscape(
        _ line: LineText, at start: Int, end: Int, into bytes: inout [UInt8]
    ) throws(ParseError) -> Int {
        guard start + 1 < end else {
            throw ParseError("incomplete escape \\ at column \(line.column(at: start))")
        }
        let letter = line.bytes[start + 1]
        if let simple = simpleEscapes[letter] {
            bytes.append(simple)
            return start + 2
        }
        switch letter {
        case UInt8(ascii: "x"):
            let digits = start + 2 < end ? line.bytes[(start + 2)..<min(start + 4, end)] : []
            guard digits.count == 2, let high = hexValue(digits.first!), let low = hexValue(digits.last!) else {
                throw ParseError("\\xNN needs two hex digits, got \(snippet(line, from: start, to: min(start + 4, end)))")
            }
            bytes.append(high << 4 | low)
            return start + 4
        case UInt8(ascii: "u"):
            return try decodeUnicodeEscape(line, at: start, end: end, into: &bytes)
        case _ where LineText.isBlank(letter):
            throw ParseError("unknown escape \\ followed by a blank at column \(line.column(at: start))")
        default:
            throw ParseError("unknown escape \(snippet(line, from: start, to: scalarEnd(line, from: start + 1, end: end)))")
        }
    }

    /// Decodes `\u{X…}` at `start`: 1 to 8 hex digits naming a Unicode scalar, appended as UTF-8.
    private static func decodeUnicodeEscape(
        _ line: LineText, at start: Int, end: Int, into bytes: inout [UInt8]
    ) throws(ParseError) -> Int {
        guard start + 2 < end, line.bytes[start + 2] == UInt8(ascii: "{") else {
            throw ParseError("\\u needs braces, e.g. \\u{4F60}")
        }
        var index = start + 3
        var value: UInt32 = 0
        while index < end, let digit = hexValue(line.bytes[index]) {
            value = min(value &* 16 &+ UInt32(digit), 0x0100_0000)  // saturate: anything this big is invalid
            index += 1
        }
        let digitCount = index - (start + 3)
        guard index < end, line.bytes[index] == UInt8(ascii: "}"), (1...8).contains(digitCount) else {
            let shown = snippet(line, from: start, to: min(index + 1, end))
            throw ParseError("\\u{…} needs 1 to 8 hex digits and a closing brace, got \(shown)")
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw ParseError("\(line.text(start..<(index + 1))) is not a Unicode scalar")
        }
        bytes.append(contentsOf: Array(String(scalar).utf8))
        return index + 1
    }

    /// Escapes that stand for one byte.
    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09,
        UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "\""): 0x22, UInt8(ascii: "'"): 0x27,
        UInt8(ascii: "0"): 0x00, UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08,
        UInt8(ascii: "e"): 0x1B, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "v"): 0x0B,
    ]

    /// The value of an ASCII hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The text from `start` up to `limit` or the first blank, on whole characters, made safe to show.
    private static func snippet(_ line: LineText, from start: Int, to limit: Int) -> String {
        var stop = start
        while stop < limit, stop == start || !LineText.isBlank(line.bytes[stop]) {
            stop = scalarEnd(line, from: stop, end: line.bytes.count)
        }
        return MessageText.visible(line.text(start..<stop))
    }

    /// The index after the UTF-8 scalar starting at `index`, so messages quote whole characters.
    private static func scalarEnd(_ line: LineText, from index: Int, end: Int) -> Int {
        var stop = index + 1
        while stop < end, line.bytes[stop] & 0xC0 == 0x80 { stop += 1 }
        return stop
    }
}
