// Quit — `quit` (also `exit`, `q`, `quit!`): leave sockpit. On the screen `quit` asks first while
// sockets are open; `quit!` never asks (the screen reads the word before the engine runs it).

/// `quit`: the program loop stops after this step.
struct QuitCommand: SessionCommand {
    static let info = CommandInfo("quit", usage: "quit", summary: "leave sockpit", aliases: ["exit", "q", "quit!"], examples: ["quit"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> QuitCommand {
        try args.noArguments()
        return QuitCommand()
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.quitRequested = true
        return .done(.ok("bye"))
    }
}
