// View — `view text|hex|both`: how the log shows data.

/// `view`: the log's rendering of data.
struct ViewCommand: SessionCommand {
    var mode: LogView

    static let info = CommandInfo(
        "view", usage: "view text|hex|both", summary: "how the log shows data", arguments: [.keyword(LogView.self)],
        examples: ["view hex"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ViewCommand {
        ViewCommand(mode: try args.onlyKeyword(LogView.self))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.view.mode = mode
        engine.markChanged()
        return .done(.ok("view \(mode.rawValue)"))
    }
}
