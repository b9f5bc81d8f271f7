// Save — `save FILE [text|hex|jsonl|pcapng]`: the kept log written to FILE, atomically (a `.pcapng`
// name means pcapng).

/// `save`: the in-memory log, to a file.
struct SaveCommand: SessionCommand {
    var path: String
    var format: LogFormat

    static let info = CommandInfo(
        "save", usage: "save FILE [text|hex|jsonl|pcapng]", summary: "write the log to FILE, atomically (default text; pcapng for a .pcapng name)",
        arguments: [ArgumentInfo("FILE", .file), .keyword(LogFormat.self, optional: true)],
        examples: ["save session.log", "save dump.jsonl jsonl", "save session.pcapng"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SaveCommand {
        var words = try WordArguments(args)
        let path = try words.requireFileName()
        let format = words.peek() == nil ? LogFormat.implied(by: path) ?? .text : try words.requireKeyword(LogFormat.self)
        try words.finish()
        return SaveCommand(path: path, format: format)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.save(path: path, format: format, origin: origin)
    }
}
