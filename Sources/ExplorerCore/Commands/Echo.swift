// Echo — `echo TEXT`: print a line (the rest of the line, raw, made safe to show).

/// `echo`: a line of text into the log and the status.
struct EchoCommand: SessionCommand {
    var text: String

    static let info = CommandInfo(
        "echo", usage: "echo TEXT", summary: "print a line", arguments: [ArgumentInfo("TEXT", .text, optional: true)],
        examples: ["echo starting the test"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> EchoCommand {
        EchoCommand(text: args.line.text(args.rest))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.output([Sanitizer.clean(text)])
        return .done(.ok(Sanitizer.clean(text)))
    }
}
