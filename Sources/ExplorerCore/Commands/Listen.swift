// Listen — `listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=…] [accept=auto|manual] [mode=off|broker|chat]`:
// create, bind and listen in one step (the seed's `socket_create_listen`).

import SocketKit

/// `listen`: a new listening TCP or Unix-stream socket, or a bound UDP socket.
struct ListenCommand: SessionCommand {
    var transport: Transport
    var endpoint: EndpointSpec
    var options: ListenOptions
    /// `listen tls …`: the server's options (Engine/TLS); nil for a plain listener.
    var tls: TLSServerOptions? = nil
    /// `listen #N [backlog=N]` on a socket made with `socket` (the fields above are then unused).
    var step: StepListenArguments? = nil

    static let info = CommandInfo(
        "listen", usage: "listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]",
        summary: "create, bind and listen; HOST defaults to \(EndpointSyntax.defaultHost), *:PORT is every interface, port 0 picks one",
        seed: ["socket_create_listen", "socket_create", "socket_bind", "socket_listen"],
        arguments: [.keyword(Transport.allCases.map(\.rawValue) + ["tls"], optional: true), ArgumentInfo("[HOST:]PORT|PATH", .address)],
        options: [
            OptionInfo("backlog", value: "N", summary: "pending connections the kernel queues (default \(ListenOptions.defaultBacklog))"),
            OptionInfo("reply", value: "off|echo|reverse|TEMPLATE", choices: ReplyMode.keywords,
                       summary: "auto-reply of every accepted peer (default off)"),
            OptionInfo("accept", value: "auto|manual", choices: AcceptMode.allCases.map(\.rawValue),
                       summary: "manual leaves peers pending until accept (default auto)"),
            OptionInfo("mode", value: "off|broker|chat", choices: FanOutMode.allCases.map(\.rawValue),
                       summary: "broker sends each peer's bytes to every other peer; chat also prefixes lines with the sender and announces arrivals (default off)"),
        ] + TLSOptionSyntax.serverOptions,
        examples: ["listen 5000", "listen *:5000 backlog=4", "listen udp 6000 reply=echo",
                   #"listen 5000 reply="OK ... {data}""#, "listen unix /tmp/s.sock", "listen [::1]:0 accept=manual",
                   "listen #1 backlog=4", "listen tls 4433 reply=echo", "listen 0 mode=chat"])

    static var helpDetails: [String] {
        ["  step by step: listen #N [backlog=N] listens on a socket made with socket; its peers wait for accept",
         TLSOptionSyntax.listenForm]
    }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ListenCommand {
        if let step = try StepListenArguments.parse(args) {
            return ListenCommand(transport: .tcp, endpoint: .hostPort(host: EndpointSyntax.defaultHost, port: 0), options: ListenOptions(), step: step)
        }
        var words = try WordArguments(args, options: info.options.map(\.name))
        let isTLS = TLSOptionSyntax.takeTLS(&words)
        let explicit = isTLS ? Transport.tcp : words.takeKeyword(Transport.self)
        let endpoint = try EndpointSyntax.endpointWords(&words, kind: explicit, role: .listen, expected: "[HOST:]PORT or PATH")
        let kind = explicit ?? (endpoint.isPath ? .unix : .tcp)
        var options = ListenOptions()
        if let value = words.option("backlog") {
            options.backlog = try ValueSyntax.number(value, option: words.optionText("backlog"), in: 0...65_535)
        }
        if let value = words.option("reply") {
            options.reply = try ValueSyntax.inOption(words.optionText("reply")) { () throws(ParseError) in
                try ReplyMode.parse(args.line, value.range)
            }
        }
        if let value = words.option("accept") {
            options.accept = try ValueSyntax.keyword(value, AcceptMode.self, option: words.optionText("accept"))
        }
        if let value = words.option("mode") {
            options.mode = try ValueSyntax.keyword(value, FanOutMode.self, option: words.optionText("mode"))
            if options.mode != .off, words.option("reply") != nil {
                throw ParseError("mode=\(options.mode.rawValue) and reply= do not combine: a fan-out peer's bytes go to the other peers")
            }
        }
        if kind == .udp, let key = ["backlog", "accept", "mode"].first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= does not apply to udp, which has no connections to accept")
        }
        let tls = isTLS ? try TLSOptionSyntax.server(words) : nil
        if !isTLS { try TLSOptionSyntax.rejectWithoutTLS(words, hint: "write listen tls …") }
        try words.finish()
        return ListenCommand(transport: kind, endpoint: endpoint, options: options, tls: tls)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if let step {
            return .done(.ok(try engine.stepListen(try engine.resolve(step.target, "listen"), backlog: Int32(step.backlog))))
        }
        let request = try listenRequest(engine)
        let context = try tls.map { options throws(CommandError) in try options.context() }
        let id = try engine.listen(request)
        if let context, let tls { engine.makeTLSListener(id, context, tls) }
        engine.data.fanOut.register(id, options.mode)
        let entry = engine.table[id]!
        return .done(.ok("\(id) listening on \(entry.protocolName) \(entry.local.map { "\($0)" } ?? "")"
            + (request.port == 0 && request.path == nil ? " (port \(entry.local?.port ?? 0) picked by the kernel)" : "")))
    }

    private func listenRequest(_ engine: Engine) throws(CommandError) -> ListenRequest {
        guard options.backlog >= 0, options.backlog <= Int(Int32.max) else { throw CommandError("listen: backlog=\(options.backlog) out of range") }
        var request = ListenRequest(transport: transport, backlog: Int32(options.backlog), reply: try engine.autoReply(options.reply),
                                    acceptMode: options.accept)
        request.use(endpoint)
        if request.transport == .unix && request.path == nil { throw CommandError("listen unix: expected a PATH") }
        return request
    }
}

extension ListenRequest {
    /// Listens on `endpoint` (`listen`, `relay`): a path means unix.
    mutating func use(_ endpoint: EndpointSpec) {
        switch endpoint {
        case .hostPort(let host, let port):
            self.host = host
            self.port = port
        case .allInterfaces(let port):
            allInterfaces = true
            self.port = port
        case .path(let path):
            self.path = path
            transport = .unix
        }
    }
}

/// `listen` options, defaults filled in.
public struct ListenOptions: Equatable, Sendable {
    /// The `listen(2)` backlog (`backlog=N`); ignored by UDP.
    public var backlog: Int
    /// What to answer each received chunk with (`reply=`), for every accepted peer.
    public var reply: ReplyMode
    /// Whether peers are accepted at once or wait for `accept` (`accept=`).
    public var accept: AcceptMode
    /// Whether peers' bytes fan out to each other (`mode=`).
    public var mode: FanOutMode = .off

    /// The `listen(2)` backlog when `backlog=` is not given (the screen's `bl 128`).
    public static let defaultBacklog = 128

    public init(backlog: Int = ListenOptions.defaultBacklog, reply: ReplyMode = .off, accept: AcceptMode = .auto) {
        self.backlog = backlog
        self.reply = reply
        self.accept = accept
    }
}

/// `accept=auto|manual`.
public enum AcceptMode: String, CaseIterable, Sendable {
    case auto, manual
}
