// StepSocket — the step commands that make and shape a socket (PRODUCT.md §7): `socket`
// (socket_create), `bind` (socket_bind) and `nonblock` (socket_set_nonblock / socket_set_block).
// `listen #N` and `connect #N HOST:PORT` are the `listen` and `connect` commands told apart by
// shape (StepShapes.swift); `accept`, `read` and `write` act on these sockets one call at a time.

import SocketKit

/// `socket [tcp|udp|unix] [v6]`: a new socket with no address, state `created`.
struct SocketCommand: SessionCommand {
    var transport: Transport
    var v6: Bool

    static let info = CommandInfo(
        "socket", usage: "socket [tcp|udp|unix] [v6]",
        summary: "create a socket with no address (state created; step mode: bind, listen, connect come next)",
        seed: ["socket_create"],
        arguments: [.keyword(Transport.self, optional: true), .keyword(["v6"], optional: true)],
        examples: ["socket tcp", "socket udp", "socket tcp v6", "socket unix"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SocketCommand {
        var words = try WordArguments(args)
        let transport = words.takeKeyword(Transport.self) ?? .tcp
        var v6 = false
        if let word = words.peek(), !word.isQuoted, word.keyword == "v6" {
            _ = words.next()
            v6 = true
        }
        if v6 && transport == .unix { throw ParseError("v6 is for tcp and udp; a unix socket has no IP version") }
        try words.finish()
        return SocketCommand(transport: transport, v6: v6)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.stepSocket(transport, v6: v6)
        let fd = engine.table[id]?.step?.fd ?? -1
        return .done(.ok("\(id) \(transport.rawValue) socket created (fd \(fd)); next: bind \(id) ADDR, listen \(id) or connect \(id) HOST:PORT"))
    }
}

/// `bind [TARGET] [HOST:]PORT|PATH`: give a step socket its local address.
struct BindCommand: SessionCommand {
    var target: Target
    var endpoint: EndpointSpec

    static let info = CommandInfo(
        "bind", usage: "bind [TARGET] [HOST:]PORT|PATH",
        summary: "bind a socket made with socket to a local address (state bound); HOST defaults to \(EndpointSyntax.defaultHost)",
        seed: ["socket_bind"],
        arguments: [.target(.open(all: false)), ArgumentInfo("[HOST:]PORT|PATH", .address)],
        examples: ["bind 127.0.0.1:0", "bind #1 127.0.0.1:1935", "bind #1 *:0", "bind #1 /tmp/step.sock"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> BindCommand {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: false)
        let endpoint = try EndpointSyntax.endpointWords(&words, kind: nil, role: .listen, expected: "[HOST:]PORT or PATH")
        try words.finish()
        return BindCommand(target: target, endpoint: endpoint)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.resolve(target, "bind")
        return .done(.ok(try engine.stepBind(id, to: try engine.stepAddress(endpoint, for: id, "bind"))))
    }
}

/// `nonblock [TARGET] on|off`: whether `read`, `accept` and `connect` wait or answer at once.
struct NonblockCommand: SessionCommand {
    var target: Target
    var on: Bool

    static let info = CommandInfo(
        "nonblock", usage: "nonblock [TARGET] on|off",
        summary: "on: read, accept and connect answer at once (EAGAIN, EINPROGRESS); off: they wait, as by default",
        seed: ["socket_set_nonblock", "socket_set_block"],
        arguments: [.target(.open(all: false)), .keyword(["on", "off"])],
        examples: ["nonblock #1 on", "nonblock off"])

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> NonblockCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: false)
        return NonblockCommand(target: target, on: try args.onOff())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.stepNonblock(try engine.resolve(target, "nonblock"), on)))
    }
}
