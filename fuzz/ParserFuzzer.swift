// ParserFuzzer.swift — libFuzzer target for the command parser (`CommandParser.parse`): any line
// only returns a command, nil (blank or comment) or a ParseError whose message is fit for the
// status line (CommandParserFuzzTests' rule); and blanks before the command word change nothing
// (the lexical rules of CommandParser: words are separated by blanks, a comment is decided by the
// first non-blank character).

import ExplorerCore

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = String(decoding: inputBytes(data, size), as: UTF8.self)
    let plain = outcome(line)
    let indented = outcome(" \t" + line)
    require(plain == indented, "leading blanks change \(line.debugDescription): \(plain) vs \(indented)")
    return 0
}

/// What parsing gave: errors compare equal whatever their text, since their columns move with the
/// blanks; each message is checked on the way.
private enum Outcome: Equatable {
    case command(Command?)
    case error
}

private func outcome(_ line: String) -> Outcome {
    do throws(ParseError) {
        return .command(try CommandParser.parse(line))
    } catch {
        require(!isUnsafeMessage(error.message), "unfit message \(error.message.debugDescription) for \(line.debugDescription)")
        return .error
    }
}
