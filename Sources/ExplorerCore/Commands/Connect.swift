// Connect — `connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]`: create and
// connect, non-blocking (the seed's `socket_create` + `socket_connect`).

import SocketKit

/// `connect`: a new outgoing connection, shown as connecting… until it succeeds or fails.
struct ConnectCommand: SessionCommand {
    var transport: Transport
    var endpoint: EndpointSpec
    var options: ConnectOptions
    /// `connect tls …`: the handshake's options (Engine/TLS); nil for a plain connection.
    var tls: TLSClientOptions? = nil
    /// `connect #N HOST:PORT` on a socket made with `socket` (the fields above are then unused).
    var step: StepConnectArguments? = nil

    static let info = CommandInfo(
        "connect", usage: "connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]",
        summary: "open a connection (non-blocking; shown as connecting… until it succeeds or fails)",
        seed: ["socket_create", "socket_connect"],
        arguments: [.keyword(Transport.allCases.map(\.rawValue) + ["tls"], optional: true), ArgumentInfo("HOST:PORT|PATH", .address)],
        options: [.timeout("connect gives up", default: ConnectOptions.defaultTimeout),
                  OptionInfo("from", value: "HOST:PORT", summary: "bind this local address first (port 0: any)")]
            + TLSOptionSyntax.clientOptions,
        examples: ["connect 127.0.0.1:5000", "connect example.org 80", "connect [::1]:80 timeout=2",
                   "connect unix /tmp/s.sock", "connect tls example.org:443 alpn=h2,http/1.1", "connect #1 127.0.0.1:5000"])

    static var helpDetails: [String] {
        [TLSOptionSyntax.connectForm,
         "  step by step: connect #N HOST:PORT|PATH connects a socket made with socket, with one connect call"]
    }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ConnectCommand {
        if let step = try StepConnectArguments.parse(args) {
            return ConnectCommand(transport: .tcp, endpoint: step.endpoint, options: ConnectOptions(timeoutMicros: step.timeoutMicros), step: step)
        }
        var words = try WordArguments(args, options: info.options.map(\.name))
        let isTLS = TLSOptionSyntax.takeTLS(&words)
        let explicit = isTLS ? Transport.tcp : words.takeKeyword(Transport.self)
        let endpoint = try EndpointSyntax.endpointWords(&words, kind: explicit, role: .destination, expected: "HOST:PORT or PATH")
        let tls = isTLS ? try TLSOptionSyntax.client(words) : nil
        if !isTLS { try TLSOptionSyntax.rejectWithoutTLS(words, hint: "write connect tls …") }
        let kind = explicit ?? (endpoint.isPath ? .unix : .tcp)
        var options = ConnectOptions(timeoutMicros: try words.timeout(default: ConnectOptions.defaultTimeout))
        if let value = words.option("from") {
            guard kind != .unix else { throw ParseError("from= applies to tcp and udp, not unix") }
            options.from = try ValueSyntax.inOption(words.optionText("from")) { () throws(ParseError) in
                try EndpointSyntax.optionEndpoint(value.text, defaultPort: 0, role: .bind)
            }
        }
        try words.finish()
        return ConnectCommand(transport: kind, endpoint: endpoint, options: options, tls: tls)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if let step {
            let id = try engine.resolve(step.target, "connect")
            return try engine.stepConnect(id, to: try engine.stepAddress(step.endpoint, for: id, "connect"), timeout: step.timeoutMicros,
                                          origin: origin)
        }
        let request = try connectRequest()
        if let tls { return try engine.connectTLS(request, tls, origin: origin) }
        let id = try engine.connect(request)
        return try engine.wait(for: .connected, on: id, timeout: request.timeout + 1_000_000, origin: origin)
            .relabeled(progress: "\(id) connecting to \(Sanitizer.clean(request.target))…")
    }

    private func connectRequest() throws(CommandError) -> ConnectRequest {
        var request = try ConnectRequest(endpoint, transport: transport, timeout: options.timeoutMicros, command: "connect")
        if request.transport == .unix && request.path == nil { throw CommandError("connect unix: expected a PATH") }
        if let from = options.from {
            guard case .hostPort(let host, let port) = from else { throw CommandError("connect: from= expects HOST:PORT") }
            request.fromHost = host
            request.fromPort = port
        }
        return request
    }
}

/// `connect` options, defaults filled in.
public struct ConnectOptions: Equatable, Sendable {
    /// How long `connect` waits when `timeout=` is not given: a black-holed SYN otherwise retries
    /// for about two minutes.
    public static let defaultTimeout: Int64 = 10_000_000

    /// How long to wait for the connection (`timeout=`), in microseconds.
    public var timeoutMicros: Int64
    /// The local address to bind first (`from=HOST:PORT`; port 0 lets the kernel pick).
    public var from: EndpointSpec?

    public init(timeoutMicros: Int64 = ConnectOptions.defaultTimeout, from: EndpointSpec? = nil) {
        self.timeoutMicros = timeoutMicros
        self.from = from
    }
}

extension ConnectRequest {
    /// A connection to `endpoint` (a path means unix), for `command` (`connect`, `replay`).
    init(_ endpoint: EndpointSpec, transport: Transport, timeout: Int64, command: String) throws(CommandError) {
        self.init(transport: transport, timeout: timeout)
        switch endpoint {
        case .hostPort(let host, let port):
            self.host = host
            self.port = port
        case .allInterfaces:
            throw CommandError("\(command): * is for listen; give a host to connect to")
        case .path(let path):
            self.path = path
            self.transport = .unix
        }
    }
}
