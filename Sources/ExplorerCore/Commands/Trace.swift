// Trace — `trace on|off`: every system call sockpit makes, with arguments, result and errno, in the log.

/// `trace`: turn the system-call trace on or off (also `set trace`).
struct TraceCommand: SessionCommand {
    var on: Bool

    static let info = CommandInfo(
        "trace", usage: "trace on|off", summary: "log every system call with arguments, result and errno",
        seed: ["socket_last_error", "socket_strerror"], arguments: [.keyword(["on", "off"])], examples: ["trace on"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> TraceCommand {
        TraceCommand(on: try args.onOff())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.setTracing(on)
        engine.settings.trace = on
        engine.event(nil, .event, on ? "trace on: every system call is logged" : "trace off")
        return .done(.ok(on ? "trace on" : "trace off"))
    }
}
