// Recv — `recv [TARGET] [N] [all]`: read from a paused socket now, as `recv(2)` would (the seed's
// `socket_recv` / `socket_read`); `all` waits for exactly N bytes (`MSG_WAITALL`).

/// `recv`: bytes read on demand from a socket whose reading is paused.
struct RecvCommand: SessionCommand {
    var target: Target
    var count: Int
    var waitAll: Bool

    /// Bytes read when N is not given.
    static let defaultCount = 65_536
    /// The largest N: one read into memory, and `all` waits for all of it.
    static let maximumCount = 16 << 20

    static let info = CommandInfo(
        "recv", usage: "recv [TARGET] [N] [all]",
        summary: "read up to N bytes (default \(defaultCount)) from a paused socket; all waits for N",
        seed: ["socket_recv", "socket_read"],
        arguments: [.target(.open(all: false)), ArgumentInfo("N", .count, optional: true), .keyword(["all"], optional: true)],
        examples: ["recv #3 1024", "recv 16 all"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> RecvCommand {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: false)
        var count: Int?
        var waitAll = false
        while let word = words.next() {
            if !word.isQuoted, word.keyword == "all", !waitAll {
                waitAll = true
            } else if EndpointSyntax.isDigits(word.text), count == nil {
                let range = 1...maximumCount
                guard word.text.count <= 9, let value = Int(word.text), range.contains(value) else {
                    throw ParseError("byte count \(MessageText.visible(word.text)) out of range 1–\(range.upperBound)")
                }
                count = value
            } else {
                throw ParseError("expected a byte count N or all, got \(MessageText.quoted(word.text))")
            }
        }
        if waitAll, count == nil { throw ParseError("all needs a byte count: recv N all") }
        return RecvCommand(target: target, count: count ?? defaultCount, waitAll: waitAll)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.receive(on: try engine.resolve(target, "recv"), count: count, all: waitAll,
                           timeout: WaitCommand.defaultTimeout, origin: origin)
    }
}
