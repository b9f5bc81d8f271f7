// Info — `info [TARGET|session]`: everything known about a socket (the seed's `socket_getsockname`
// / `socket_getpeername`, plus options, kernel queues and TCP_INFO), or the session at a glance.

/// `info`: one socket, every open connection (`*`), or the session.
struct InfoCommand: SessionCommand {
    /// nil: the session (`info session`, or `info` with nothing selected).
    var target: Target?

    static let info = CommandInfo(
        "info", usage: "info [TARGET|session]",
        summary: "addresses, state, options, kernel queues, TCP_INFO and counters; session: the log's counters",
        seed: ["socket_getsockname", "socket_getpeername"],
        arguments: [ArgumentInfo("TARGET|session", .target(.any), optional: true)],
        examples: ["info #3", "info session"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> InfoCommand {
        var words = try WordArguments(args)
        if words.peek()?.text.lowercased() == "session" {
            _ = words.next()
            try words.finish()
            return InfoCommand(target: nil)
        }
        return InfoCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard let target, target != .selected || engine.selected != nil else {
            engine.output(engine.sessionSummary())
            return .done(.ok("session summary in the log"))
        }
        return .done(.ok(try engine.forEachTarget(target, "info") { id throws(CommandError) in
            engine.output(try engine.info(id), socket: id)
            return "\(id) info in the log"
        }))
    }
}
