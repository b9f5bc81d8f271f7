// ErrnoLookup.swift — `errno CODE|NAME` (the seed's socket_strerror): an error number or name to
// its name, number and glibc's message. Names come from SocketKit's errno table and messages from
// strerror, both through `SystemError`, so there is one table of names, not two.

import SocketKit

/// One Linux error number.
public struct ErrnoEntry: Equatable, Sendable {
    /// `ECONNREFUSED`.
    public let name: String
    /// `111`.
    public let code: Int32
    /// glibc's message: `Connection refused`.
    public let message: String
    /// The other name typed for the same number (`EWOULDBLOCK` for `EAGAIN`), when one was.
    public let alias: String?

    /// `ECONNREFUSED (111): Connection refused`; `EWOULDBLOCK = EAGAIN (11): Resource temporarily unavailable`.
    public var line: String {
        (alias.map { "\($0) = " } ?? "") + "\(name) (\(code)): \(message)"
    }

    /// The seed's way to get the message: `socket_strerror(111)` returns `'Connection refused'`.
    public var phpLine: String {
        "socket_strerror(\(code)) returns '\(message)'"
    }
}

/// Why a lookup found nothing.
public struct ErrnoLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

/// Looks error numbers up by number or name.
public enum ErrnoLookup {
    /// Every error number Linux names, in order (1 EPERM … ).
    public static let known: [ErrnoEntry] = (Int32(1)...255).compactMap { code in
        let error = SystemError(call: "errno", code: code)
        // SocketKit names unknown numbers `E<number>`: those are gaps (41, 58) or past the end.
        guard error.codeName != "E\(code)" else { return nil }
        return ErrnoEntry(name: error.codeName, code: code, message: error.message, alias: nil)
    }

    /// Names glibc defines as another name's number.
    static let aliases = ["EWOULDBLOCK": "EAGAIN", "EDEADLOCK": "EDEADLK", "ENOTSUP": "EOPNOTSUPP"]

    /// `111`, `ECONNREFUSED`, `econnrefused` or `CONNREFUSED` → ECONNREFUSED (111): Connection refused.
    public static func lookup(_ text: String) throws(ErrnoLookupError) -> ErrnoEntry {
        let typed = text.trimmingBlanks()
        guard !typed.isEmpty else {
            throw ErrnoLookupError(description: "expected an error number or name (errno 111, errno ECONNREFUSED)")
        }
        if typed.allSatisfy(\.isASCIIDigit) {
            guard let code = Int32(typed), let entry = known.first(where: { $0.code == code }) else {
                throw ErrnoLookupError(description: "no error number \(MessageText.visible(typed)) on Linux "
                    + "(\(code(typed) == 0 ? "0 means success; " : "")they run from 1 to \(known.last?.code ?? 0), with gaps)")
            }
            return entry
        }
        let upper = typed.uppercased()
        for name in upper.hasPrefix("E") ? [upper, "E" + upper] : ["E" + upper] {
            if let entry = known.first(where: { $0.name == name }) { return entry }
            if let canonical = aliases[name], let entry = known.first(where: { $0.name == canonical }) {
                return ErrnoEntry(name: entry.name, code: entry.code, message: entry.message, alias: name)
            }
        }
        let names = known.map { $0.name.lowercased() } + aliases.keys.map { $0.lowercased() }
        let guess = Suggestion.closest(to: upper.lowercased(), in: names)
            ?? (upper.hasPrefix("E") ? nil : Suggestion.closest(to: "e" + upper.lowercased(), in: names))
        let hint = guess.map { " (did you mean \($0.uppercased())?)" } ?? ""
        throw ErrnoLookupError(description: "no error named \(MessageText.quoted(typed))\(hint)")
    }

    private static func code(_ digits: String) -> Int? { Int(digits.prefix(12)) }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
