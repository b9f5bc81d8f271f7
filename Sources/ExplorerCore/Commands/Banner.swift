// Banner — `banner [#L] PAYLOAD|off`: greet every newly accepted peer (the seed's welcome message).

/// `banner`: what a listener sends each peer it accepts.
struct BannerCommand: SessionCommand {
    var listener: Target
    /// nil is `off`.
    var payload: Payload?

    static let info = CommandInfo(
        "banner", usage: "banner [#L] PAYLOAD|off", summary: "send PAYLOAD to every newly accepted peer",
        seed: ["socket_accept", "socket_write"],
        arguments: [.target(.listener), ArgumentInfo("PAYLOAD|off", .keyword(["off"]))],
        examples: [#"banner #1 "Welcome to php socket server version 1.0 \n""#, "banner #1 off"])

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> BannerCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: false)
        guard !args.isAtEnd else { throw ParseError("expected a payload or off") }
        if args.line.text(args.rest).lowercased() == "off" { return BannerCommand(listener: target, payload: nil) }
        let payload = try PayloadParser.parse(args.line, args.rest)
        guard !payload.isEmpty else { throw ParseError("empty banner; to remove it use off") }
        return BannerCommand(listener: target, payload: payload)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.resolve(listener, "banner")
        guard engine.table[id]?.role == .listener else { throw CommandError("banner: \(id) is not a listening stream socket") }
        _ = try engine.openRecord(id)
        let bytes = try payload.map { p throws(CommandError) in try engine.bytes(of: p) }
        engine.update(id) { $0.banner = bytes }
        engine.event(id, .event, bytes.map { "banner \"\(Sanitizer.escape($0))\"" } ?? "banner off")
        return .done(.ok(bytes.map { "\(id) greets each new peer with \(Units.bytes($0.count))" } ?? "\(id) banner off"))
    }
}
