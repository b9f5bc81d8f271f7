// CloseResetShutdown — how a user ends a socket: `close` (orderly, after queued bytes), `reset`
// (RST, `SO_LINGER` 0) and `shutdown rd|wr|rdwr` (half-close): the seed's `socket_close` and
// `socket_shutdown`.

import SocketKit

/// `close`: orderly close (FIN), once queued bytes are sent.
struct CloseCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "close", usage: "close [TARGET]", summary: "close orderly (FIN)", seed: ["socket_close"],
        arguments: [.target()], examples: ["close #3", "close *"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> CloseCommand {
        CloseCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.forEachTarget(target, "close", check: { id throws(CommandError) in _ = try engine.openRecord(id) }) {
            id throws(CommandError) in try engine.closeSocket(id)
        }))
    }
}

/// `reset`: close with RST, dropping what is queued.
struct ResetCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "reset", usage: "reset [TARGET]", summary: "close with RST (SO_LINGER 0)", seed: ["socket_set_option", "socket_close"],
        arguments: [.target()], examples: ["reset #3"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ResetCommand {
        ResetCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.forEachTarget(target, "reset", check: { id throws(CommandError) in _ = try engine.openRecord(id) }) {
            id throws(CommandError) in try engine.resetSocket(id)
        }))
    }
}

/// `shutdown rd|wr|rdwr`: stop reading, writing or both (half-close).
struct ShutdownCommand: SessionCommand {
    var target: Target
    var how: ShutdownHow

    static let info = CommandInfo(
        "shutdown", usage: "shutdown [TARGET] rd|wr|rdwr", summary: "half-close: stop reading, writing or both",
        seed: ["socket_shutdown"], arguments: [.target(), .keyword(ShutdownHow.self)], examples: ["shutdown #3 wr"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ShutdownCommand {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: true)
        let how = try words.requireKeyword(ShutdownHow.self)
        try words.finish()
        return ShutdownCommand(target: target, how: how)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.forEachTarget(target, "shutdown", check: { id throws(CommandError) in try engine.checkShutdown(id, how) }) {
            id throws(CommandError) in try engine.shutdownSocket(id, how)
        }))
    }
}
