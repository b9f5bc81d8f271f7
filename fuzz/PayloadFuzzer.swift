// PayloadFuzzer.swift — libFuzzer target for the payload decoder (`PayloadParser.parse`): any text
// only returns a payload or throws a ParseError whose message is fit for the status line
// (CommandParserFuzzTests' rule); a payload is normalized as `Payload` documents; and the input's
// bytes, spelled as `x"…"` hex and as a quoted string of `\xNN` escapes, decode to exactly those
// bytes.

import ExplorerCore

@_cdecl("LLVMFuzzerTestOneInput")
public func payloadFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    let text = String(decoding: input, as: UTF8.self)
    do throws(ParseError) {
        let payload = try PayloadParser.parse(text)
        for (index, piece) in payload.pieces.enumerated() {
            if case .bytes(let bytes) = piece {
                require(!bytes.isEmpty, "empty bytes piece for \(text.debugDescription)")
                if index > 0, case .bytes = payload.pieces[index - 1] {
                    require(false, "unmerged bytes pieces for \(text.debugDescription)")
                }
            }
        }
    } catch {
        require(!isUnsafeMessage(error.message), "unfit message \(error.message.debugDescription) for \(text.debugDescription)")
    }

    let bytes = Array(input)
    let hex = "x\"" + bytes.map { hexByte($0) }.joined(separator: " ") + "\""
    require(literal(hex) == bytes, "\(hex) does not decode to its bytes")
    let quoted = "\"" + bytes.map { "\\x" + hexByte($0) }.joined() + "\""
    require(literal(quoted) == bytes, "\(quoted) does not decode to its bytes")
    return 0
}

/// The literal bytes `text` decodes to, nil if it does not parse or names a file.
private func literal(_ text: String) -> [UInt8]? {
    do throws(ParseError) {
        // An empty payload (`x""`) is valid and has no pieces at all.
        return try PayloadParser.parse(text).literalBytes
    } catch {
        return nil
    }
}

private func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}
