// Tab completion for the prompt: which words fit where, from each command's declared syntax
// (`CommandInfo.arguments` and `options` in the registry). Listing a directory is the program's
// job (`CompletionSource.listPaths`; Sources/sockpit/DirectoryListing.swift): TerminalUI touches
// no files.

import ExplorerCore

/// Everything completion may offer. The caller builds it from the command table and the socket
/// table each time Tab is pressed; `listPaths` comes from the program (the real directory lister)
/// or from a test (a fake file system).
public struct CompletionSource: Sendable {
    /// Command names (`listen`, `send`, …).
    public var commands: [String]
    /// Words each command accepts after its target (`view`: text, hex, both; `set`: setting names).
    /// Entries ending in `=` (`backlog=`) complete without a trailing space.
    public var keywords: [String: [String]]
    /// Socket ids as typed: `#1`, `#3`.
    public var socketIDs: [String]
    /// Socket option names for `sockopt`.
    public var optionNames: [String]
    /// Each command word's positional arguments, as declared (`CommandInfo.arguments`): what Tab
    /// offers at each position. A command without an entry falls back to `keywords`.
    public var syntax: [String: [ArgumentInfo]] = [:]
    /// Each command word's `key=value` options, offered once no required argument is missing.
    public var options: [String: [OptionInfo]] = [:]
    /// Open sockets (`close`, `send`) and open listeners (`accept`, `reply`), as typed.
    public var openSocketIDs: [String] = []
    public var listenerIDs: [String] = []
    /// Lists a directory given as typed (`""` for the current one, `dir/`, `/etc/`, `~/`): the
    /// entry names, directories with a trailing `/`, without `.` and `..`.
    public var listPaths: @Sendable (String) -> [String]

    public init(commands: [String], keywords: [String: [String]] = [:], socketIDs: [String] = [],
                optionNames: [String] = [], listPaths: @escaping @Sendable (String) -> [String] = { _ in [] }) {
        self.commands = commands
        self.keywords = keywords
        self.socketIDs = socketIDs
        self.optionNames = optionNames
        self.listPaths = listPaths
    }
}

/// The outcome of one Tab press.
public struct Completion: Equatable, Sendable {
    /// The line after completion (unchanged when nothing matched or nothing could be added).
    public var line: String
    /// The cursor after completion, in Characters.
    public var cursor: Int
    /// All matches when more than one fits (to show the user); empty for none or a unique match.
    /// For paths these are entry names, as a shell shows them.
    public var candidates: [String]

    public init(line: String, cursor: Int, candidates: [String] = []) {
        self.line = line
        self.cursor = cursor
        self.candidates = candidates
    }
}

/// Completes the word under the cursor.
public enum Completer {
    /// Completes the word that ends at `cursor` in `line` (text after the cursor is kept).
    ///
    /// Context decides the candidates: the first word → commands; `@…` (a payload file) → paths;
    /// otherwise what the command's syntax expects at this position (see `expected`): open
    /// sockets for `close`, listeners for `accept`, a `FILE` → paths, keywords, `set NAME`'s
    /// values, hosts, and its `key=` options once nothing required is missing (`key=` then offers
    /// the option's choices). A unique
    /// match is inserted with a trailing space (none after a directory's `/`, a `key=` or a `HOST:`); several
    /// matches insert their longest common prefix and are returned as candidates. Words are split
    /// on whitespace; quoting is not understood, so paths with spaces do not complete.
    public static func complete(line: String, cursor: Int, source: CompletionSource) -> Completion {
        let chars = Array(line)
        let cursor = min(max(0, cursor), chars.count)
        var start = cursor
        while start > 0 && !chars[start - 1].isWhitespace { start -= 1 }
        let word = String(chars[start..<cursor])
        let before = chars[0..<start].split(whereSeparator: { $0.isWhitespace }).map { String($0) }

        let (prefix, options) = candidates(for: word, after: before, source: source)
        let typed = String(word.dropFirst(prefix.count))
        let matches = Array(Set(options.filter { $0.hasPrefix(typed) })).sorted()
        guard !matches.isEmpty else { return Completion(line: line, cursor: cursor) }

        var insertion = prefix + commonPrefix(matches)
        var skip = 0  // a unique match steps over the space that already follows it
        if matches.count == 1, !(insertion.hasSuffix("/") || insertion.hasSuffix("=") || insertion.hasSuffix(":")) {
            if cursor < chars.count && chars[cursor].isWhitespace { skip = 1 } else { insertion += " " }
        }
        let replaced = Array(insertion)
        var newLine = String(chars[0..<start])
        newLine += insertion
        newLine += String(chars[cursor...])
        let shown = matches.count > 1 ? matches : []
        return Completion(line: newLine, cursor: start + replaced.count + skip, candidates: shown)
    }

