// Pair — `pair`: a connected pair of Unix sockets to play with (the seed's `socket_create_pair`).

/// `pair`: `socketpair(AF_UNIX, SOCK_STREAM)`, both ends in the Connections pane.
struct PairCommand: SessionCommand {
    static let info = CommandInfo(
        "pair", usage: "pair", summary: "create a connected pair of Unix sockets to play with",
        seed: ["socket_create_pair"], examples: ["pair"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> PairCommand {
        try args.noArguments()
        return PairCommand()
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let (first, second) = try engine.makePair()
        return .done(.ok("paired \(first) ⇄ \(second); \(first) is selected"))
    }
}
