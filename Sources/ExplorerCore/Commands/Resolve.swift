// Resolve — `resolve HOST`: getaddrinfo's answers, looked up off the loop (the seed's
// `gethostbyname`).

import SocketKit

/// `resolve`: the addresses of a name.
struct ResolveCommand: SessionCommand {
    var host: String

    /// How long a lookup may take before the command gives up (the resolver thread may go on).
    static let timeout: Int64 = 30_000_000

    static let info = CommandInfo(
        "resolve", usage: "resolve HOST", summary: "look a name up (getaddrinfo)", seed: ["gethostbyname"],
        arguments: [ArgumentInfo("HOST", .host)], examples: ["resolve example.org", "resolve localhost"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ResolveCommand {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError("expected a host name or address") }
        let host = try EndpointSyntax.host(try words.unquoted(word))
        try words.finish()
        return ResolveCommand(host: host)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        var answer: Result<[SocketAddress], SystemError>?
        let shown = Sanitizer.clean(host)
        engine.resolve(host: host, port: 0, transport: .tcp) { answer = $0 }
        let seconds = Units.duration(ResolveCommand.timeout)
        let operation = Operation(label: "resolve \(shown)", origin: origin, timeout: ResolveCommand.timeout, poll: { [unowned engine] in
            switch answer {
            case nil:
                return nil
            case .failure(let error)?:
                return .error("resolve \(shown): \(error.reason)")
            case .success(let addresses)?:
                engine.output(["\(shown) has \(addresses.count) address\(addresses.count == 1 ? "" : "es"):"] + addresses.map { "  \($0.host)" })
                return .ok("\(shown) → " + addresses.map(\.host).joined(separator: ", "))
            }
        }, timedOut: { .error("resolve \(shown): no answer after \(seconds)") })
        return engine.begin(operation, progress: "resolving \(shown)…")
    }
}
