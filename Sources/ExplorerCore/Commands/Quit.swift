// Quit — `quit` (also `exit`, `q`): leave sockpit.

/// `quit`: the program loop stops after this step.
struct QuitCommand: SessionCommand {
    static let info = CommandInfo("quit", usage: "quit", summary: "leave sockpit", aliases: ["exit", "q"], examples: ["quit"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> QuitCommand {
        try args.noArguments()
        return QuitCommand()
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.quitRequested = true
        return .done(.ok("bye"))
    }
}
