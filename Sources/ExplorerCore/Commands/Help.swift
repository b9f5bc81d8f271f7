// Help — `help [COMMAND]`: every command with its usage, or one in full, from the registry.

/// `help`: the overview, or one command's help.
struct HelpCommand: SessionCommand {
    var topic: CommandName?
    /// `help php [NAME]`: the seed's socket_* table, or one function (`""` for the table).
    var php: String? = nil

    static let info = CommandInfo(
        "help", usage: "help [COMMAND]", summary: "list commands, or explain one (help php: the seed's socket_* functions)",
        aliases: ["?"],
        arguments: [ArgumentInfo("COMMAND", .command, optional: true)], examples: ["help", "help listen", "help php", "help php socket_bind"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> HelpCommand {
        var words = try WordArguments(args)
        guard let word = words.next() else { return HelpCommand() }
        if word.keyword == "php", !word.isQuoted {
            let name = words.next()?.text ?? ""
            try words.finish()
            if !name.isEmpty {
                do throws(PHPLookupError) { _ = try PHPFunctionTable.find(name) } catch { throw ParseError(error.description) }
            }
            return HelpCommand(topic: nil, php: name)
        }
        guard let type = CommandRegistry.lookup(word.text) else {
            let hint = Suggestion.hint(for: word.text, in: CommandCatalog.allWords)
            throw ParseError("unknown command \(MessageText.quoted(word.text))\(hint)")
        }
        try words.finish()
        return HelpCommand(topic: type.info.name)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if let php {
            if php.isEmpty {
                engine.output(PHPHelp.lines())
                return .done(.ok("the seed's \(PHPFunctionTable.seedNames.count) socket_* names in the log"))
            }
            do throws(PHPLookupError) { engine.output(try PHPHelp.lines(for: php)) } catch { throw CommandError(error.description) }
            return .done(.ok("help for \(php) in the log"))
        }
        engine.output(HelpText.lines(for: topic))
        engine.helpRequested?(topic?.rawValue)
        return .done(.ok(topic.map { "help for \($0.rawValue) in the log" } ?? "help in the log (F1 on the screen)"))
    }
}