    /// The candidate list for `word` given the words before it, plus the part of `word` that is
    /// context rather than a candidate's beginning (`@`, a path's directory): path candidates are
    /// entry names, so the list shown for an ambiguous path is short, as in a shell.
    private static func candidates(for word: String, after before: [String],
                                   source: CompletionSource) -> (prefix: String, options: [String]) {
        guard let command = before.first?.lowercased() else { return ("", source.commands) }
        if word.hasPrefix("@") { return paths(for: String(word.dropFirst()), marker: "@", source: source) }
        guard let syntax = source.syntax[command] else {
            if word.hasPrefix("#") { return ("", source.socketIDs) }
            if command == "sockopt" { return ("", before.dropFirst().filter { !isTarget($0) }.isEmpty ? source.optionNames : []) }
            return ("", source.keywords[command] ?? [])
        }
        let options = source.options[command] ?? []
        if let equals = word.firstIndex(of: "="), let option = options.first(where: { $0.name == word[..<equals].lowercased() }) {
            return (String(word[...equals]), option.choices)
        }
        let positional = Array(before.dropFirst().filter { !isOption($0) })
        let (arguments, previous) = expected(syntax, after: positional)
        var offered: [String] = []
        for argument in arguments {
            switch argument.kind {
            case .target(.open): offered += source.openSocketIDs
            case .target(.listener): offered += source.listenerIDs
            case .target(.any): offered += source.socketIDs
            case .keyword(let words): offered += words
            case .setting: offered += Settings.names
            case .socketOption: offered += source.optionNames
            case .command: offered += source.commands
            case .host: offered += ["127.0.0.1", "localhost", "::1"]
            case .address: offered += ["127.0.0.1:", "localhost:", "[::1]:"]
            case .file:
                if !word.hasPrefix("#") { return paths(for: word, marker: "", source: source) }
            case .text:
                if let previous, case .setting = previous.argument.kind { offered += Settings.choices(for: previous.word) }
            case .payload, .ports, .duration, .count:
                break
            }
        }
        if word.hasPrefix("#") { offered = offered.filter { $0.hasPrefix("#") } }
        // Options once every required argument is there (`scan ` offers hosts, not `timeout=`).
        if !arguments.contains(where: { !$0.optional }) || !word.isEmpty {
            offered += options.map { $0.name + "=" }
        }
        return ("", offered)
    }

    /// The arguments that may come at the cursor after the positional words `words`: the next
    /// declared one, and those after it while it is optional. Also the argument the last word
    /// filled (for `set NAME VALUE`). Nothing after a payload or text that runs to the line's end.
    static func expected(_ syntax: [ArgumentInfo], after words: [String]) -> ([ArgumentInfo], previous: (argument: ArgumentInfo, word: String)?) {
        var index = 0
        var previous: (argument: ArgumentInfo, word: String)?
        for word in words {
            while index < syntax.count, syntax[index].optional, !fills(syntax[index], word) { index += 1 }
            guard index < syntax.count else { return ([], previous) }
            switch syntax[index].kind {
            case .payload: return ([], previous)
            default: break
            }
            previous = (syntax[index], word)
            index += 1
        }
        var result: [ArgumentInfo] = []
        while index < syntax.count {
            result.append(syntax[index])
            if !syntax[index].optional { break }
            index += 1
        }
        return (result, previous)
    }

    /// Whether `word` can be this argument: an optional target or keyword is skipped by other words.
    private static func fills(_ argument: ArgumentInfo, _ word: String) -> Bool {
        switch argument.kind {
        case .target: isTarget(word)
        case .keyword(let words): words.contains(word.lowercased())
        default: true
        }
    }

    /// `backlog=5`: an option, not a positional argument.
    private static func isOption(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "=") else { return false }
        return !word[..<equals].isEmpty && word[..<equals].allSatisfy { $0.isASCII && $0.isLetter }
    }

    private static func paths(for word: String, marker: String,
                              source: CompletionSource) -> (prefix: String, options: [String]) {
        let directory = word.lastIndex(of: "/").map { String(word[...$0]) } ?? ""
        let base = word.dropFirst(directory.count)
        // Hidden entries only when asked for, as shells do.
        let names = source.listPaths(directory).filter { base.hasPrefix(".") || !$0.hasPrefix(".") }
        return (marker + directory, names)
    }

    /// `#3`, `.` and `*` are targets, not arguments.
    private static func isTarget(_ word: String) -> Bool {
        word.hasPrefix("#") || word == "." || word == "*"
    }

    private static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let chars = Array(word)
            var n = 0
            while n < prefix.count && n < chars.count && prefix[n] == chars[n] { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        return String(prefix)
    }
}
