// Record — `record FILE [jsonl|text|hex|pcapng]` / `record off`: stream every future event to a
// file, so nothing is lost when the in-memory log wraps (a `.pcapng` name means pcapng).

/// `record`: start or stop streaming the log to a file.
struct RecordCommand: SessionCommand {
    var action: RecordAction

    static let info = CommandInfo(
        "record", usage: "record FILE [jsonl|text|hex|pcapng] | record off",
        summary: "stream every future event to FILE (default jsonl; pcapng for a .pcapng name), or stop",
        arguments: [ArgumentInfo("FILE|off", .file), .keyword(["jsonl", "text", "hex", "pcapng", "off"], optional: true)],
        examples: ["record session.jsonl", "record off", "record session.pcapng"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> RecordCommand {
        var words = try WordArguments(args)
        guard let first = words.peek() else { throw ParseError("expected a file name or off") }
        if !first.isQuoted, first.keyword == "off" {
            _ = words.next()
            try words.finish()
            return RecordCommand(action: .off)
        }
        let path = try words.requireFileName()
        let format = words.peek() == nil ? LogFormat.implied(by: path) ?? .jsonl : try words.requireKeyword(LogFormat.self)
        try words.finish()
        return RecordCommand(action: .start(path: path, format: format))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        switch action {
        case .start(let path, let format):
            return .done(.ok(try engine.startRecording(path: path, format: format)))
        case .off:
            guard let summary = engine.stopRecording() else { throw CommandError("record off: not recording") }
            engine.event(nil, .event, summary)
            return .done(.ok(summary))
        }
    }
}

/// `record FILE [FORMAT]` or `record off`.
public enum RecordAction: Equatable, Sendable {
    case start(path: String, format: LogFormat)
    case off
}
