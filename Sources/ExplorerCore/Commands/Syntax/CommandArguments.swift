// CommandArguments — the text after a command word: targets, words, `key=value` options and the payload rest.

/// The unread rest of a command line, for commands whose last argument is a payload or raw text.
struct ArgumentCursor {
    let line: LineText
    private(set) var start: Int
    private(set) var end: Int

    init(line: LineText, from start: Int) {
        self.line = line
        self.start = start
        self.end = line.bytes.count
    }

    /// The next word, without consuming it.
    func peekWord() -> Word? {
        line.word(from: start, to: end)
    }

    /// Consumes and returns the next word.
    mutating func takeWord() -> Word? {
        guard let word = peekWord() else { return nil }
        start = word.range.upperBound
        return word
    }

    /// Consumes the next word if it is exactly a target (`#N`, `.`, `*`); payload words are left alone.
    mutating func takeTarget(allowAll: Bool) throws(ParseError) -> Target {
        guard let word = peekWord(), let target = try Targets.parse(word) else { return .selected }
        start = word.range.upperBound
        return try Targets.check(target, allowAll: allowAll)
    }

    /// The unread text with surrounding blanks removed (empty when nothing is left).
    var rest: Range<Int> {
        let from = line.skipBlanks(from: start, to: end)
        return from..<line.trimBlanks(from: from, to: end)
    }

    /// True when only blanks are left.
    var isAtEnd: Bool { rest.isEmpty }

    /// Stops reading at `index`, so a trailing option is not read as part of the payload.
    mutating func stop(at index: Int) {
        end = max(start, min(index, end))
    }
}

/// The rest of a command line as words: positionals in order plus `key=value` options, consumed as parsed.
///
/// A word is an option when it starts with letters and `=` (`backlog=5`); anything else — paths such as
/// `/tmp/a=b`, quoted words — is positional. Options may appear anywhere; unknown or repeated ones are errors.
struct WordArguments {
    let line: LineText
    private var positionals: [Word]
    private var options: [String: Word] = [:]
    private var optionWords: [String: Word] = [:]

    /// Splits the rest of `cursor`; `allowed` are the option keys this command takes.
    init(_ cursor: ArgumentCursor, options allowed: [String] = []) throws(ParseError) {
        line = cursor.line
        positionals = []
        for word in line.words(in: cursor.rest) {
            guard let equals = WordArguments.optionKeyEnd(word) else {
                positionals.append(word)
                continue
            }
            let key = String(word.keyword.prefix(equals))
            guard allowed.contains(key) else {
                let accepted = allowed.isEmpty ? "takes no options" : "options: " + allowed.map { $0 + "=" }.joined(separator: ", ")
                throw ParseError("unknown option \(MessageText.quoted(word.text)) (\(accepted))")
            }
            guard options[key] == nil else { throw ParseError("\(key)= given twice") }
            let valueStart = word.range.lowerBound + equals + 1
            options[key] = Word(range: valueStart..<word.range.upperBound, text: line.text(valueStart..<word.range.upperBound))
            optionWords[key] = word
        }
        positionals.reverse()  // so taking the next one is popLast
    }

    /// The length of the key if `word` is `letters=…`, else nil.
    private static func optionKeyEnd(_ word: Word) -> Int? {
        let letters = word.text.utf8.prefix { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
        guard !letters.isEmpty, word.text.utf8.dropFirst(letters.count).first == UInt8(ascii: "=") else { return nil }
        return letters.count
    }

    /// The next positional word, without consuming it.
    func peek() -> Word? { positionals.last }

    /// Consumes the next positional word.
    mutating func next() -> Word? { positionals.popLast() }

    /// The value of option `key` (the text after `=`), if given.
    func option(_ key: String) -> Word? { options[key] }

    /// The whole `key=value` word of an option, for messages.
    func optionText(_ key: String) -> String { optionWords[key].map { MessageText.visible($0.text) } ?? key }

    /// Consumes the next positional if it is a target; otherwise the target is `.`.
    mutating func takeTarget(allowAll: Bool) throws(ParseError) -> Target {
        guard let word = peek(), let target = try Targets.parse(word) else { return .selected }
        _ = next()
        return try Targets.check(target, allowAll: allowAll)
    }

    /// Consumes the next positional, which must be a target.
    mutating func requireTarget(allowAll: Bool) throws(ParseError) -> Target {
        guard let word = peek() else { throw ParseError("expected a target (#N, . or *)") }
        guard let target = try Targets.parse(word) else {
            let isNumber = !word.text.isEmpty && word.text.utf8.allSatisfy { (0x30...0x39).contains($0) }
            let hint = isNumber ? " — did you mean #\(word.text)?" : ""
            throw ParseError("expected a target (#N, . or *), got \(MessageText.quoted(word.text))\(hint)")
        }
        _ = next()
        return try Targets.check(target, allowAll: allowAll)
    }

    /// Consumes the next positional if it is one of `T`'s names (any case).
    mutating func takeKeyword<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> T? where T.RawValue == String {
        guard let word = peek(), !word.isQuoted, let value = T(rawValue: word.keyword) else { return nil }
        _ = next()
        return value
    }

    /// Consumes the next positional, which must be one of `T`'s names.
    mutating func requireKeyword<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ParseError) -> T
    where T.RawValue == String {
        if let value = takeKeyword(type) { return value }
        let names = alternatives(T.allCases.map(\.rawValue))
        guard let word = peek() else { throw ParseError("expected \(names)") }
        throw ParseError("expected \(names), got \(MessageText.quoted(word.text))")
    }

    /// Consumes the next positional as a file name; quotes allow blanks (`"my log.txt"`); `~`
    /// and `$HOME` expand (`PathText`).
    mutating func requireFileName() throws(ParseError) -> String {
        guard let word = next() else { throw ParseError("expected a file name") }
        return PathText.expanded(try unquoted(word))
    }

    /// The text of `word`, decoded if it is quoted.
    func unquoted(_ word: Word) throws(ParseError) -> String {
        guard word.isQuoted else { return word.text }
        let (bytes, after) = try PayloadParser.decodeQuoted(line, at: word.range.lowerBound, end: word.range.upperBound)
        guard after == word.range.upperBound else {
            throw ParseError("unexpected text after the closing quote in \(MessageText.quoted(word.text))")
        }
        return try PayloadParser.fileName(bytes, column: line.column(at: word.range.lowerBound))
    }

    /// Fails if a positional word is left over.
    func finish() throws(ParseError) {
        if let word = peek() { throw ParseError("unexpected \(MessageText.quoted(word.text))") }
    }
}
