// Send — `send [TARGET] [to=HOST:PORT] PAYLOAD` and `sendl`: write exactly these bytes, or these
// bytes and the line ending (the seed's `socket_write`, `socket_send`, `socket_sendto`).

import SocketKit

/// `send`: the payload, exactly.
struct SendCommand: SessionCommand {
    var target: Target
    var to: EndpointSpec?
    var payload: Payload

    static let info = CommandInfo(
        "send", usage: "send [TARGET] [to=HOST:PORT] PAYLOAD", summary: "write exactly these bytes",
        seed: ["socket_write", "socket_send", "socket_sendto"],
        arguments: [.target(), ArgumentInfo("PAYLOAD", .payload)], options: [SendArguments.toOption],
        examples: [#"send #3 "GET / HTTP/1.1\r\nHost: x\r\n\r\n""#, #"send x"00 01" "tail""#,
                   "send @request.bin", #"send hello world\r\n"#, "send #2 to=127.0.0.1:6000 hi"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SendCommand {
        let parsed = try SendArguments.parse(args, needsPayload: true)
        return SendCommand(target: parsed.target, to: parsed.to, payload: parsed.payload)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(try SendArguments.send(target, to: to, pieces: try engine.outgoing(payload, then: []), on: engine))
    }
}

/// `sendl`: the payload and the `eol` setting's line ending, in one write.
struct SendLineCommand: SessionCommand {
    var target: Target
    var to: EndpointSpec?
    var payload: Payload

    static let info = CommandInfo(
        "sendl", usage: "sendl [TARGET] [to=HOST:PORT] [PAYLOAD]", summary: "write these bytes and the line ending (set eol)",
        seed: ["socket_write", "socket_send", "socket_sendto"],
        arguments: [.target(), ArgumentInfo("PAYLOAD", .payload, optional: true)], options: [SendArguments.toOption],
        examples: ["sendl hello", "sendl #3 \"HELO example.org\""])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SendLineCommand {
        let parsed = try SendArguments.parse(args, needsPayload: false)
        return SendLineCommand(target: parsed.target, to: parsed.to, payload: parsed.payload)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(try SendArguments.send(target, to: to, pieces: try engine.outgoing(payload, then: engine.settings.eol.bytes), on: engine))
    }
}

/// What `send` and `sendl` share: their syntax and how bytes go out.
enum SendArguments {
    static let toOption = OptionInfo("to", value: "HOST:PORT", summary: "UDP: send this datagram to HOST:PORT (sendto)")

    /// `[TARGET] [to=HOST:PORT] PAYLOAD`.
    static func parse(_ cursor: ArgumentCursor, needsPayload: Bool) throws(ParseError) -> (target: Target, to: EndpointSpec?, payload: Payload) {
        var args = cursor
        let targetWord = args.peekWord()
        let target = try args.takeTarget(allowAll: true)
        var to: EndpointSpec?
        if let word = args.peekWord(), word.keyword.hasPrefix("to=") {
            _ = args.takeWord()
            to = try ValueSyntax.inOption(MessageText.visible(word.text)) { () throws(ParseError) in
                try EndpointSyntax.optionEndpoint(String(word.text.dropFirst(3)), defaultPort: nil, role: .destination)
            }
        }
        if needsPayload, args.isAtEnd {
            if let word = targetWord?.text, target != .selected || word == "." {
                throw ParseError("expected a payload after \(word) (to send \"\(word)\" itself, quote it)")
            }
            throw ParseError("expected a payload")
        }
        return (target, to, try PayloadParser.parse(args.line, args.rest))
    }

    /// Sends `pieces` on the target's socket(s). Every socket is checked before anything is sent;
    /// with `*`, a connection lost during the write is named in the answer, and the command fails.
    static func send(_ target: Target, to: EndpointSpec?, pieces: [OutgoingPiece], on engine: Engine) throws(CommandError) -> Status {
        let total = pieces.reduce(0) { $0 + $1.count }
        var peer: SocketAddress?
        if let to {
            guard case .hostPort(let host, let port) = to else { throw CommandError("send: to= expects HOST:PORT") }
            let numeric = host.lowercased() == "localhost" ? "127.0.0.1" : host
            guard let address = SocketAddress(numericHost: numeric, port: port) else {
                throw CommandError("send: to=\(Sanitizer.clean(host)) must be a numeric address (resolve NAME shows them)")
            }
            peer = address
        }
        let ids = try engine.sockets(target, "send")
        // File regions stream from their file: only bytes held in memory count against the queues' bounds.
        let memoryBytes = pieces.reduce(0) { total, piece in if case .bytes(let bytes) = piece { total + bytes.count } else { total } }
        var datagram: [UInt8]?
        for id in ids {
            let record = try engine.openRecord(id)
            guard let entry = engine.table[id] else { continue }
            if entry.role == .listener { throw CommandError("send: \(id) is a listener; send to one of its connections") }
            if peer != nil && entry.transport != .udp { throw CommandError("send: to= is for UDP sockets; \(id) is \(entry.protocolName)") }
            if record.stream.writeShut { throw CommandError("send \(id): EPIPE (Broken pipe): writing was shut down") }
            if entry.state == .closing { throw CommandError("send \(id): closing") }
            if entry.transport == .udp, datagram == nil { datagram = try Engine.contiguous(pieces) }
            try engine.data.checkRoom(for: memoryBytes, on: record)
        }
        try engine.data.checkTotalRoom(for: memoryBytes * ids.filter { engine.table[$0]?.transport != .udp }.count)
        _ = try engine.applyEach(ids, "send") { id throws(CommandError) in
            let record = try engine.openRecord(id)
            if engine.table[id]?.transport == .udp {
                try engine.data.transmit(datagram ?? [], on: record, to: peer)
            } else {
                engine.data.transmit(pieces, onStream: record)
            }
            // The write found the connection gone (reset, EPIPE): the bytes were not sent.
            if engine.sockets.record(id) == nil {
                let lost = record.stream.lostError
                throw CommandError(lost.map { "\($0)" } ?? "send \(id): \(engine.table[id]?.state.name ?? "closed")", reason: lost?.reason)
            }
            return "sent"
        }
        let queued = ids.reduce(0) { $0 + (engine.sockets.record($1)?.stream.sendQueue.byteCount ?? 0) }
        let destination = ids.count == 1 ? "\(ids[0])" + (peer.map { " → \($0)" } ?? "") : "\(ids.count) connections"
        if queued > 0 { return .ok("queued \(Units.bytes(total)) for \(destination) (\(queued) waiting for the peer to read)") }
        return .ok("sent \(Units.bytes(total)) to \(destination)")
    }
}
