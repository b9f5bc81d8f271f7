// PHPFunction.swift — one of the seed's `socket_*` functions: its PHP signature, the C calls PHP
// makes for it, the sockpit commands that do the same, and what PHP hides. The rows themselves are
// in PHPFunctionTable.swift; `help php` (PHPHelp) and `explain` (TraceExplainer) read them.

/// A `socket_*` function of PHP's sockets extension, as the seed names it.
public struct PHPFunction: Equatable, Sendable {
    /// Whether PHP still has it.
    public enum Availability: Equatable, Sendable {
        /// In PHP 8 (the signature is PHP 8.2's, checked against `php --rf`).
        case current
        /// Gone; the text says since when and what took its place.
        case removed(String)
    }

    /// `socket_bind`.
    public let name: String
    /// `socket_bind(Socket $socket, string $address, int $port = 0): bool`; PHP 4's form for removed ones.
    public let signature: String
    public let availability: Availability
    /// The C functions PHP calls, in order (names of `CFunction.all`); empty when there is no
    /// counterpart below PHP.
    public let calls: [String]
    /// The sockpit commands that do the same (PRODUCT.md §2 and §7 syntax); empty when none does.
    public let commands: [String]
    /// What it does, in a few English words.
    public let summary: String
    /// The seed's own description, verbatim from its table of functions.
    public let seedDescription: String
    /// Where PHP hides a call, has no kernel counterpart, or was replaced; empty when nothing to add.
    public let note: String

    /// The C functions of `calls`, with their prototypes.
    public var cFunctions: [CFunction] { calls.compactMap(CFunction.named) }
}

/// A name the seed spells wrong, and the function it means.
public struct SeedMisspelling: Equatable, Sendable {
    /// `socket_creat`.
    public let spelling: String
    /// `socket_create`.
    public let meant: String
    /// Where the seed writes it, verbatim, so a reader can find it.
    public let seedLine: String
}

/// Why `PHPFunctionTable.lookup` found nothing.
public struct PHPLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

extension PHPFunctionTable {
    /// Every `socket_*` name the seed mentions: the functions of its table and its misspellings.
    public static var seedNames: [String] {
        (functions.map(\.name) + misspellings.map(\.spelling)).sorted()
    }

    /// The function named `text`: any case, with or without `socket_` and `()`, or a misspelling
    /// the seed uses (`socket_creat` → `socket_create`).
    public static func lookup(_ text: String) -> PHPFunction? {
        var name = text.lowercased()
        if name.hasSuffix("()") { name.removeLast(2) }
        if !name.hasPrefix("socket_") { name = "socket_" + name }
        if let misspelled = misspellings.first(where: { $0.spelling == name }) { name = misspelled.meant }
        return functions.first { $0.name == name }
    }

    /// Like `lookup`, but says what is wrong and suggests the closest name.
    public static func find(_ text: String) throws(PHPLookupError) -> PHPFunction {
        if let function = lookup(text) { return function }
        let typed = text.lowercased().hasPrefix("socket_") ? text.lowercased() : "socket_" + text.lowercased()
        let hint = Suggestion.hint(for: typed, in: seedNames)
        throw PHPLookupError(description: "no PHP socket function \(MessageText.quoted(text))\(hint)")
    }

    /// The misspelling row for `spelling`, if the seed uses it.
    public static func misspelling(_ spelling: String) -> SeedMisspelling? {
        misspellings.first { $0.spelling == spelling.lowercased() }
    }
}
