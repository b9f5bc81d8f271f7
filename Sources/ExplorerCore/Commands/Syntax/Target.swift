// Target — which socket a command acts on (`#3`, `.`, `*`), and how it is written.

/// Which socket a command acts on.
public enum Target: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `#N`: socket N (ids start at 1).
    case id(Int)
    /// `.`: the selected socket — what an omitted target means.
    case selected
    /// `*`: every open connection (for `filter`, every socket: no filter).
    case all

    /// `#3`, `.` or `*`, as typed.
    public var description: String {
        switch self {
        case .id(let id): "#\(id)"
        case .selected: "."
        case .all: "*"
        }
    }
}

/// Target syntax: `#N`, `.`, `*`.
enum Targets {
    /// Largest socket id accepted; far beyond any session, small enough never to overflow.
    static let maximumID = 999_999_999

    /// The target `word` spells exactly, nil if it is no target form, an error for `#0` or a huge id.
    static func parse(_ word: Word) throws(ParseError) -> Target? {
        switch word.text {
        case ".": return .selected
        case "*": return .all
        default: break
        }
        let digits = word.text.utf8.dropFirst()
        guard word.text.utf8.first == UInt8(ascii: "#"), !digits.isEmpty,
              digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard digits.count <= 9, let id = Int(word.text.dropFirst()), id <= maximumID else {
            throw ParseError("socket id \(MessageText.visible(word.text)) is too large")
        }
        guard id > 0 else { throw ParseError("no socket #0: ids start at #1") }
        return .id(id)
    }

    /// `target`, unless it is `*` where one socket is needed.
    static func check(_ target: Target, allowAll: Bool) throws(ParseError) -> Target {
        if target == .all, !allowAll { throw ParseError("* (every connection) cannot be used here; name one socket") }
        return target
    }
}
