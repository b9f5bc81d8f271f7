// Help — `help [COMMAND]`: every command with its usage, or one in full, from the registry.

/// `help`: the overview, or one command's help.
struct HelpCommand: SessionCommand {
    var topic: CommandName?

    static let info = CommandInfo(
        "help", usage: "help [COMMAND]", summary: "list commands, or explain one", aliases: ["?"],
        arguments: [ArgumentInfo("COMMAND", .command, optional: true)], examples: ["help", "help listen"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> HelpCommand {
        var words = try WordArguments(args)
        guard let word = words.next() else { return HelpCommand() }
        guard let type = CommandRegistry.lookup(word.text) else {
            let hint = Suggestion.hint(for: word.text, in: CommandCatalog.allWords)
            throw ParseError("unknown command \(MessageText.quoted(word.text))\(hint)")
        }
        try words.finish()
        return HelpCommand(topic: type.info.name)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.output(HelpText.lines(for: topic))
        engine.helpRequested?(topic?.rawValue)
        return .done(.ok(topic.map { "help for \($0.rawValue) in the log" } ?? "help in the log (F1 on the screen)"))
    }
}
