// Clear — `clear`: empty the in-memory log (a record file keeps everything).

/// `clear`: drop every kept log entry.
struct ClearCommand: SessionCommand {
    static let info = CommandInfo("clear", usage: "clear", summary: "empty the log", examples: ["clear"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ClearCommand {
        try args.noArguments()
        return ClearCommand()
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let count = engine.journal.clear()
        return .done(.ok("cleared \(count) entries from the screen log" + (engine.isRecording ? " (the record file keeps them)" : "")))
    }
}
