// Wait — `wait [TARGET] connected|closed|data [timeout=SEC]`: a script waits for the session, as
// the seed's `socket_select` server waits for its sockets. A condition that already holds returns
// at once, so scripts never race.

/// `wait`: until connected (or a peer accepted), closed, or new data.
struct WaitCommand: SessionCommand {
    var target: Target
    var condition: WaitCondition
    var timeoutMicros: Int64

    /// How long `wait`, `expect` and `recv … all` wait when not told (PRODUCT.md: 10 s).
    static let defaultTimeout: Int64 = 10_000_000

    static let info = CommandInfo(
        "wait", usage: "wait [TARGET] connected|closed|data [timeout=SEC]",
        summary: "wait until connected (or a peer accepted), closed, or new data",
        seed: ["socket_select"], arguments: [.target(.any), .keyword(WaitCondition.self)],
        options: [.timeout("fail after", default: defaultTimeout)],
        examples: ["wait connected", "wait #1 connected timeout=5", "wait data"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> WaitCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        let target = try words.takeTarget(allowAll: false)
        let condition = try words.requireKeyword(WaitCondition.self)
        let timeout = try words.timeout(default: defaultTimeout)
        try words.finish()
        return WaitCommand(target: target, condition: condition, timeoutMicros: timeout)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.wait(for: condition, on: try engine.resolve(target, "wait"), timeout: timeoutMicros, origin: origin)
    }
}

/// What `wait` waits for.
public enum WaitCondition: String, CaseIterable, Sendable {
    /// A connecting socket is established, or a listener accepted a new peer.
    case connected
    case closed
    /// New bytes arrived.
    case data
}
