// Intercept — `intercept [TARGET] on|off|up|down`, `forward [TARGET] [PAYLOAD]` and `drop [TARGET]`:
// hold a relay's chunks, pass the oldest on (or PAYLOAD instead: an edit in flight), or discard it.
// TARGET is a leg (its pair) or a relay listener (all its pairs); `forward *` / `drop *` take all.

/// `intercept`: which directions of a relay hold their chunks.
struct InterceptCommand: SessionCommand {
    var target: Target
    var mode: InterceptMode

    static let info = CommandInfo(
        "intercept", usage: "intercept [TARGET] on|off|up|down",
        summary: "hold a relay's chunks (both ways, or client→server up / server→client down) until forward or drop; off passes held ones on",
        arguments: [.target(.open(all: false)), .keyword(InterceptMode.self)],
        examples: ["intercept #1 on", "intercept up", "intercept #5 off"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> InterceptCommand {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: false)
        let mode = try words.requireKeyword(InterceptMode.self)
        try words.finish()
        return InterceptCommand(target: target, mode: mode)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.setIntercept(try engine.resolve(target, "intercept"), mode)))
    }
}

/// `forward`: the oldest held chunk passes on, or PAYLOAD in its place.
struct ForwardCommand: SessionCommand {
    var target: Target
    var payload: Payload?

    static let info = CommandInfo(
        "forward", usage: "forward [TARGET] [PAYLOAD]",
        summary: "pass the oldest held chunk of a relay on (with PAYLOAD, send that instead); forward * passes all",
        arguments: [.target(), ArgumentInfo("PAYLOAD", .payload, optional: true)],
        examples: ["forward", #"forward #5 "GET /other HTTP/1.0\r\n\r\n""#, "forward *"])

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> ForwardCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: true)
        guard !args.isAtEnd else { return ForwardCommand(target: target, payload: nil) }
        if case .all = target { throw ParseError("forward * passes every held chunk as it is; give a leg to forward an edited one") }
        return ForwardCommand(target: target, payload: try args.requiredPayload())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let replacement = try payload.map { payload throws(CommandError) in try engine.bytes(of: payload) }
        return .done(.ok(try engine.forwardHeld(target, replacement: replacement)))
    }
}

/// `drop`: the oldest held chunk is discarded.
struct DropCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "drop", usage: "drop [TARGET]", summary: "discard the oldest held chunk of a relay; drop * discards all",
        arguments: [.target()], examples: ["drop", "drop #1"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> DropCommand {
        DropCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.dropHeld(target)))
    }
}
