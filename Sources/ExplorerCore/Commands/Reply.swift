// Reply — `reply [TARGET] off|echo|reverse|TEMPLATE`: answer each chunk received, as the seed's
// servers do (`"OK ... $input"` is a template; `strrev` is `reverse`).

/// `reply`: the auto-reply of a socket, or of every peer of a listener.
struct ReplyCommand: SessionCommand {
    var target: Target
    var mode: ReplyMode

    static let info = CommandInfo(
        "reply", usage: "reply [TARGET] off|echo|reverse|TEMPLATE",
        summary: "answer each chunk received; {data} in TEMPLATE is the chunk; on a listener, every peer",
        seed: ["socket_read", "socket_write"],
        arguments: [.target(), ArgumentInfo("off|echo|reverse|TEMPLATE", .keyword(ReplyMode.keywords))],
        examples: [#"reply #1 "OK ... {data}""#, "reply #1 reverse", "reply off"])

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> ReplyCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: true)
        return ReplyCommand(target: target, mode: try ReplyMode.parse(args.line, args.rest))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let reply = try engine.autoReply(mode)
        return .done(.ok(try engine.forEachTarget(target, "reply", includeListeners: true,
                                                  check: { id throws(CommandError) in _ = try engine.openRecord(id) }) { id throws(CommandError) in
            engine.update(id) { $0.reply = reply == .off ? nil : reply }
            engine.event(id, .event, "reply \(reply)")
            let toPeers = engine.table[id]?.role.isListening == true && engine.table[id]?.transport != .udp
            return "\(id) replies \(reply)" + (toPeers ? " to every accepted peer" : "")
        }))
    }
}

/// How a socket answers what it receives, as typed (a template's `@file` not read yet).
public enum ReplyMode: Equatable, Sendable {
    case off
    /// Send each chunk back unchanged.
    case echo
    /// Send each chunk back reversed, like the seed's `strrev` server.
    case reverse
    /// Send this payload; the engine replaces the bytes `{data}` with the chunk received.
    case template(Payload)

    /// The words that are modes rather than templates.
    static let keywords = ["off", "echo", "reverse"]

    /// `off`, `echo`, `reverse` (one word, any case), or a non-empty payload template.
    static func parse(_ line: LineText, _ range: Range<Int>) throws(ParseError) -> ReplyMode {
        switch line.text(range).lowercased() {
        case "": throw ParseError("expected off, echo, reverse or a template")
        case "off": return .off
        case "echo": return .echo
        case "reverse": return .reverse
        default:
            let template = try PayloadParser.parse(line, range)
            guard !template.isEmpty else { throw ParseError("empty template; to stop replying use off") }
            return .template(template)
        }
    }
}
