// Clear — `clear [closed]`: empty the in-memory log (a record file keeps everything), or drop the
// closed and failed sockets from the table.

/// `clear`: drop every kept log entry; `clear closed`: every closed or failed socket.
struct ClearCommand: SessionCommand {
    /// `clear closed` rather than the log.
    var closed = false

    static let info = CommandInfo(
        "clear", usage: "clear [closed]", summary: "empty the log, or (closed) drop closed and failed sockets from the lists",
        arguments: [.keyword(["closed"], optional: true)], examples: ["clear", "clear closed"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ClearCommand {
        var words = try WordArguments(args)
        var command = ClearCommand()
        if words.peek() != nil {
            guard let word = words.next(), !word.isQuoted, word.keyword == "closed" else {
                throw ParseError("expected closed or nothing, got \(MessageText.quoted(args.line.text(args.rest)))")
            }
            command.closed = true
        }
        try words.finish()
        return command
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if closed {
            let count = engine.sockets.foldAllClosed()
            return .done(.ok("cleared \(Units.counted(count, "closed socket")) from the lists (info counts them)"))
        }
        let count = engine.journal.clear()
        return .done(.ok("cleared \(Units.counted(count, "entry", "entries")) from the screen log" + (engine.isRecording ? " (the record file keeps them)" : "")))
    }
}
