// StepData — `read [TARGET] [N]` and `write [TARGET] [to=HOST:PORT] PAYLOAD`, the seed's
// socket_read and socket_write: one recv/recvfrom or send/sendto call each, its result as the
// kernel returned it (bytes, 0 at EOF, a short count, or the errno).

import SocketKit

/// `read`: one receive call on a paused socket (step sockets are paused from birth).
struct ReadCommand: SessionCommand {
    var target: Target
    var count: Int

    static let info = CommandInfo(
        "read", usage: "read [TARGET] [N]",
        summary: "one recv call of up to N bytes (default \(Engine.stepReadDefault)); a blocking socket waits for data",
        seed: ["socket_read", "socket_recv", "socket_recvfrom"],
        arguments: [.target(.open(all: false)), ArgumentInfo("N", .count, optional: true)],
        examples: ["read", "read #3 1024"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ReadCommand {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: false)
        var count = Engine.stepReadDefault
        if let word = words.next() {
            let range = 1...Engine.stepReadMaximum
            guard EndpointSyntax.isDigits(word.text), word.text.count <= 9, let value = Int(word.text), range.contains(value) else {
                throw ParseError("byte count \(MessageText.visible(word.text)) out of range 1–\(range.upperBound)")
            }
            count = value
        }
        try words.finish()
        return ReadCommand(target: target, count: count)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.stepRead(try engine.resolve(target, "read"), count: count, origin: origin)
    }
}

/// `write`: one send call of the payload; a short write says how much went.
struct WriteCommand: SessionCommand {
    var target: Target
    var to: EndpointSpec?
    var payload: Payload

    static let info = CommandInfo(
        "write", usage: "write [TARGET] [to=HOST:PORT] PAYLOAD",
        summary: "one send call of these bytes: the count it returns, a short write, or the errno",
        seed: ["socket_write", "socket_send", "socket_sendto"],
        arguments: [.target(.open(all: false)), ArgumentInfo("PAYLOAD", .payload)], options: [SendArguments.toOption],
        examples: [#"write "Ho\r\nfirst blood\r\n""#, "write #2 to=127.0.0.1:6000 hi"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> WriteCommand {
        let parsed = try SendArguments.parse(args, needsPayload: true)
        guard parsed.target != .all else { throw ParseError("* (every connection) cannot be used here; name one socket") }
        return WriteCommand(target: parsed.target, to: parsed.to, payload: parsed.payload)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.resolve(target, "write")
        let bytes = try Engine.contiguous(try engine.outgoing(payload, then: []))
        let peer = try to.map { spec throws(CommandError) in try engine.stepAddress(spec, for: id, "write") }
        return .done(.ok(try engine.stepWrite(id, bytes, to: peer)))
    }
}
