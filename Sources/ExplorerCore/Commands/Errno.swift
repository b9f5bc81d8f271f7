// Errno — `errno CODE|NAME`: the name, number and message of an error number, by number or by name
// (the seed's `socket_strerror`), as `ErrnoLookup` finds it.

/// `errno`: what an error number means.
struct ErrnoCommand: SessionCommand {
    var entry: ErrnoEntry

    static let info = CommandInfo(
        "errno", usage: "errno CODE|NAME", summary: "name, number and message of an error number",
        seed: ["socket_strerror", "socket_last_error"], arguments: [ArgumentInfo("CODE|NAME", .text)],
        examples: ["errno 111", "errno ECONNREFUSED", "errno eagain"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ErrnoCommand {
        var words = try WordArguments(args)
        let typed = words.next()?.text ?? ""
        try words.finish()
        do throws(ErrnoLookupError) {
            return ErrnoCommand(entry: try ErrnoLookup.lookup(typed))
        } catch {
            throw ParseError(error.description)
        }
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.output([entry.line])
        return .done(.ok(entry.line))
    }
}
