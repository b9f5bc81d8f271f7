// Select — `select TARGET`: make TARGET the selected socket, the `.` of every later command.

/// `select`: the socket commands act on by default.
struct SelectCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "select", usage: "select TARGET", summary: "make TARGET the selected socket (.)",
        arguments: [.target(.open(all: false), optional: false)], examples: ["select #2"])

    static var helpDetails: [String] {
        ["  . stays put while peers come and go: it moves when you select, open a socket (connect, pair,",
         "  accept), or when it closes (to the newest open socket); a peer that connects while no open",
         "  connection is selected becomes ."]
    }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SelectCommand {
        SelectCommand(target: try args.requiredTarget())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.resolve(target, "select")
        engine.select(id)
        return .done(.ok("selected \(id)"))
    }
}
