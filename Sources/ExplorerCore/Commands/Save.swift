// Save — `save FILE [text|hex|jsonl|pcapng] [all]` writes what the log's filter shows (everything
// with `all`), atomically (a `.pcapng` name means pcapng); `save FILE raw [TARGET] [sent|received]`
// writes one stream's exact bytes.

/// `save`: the in-memory log, or one stream of it, to a file.
struct SaveCommand: SessionCommand {
    var path: String
    var format: LogFormat
    /// Ignore the log's filter.
    var all = false
    /// `raw`: the bytes of this socket in this direction (`.recv` unless `sent`), nothing else.
    var raw: RawStream?

    struct RawStream: Equatable, Sendable {
        var target: Target
        var direction: LogKind
    }

    init(path: String, format: LogFormat, all: Bool = false, raw: RawStream? = nil) {
        self.path = path
        self.format = format
        self.all = all
        self.raw = raw
    }

    static let info = CommandInfo(
        "save", usage: "save FILE [text|hex|jsonl|pcapng] [all] | save FILE raw [TARGET] [sent|received]",
        summary: "write what the log shows to FILE, atomically (default text; pcapng for a .pcapng name; all: the whole log); raw: one stream's exact bytes (received unless sent)",
        arguments: [ArgumentInfo("FILE", .file), .keyword(LogFormat.allCases.map(\.rawValue) + ["raw", "all"], optional: true),
                    .target(.any), .keyword(["sent", "received"], optional: true)],
        examples: ["save session.log", "save dump.jsonl jsonl all", "save session.pcapng", "save body.bin raw", "save request.bin raw . sent"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SaveCommand {
        var words = try WordArguments(args)
        let path = try words.requireFileName()
        if let word = words.peek(), !word.isQuoted, word.keyword == "raw" {
            _ = words.next()
            let target = try words.takeTarget(allowAll: false)
            var direction = LogKind.recv
            if let word = words.peek(), !word.isQuoted, word.keyword == "sent" || word.keyword == "received" {
                _ = words.next()
                direction = word.keyword == "sent" ? .send : .recv
            }
            try words.finish()
            return SaveCommand(path: path, format: .text, raw: RawStream(target: target, direction: direction))
        }
        let format = words.takeKeyword(LogFormat.self) ?? LogFormat.implied(by: path) ?? .text
        var all = false
        if let word = words.peek(), !word.isQuoted, word.keyword == "all" {
            _ = words.next()
            all = true
        }
        if words.peek() != nil, words.peek().map({ LogFormat(rawValue: $0.keyword) == nil }) == true, !all {
            // Neither a format nor `all`: name what save takes.
            throw ParseError("expected text, hex, jsonl, pcapng, raw or all, got \(MessageText.quoted(words.peek()!.text))")
        }
        try words.finish()
        return SaveCommand(path: path, format: format, all: all)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if let raw {
            let id = try engine.resolve(raw.target, "save")
            return try engine.save(path: path, format: format, raw: true,
                                   keep: { $0.socket == id && $0.kind == raw.direction }, origin: origin)
        }
        let filter = engine.view.logFilter
        guard !all, !filter.isEmpty else { return try engine.save(path: path, format: format, origin: origin) }
        let check = filter.checker()
        let table = engine.table
        return try engine.save(path: path, format: format, keep: { check.passes($0, table: table) }, origin: origin)
    }
}
