// Scan — `scan HOST PORTS [timeout=SEC]`: a concurrent TCP connect scan, each port open, closed or
// filtered (the seed's port-scanning remark, done with `socket_connect`).

/// `scan`: which of these ports accept a connection.
struct ScanCommand: SessionCommand {
    var host: String
    var ports: PortList
    /// Per port, in microseconds.
    var timeoutMicros: Int64

    /// How long a probe waits before its port counts as filtered (no answer at all).
    static let defaultTimeout: Int64 = 1_000_000

    static let info = CommandInfo(
        "scan", usage: "scan HOST PORTS [timeout=SEC]", summary: "TCP connect scan: open, closed or filtered per port",
        seed: ["socket_connect"],
        arguments: [ArgumentInfo("HOST", .host), ArgumentInfo("PORTS", .ports)],
        options: [.timeout("per port before it counts as filtered", default: defaultTimeout)],
        examples: ["scan 127.0.0.1 20-25,80,443", "scan localhost 1-1024 timeout=200ms"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ScanCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        guard let hostWord = words.next() else { throw ParseError("expected a host and ports, e.g. scan 127.0.0.1 20-25,80") }
        let host = try EndpointSyntax.host(try words.unquoted(hostWord))
        guard let portsWord = words.next() else { throw ParseError("expected ports such as 20-25,80,443") }
        let ports = try EndpointSyntax.portList(portsWord.text)
        let timeout = try words.timeout(default: defaultTimeout)
        try words.finish()
        return ScanCommand(host: host, ports: ports, timeoutMicros: timeout)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.scan(host: host, ports: ports.ports, timeout: timeoutMicros, origin: origin)
    }
}

/// A validated set of TCP ports for `scan`: sorted, merged ranges within 1–65535.
public struct PortList: Equatable, Sendable {
    /// Disjoint, non-adjacent ranges in ascending order.
    public let ranges: [ClosedRange<UInt16>]

    /// The ranges sorted and merged; overlapping or adjacent ranges become one.
    public init(_ ranges: [ClosedRange<UInt16>]) {
        var merged: [ClosedRange<UInt16>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, Int(range.lowerBound) <= Int(last.upperBound) + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// How many ports.
    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    /// Every port, ascending.
    public var ports: [UInt16] { ranges.flatMap { Array($0) } }
}
