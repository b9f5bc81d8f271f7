// Set — `set [NAME [VALUE]]`: list, show or change the session's settings (`Settings` validates).

/// `set`: list all settings (no name), show one (no value) or change one.
struct SetCommand: SessionCommand {
    var name: String?
    var value: String?

    static let info = CommandInfo(
        "set", usage: "set [NAME [VALUE]]", summary: "list, show or change settings (\(Settings.names.joined(separator: ", ")))",
        arguments: [ArgumentInfo("NAME", .setting, optional: true), ArgumentInfo("VALUE", .text, optional: true)],
        examples: ["set", "set eol crlf", "set logcap 64M", "set halfclose on"])

    static var helpDetails: [String] { ["  settings: \(CommandCatalog.settingNames.joined(separator: ", "))"] }

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> SetCommand {
        var args = cursor
        guard let word = args.takeWord() else { return SetCommand() }
        if !word.isQuoted, let equals = word.text.firstIndex(of: "=") {
            if let extra = args.peekWord() { throw ParseError("unexpected \(MessageText.quoted(extra.text))") }
            return SetCommand(name: String(word.text[..<equals]), value: String(word.text[word.text.index(after: equals)...]))
        }
        return SetCommand(name: word.text, value: args.isAtEnd ? nil : args.line.text(args.rest))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard let name else {
            engine.output(engine.settings.listing())
            return .done(.ok("settings listed in the log"))
        }
        guard let value else {
            let answer: String
            do { answer = try engine.settings.get(name) } catch { throw CommandError(error.message) }
            engine.output([answer])
            return .done(.ok(answer))
        }
        var updated = engine.settings
        let confirmation: String
        do { confirmation = try updated.set(name, value) } catch { throw CommandError(error.message) }
        if updated.keylog != engine.settings.keylog { try engine.openKeyLog(updated.keylog) }
        engine.apply(updated)
        return .done(.ok(confirmation))
    }
}
