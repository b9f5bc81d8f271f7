// Sleep — `sleep SEC`: pause a script (`2`, `0.5`, `500ms`, `1.5m`, `1h`).

/// `sleep`: an operation that only ends at its deadline.
struct SleepCommand: SessionCommand {
    var micros: Int64

    static let info = CommandInfo(
        "sleep", usage: "sleep SEC", summary: "pause a script (2, 0.5, 500ms, 1.5m)",
        arguments: [ArgumentInfo("SEC", .duration)], examples: ["sleep 0.5", "sleep 500ms"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SleepCommand {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError(ValueSyntax.durationExample) }
        guard let micros = ValueSyntax.microseconds(word.text) else {
            throw ParseError("\(ValueSyntax.durationExample), got \(MessageText.quoted(word.text))")
        }
        try words.finish()
        return SleepCommand(micros: micros)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.sleep(micros, origin: origin)
    }
}
