// Tab completion for the prompt: which words fit where. Listing a directory is the program's
// job (`CompletionSource.listPaths`; Sources/sockpit/DirectoryListing.swift): TerminalUI touches
// no files.

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
    /// Commands whose arguments are file names.
    static let pathCommands: Set<String> = ["source", "save", "record"]

    /// Completes the word that ends at `cursor` in `line` (text after the cursor is kept).
    ///
    /// Context decides the candidates: the first word → commands; a word starting with `#` →
    /// socket ids; `@…` (a payload file) and the first argument of `source`/`save`/`record` →
    /// paths; after `sockopt [TARGET]` → option names; otherwise the command's keywords. A unique
    /// match is inserted with a trailing space (none after a directory's `/` or a `key=`); several
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
        if matches.count == 1, !(insertion.hasSuffix("/") || insertion.hasSuffix("=")) {
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
        guard let command = before.first else { return ("", source.commands) }
        if word.hasPrefix("#") { return ("", source.socketIDs) }
        if word.hasPrefix("@") { return paths(for: String(word.dropFirst()), marker: "@", source: source) }
        let arguments = before.dropFirst().filter { !isTarget($0) }
        if pathCommands.contains(command) && (arguments.isEmpty || command == "source") {
            return paths(for: word, marker: "", source: source)
        }
        if command == "sockopt" { return ("", arguments.isEmpty ? source.optionNames : []) }
        return ("", source.keywords[command] ?? [])
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
