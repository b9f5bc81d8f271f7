// Relay — `relay [tcp|udp|tls|unix] [HOST:]PORT|PATH [tcp|udp|tls|unix] HOST:PORT|PATH [options]`:
// listen on the first endpoint and connect every client accepted to the second, forwarding both
// ways (PRODUCT.md §6). A kind word applies to the endpoint after it.

import SocketKit
import TLSKit

/// The kind word before a relay endpoint.
enum RelaySideKind: String, CaseIterable, Sendable {
    case tcp, udp, tls, unix
}

/// `relay`: a listener whose clients are each connected to the target.
struct RelayCommand: SessionCommand {
    var listenKind: Transport
    var listen: EndpointSpec
    var targetKind: Transport
    var target: EndpointSpec
    var options: RelayOptions
    /// `relay tls PORT …`: the client-facing side's TLS options; nil when plain.
    var listenTLS: TLSServerOptions? = nil
    /// `relay … tls HOST:PORT`: the server side's TLS options; nil when plain.
    var targetTLS: TLSClientOptions? = nil

    static let info = CommandInfo(
        "relay", usage: "relay [tcp|udp|tls|unix] [HOST:]PORT|PATH [tcp|udp|tls|unix] HOST:PORT|PATH [timeout=SEC] [intercept=off|on|up|down] [idle=SEC] [cert=FILE key=FILE clientcert=…] [sni= verify= ca= alpn=]",
        summary: "stand in the middle: listen, connect each client to the target, forward both ways (each client a pair #C ⇄ #S)",
        arguments: [.keyword(RelaySideKind.self, optional: true), ArgumentInfo("[HOST:]PORT|PATH", .address),
                    .keyword(RelaySideKind.self, optional: true), ArgumentInfo("HOST:PORT|PATH", .address)],
        options: [.timeout("each server leg's connect gives up", default: ConnectOptions.defaultTimeout),
                  OptionInfo("intercept", value: "off|on|up|down", choices: InterceptMode.allCases.map(\.rawValue),
                             summary: "hold chunks from the start (see intercept; default off)"),
                  OptionInfo("idle", value: "SEC", summary: "udp: close a client's server leg after this long without traffic (default \(Units.duration(RelayOptions.defaultIdle)))"),
                  TLSOptionSyntax.cert, TLSOptionSyntax.key, TLSOptionSyntax.clientcert,
                  TLSOptionSyntax.sni, TLSOptionSyntax.verify, TLSOptionSyntax.ca, TLSOptionSyntax.alpn],
        examples: ["relay 8080 example.org:80", "relay 0 127.0.0.1:9", "relay unix /tmp/x.sock 127.0.0.1:80",
                   "relay 8080 unix /var/run/app.sock", "relay udp 5353 udp 127.0.0.1:53", "relay 8080 127.0.0.1:80 intercept=up",
                   "relay tls 8443 tls example.org:443", "relay tls 0 127.0.0.1:8080", "relay 0 tls 127.0.0.1:5000 verify=off"])

    static var helpDetails: [String] {
        ["  TLS: cert=/key=/clientcert= belong to a tls listening side (without cert=, a fresh self-signed certificate);",
         "       sni=/verify=/ca=/alpn= to a tls side it connects to"]
    }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> RelayCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        let firstKind = words.takeKeyword(RelaySideKind.self)
        let listenKind = try transport(firstKind)
        let listen = try EndpointSyntax.endpointWords(&words, kind: listenKind, role: .listen, expected: "[HOST:]PORT or PATH to listen on")
        let secondKind = words.takeKeyword(RelaySideKind.self)
        let explicitTarget = try transport(secondKind)
        let target = try EndpointSyntax.endpointWords(&words, kind: explicitTarget, role: .destination, expected: "HOST:PORT or PATH to connect to")
        if case .allInterfaces = target { throw ParseError("* is for the listening side; give a host to connect to") }
        let listenTransport = listenKind ?? (listen.isPath ? .unix : .tcp)
        // A UDP client has datagrams to send on: the target is UDP too unless said otherwise.
        let targetTransport = explicitTarget ?? (target.isPath ? .unix : listenTransport == .udp ? .udp : .tcp)
        if (listenTransport == .udp) != (targetTransport == .udp) {
            throw ParseError("a relay forwards datagrams to datagrams and streams to streams: give udp on both sides or neither")
        }
        var options = RelayOptions(timeoutMicros: try words.timeout(default: ConnectOptions.defaultTimeout))
        if let value = words.option("intercept") {
            options.intercept = try ValueSyntax.keyword(value, InterceptMode.self, option: words.optionText("intercept"))
            if listenTransport == .udp { throw ParseError("intercept= holds stream chunks; a udp relay forwards every datagram") }
        }
        if let value = words.option("idle") {
            guard listenTransport == .udp else { throw ParseError("idle= applies to udp relays (stream legs close when their peers do)") }
            options.idleMicros = try ValueSyntax.duration(value.text, option: words.optionText("idle"))
        }
        let (listenTLS, targetTLS) = try tlsSides(words, listening: firstKind == .tls, connecting: secondKind == .tls)
        if (firstKind == .tls && listen.isPath) || (secondKind == .tls && target.isPath) {
            throw ParseError("TLS runs over tcp; give HOST:PORT, not a path")
        }
        try words.finish()
        return RelayCommand(listenKind: listenTransport, listen: listen, targetKind: targetTransport, target: target, options: options,
                            listenTLS: listenTLS, targetTLS: targetTLS)
    }

    /// The transport a kind word asks for (`tls` runs over tcp).
    private static func transport(_ kind: RelaySideKind?) throws(ParseError) -> Transport? {
        guard let kind else { return nil }
        switch kind {
        case .tcp, .tls: return .tcp
        case .udp: return .udp
        case .unix: return .unix
        }
    }

    /// The TLS options of each side: cert=, key=, clientcert= for a tls listening side; sni=,
    /// verify=, ca=, alpn= for a tls side it connects to (PRODUCT.md §6).
    private static func tlsSides(_ words: WordArguments, listening: Bool, connecting: Bool) throws(ParseError) -> (TLSServerOptions?, TLSClientOptions?) {
        let serverKeys = ["cert", "key", "clientcert"], clientKeys = ["sni", "verify", "ca", "alpn"]
        if !listening, let key = serverKeys.first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= belongs to a tls listening side: relay tls PORT …")
        }
        if !connecting, let key = clientKeys.first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= belongs to a tls side it connects to: relay PORT tls HOST:PORT …")
        }
        var server: TLSServerOptions?
        if listening {
            var options = TLSServerOptions()
            if let value = words.option("cert") { options.cert = try words.unquoted(value) }
            if let value = words.option("key") { options.key = try words.unquoted(value) }
            if options.key != nil && options.cert == nil { throw ParseError("key= needs its certificate: give cert=FILE too") }
            if let value = words.option("clientcert") {
                options.clientcert = try ValueSyntax.keyword(value, ClientCertificatePolicy.self, option: words.optionText("clientcert"))
            }
            server = options
        }
        var client: TLSClientOptions?
        if connecting {
            var options = TLSClientOptions()
            if let value = words.option("sni") { options.sni = try words.unquoted(value) }
            if let value = words.option("verify") {
                guard let on = ValueSyntax.switchValue(value.text) else { throw ParseError("\(words.optionText("verify")): expected on or off") }
                options.verify = on
            }
            if let value = words.option("ca") { options.ca = try words.unquoted(value) }
            if let value = words.option("alpn") {
                options.alpn = value.text.split(separator: ",").map(String.init)
                guard !options.alpn.isEmpty else { throw ParseError("\(words.optionText("alpn")): expected protocol names (h2,http/1.1)") }
            }
            client = options
        }
        return (server, client)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        var listenRequest = ListenRequest(transport: listenKind)
        listenRequest.use(listen)
        let connectRequest = try ConnectRequest(target, transport: targetKind, timeout: options.timeoutMicros, command: "relay")
        let id = try engine.startRelay(RelayRequest(listen: listenRequest, target: connectRequest, intercept: options.intercept,
                                                    idle: options.idleMicros, listenTLS: listenTLS, targetTLS: targetTLS))
        let local = engine.table[id]?.local.map { "\($0)" } ?? ""
        let from = listenTLS == nil ? listenKind.rawValue : "tls", to = targetTLS == nil ? targetKind.rawValue : "tls"
        return .done(.ok("\(id) relaying \(from) \(local) → \(to) \(Sanitizer.clean(connectRequest.target))"
            + (options.intercept == .off ? "" : " (intercept \(options.intercept.rawValue))")))
    }
}

/// `relay` options, defaults filled in.
public struct RelayOptions: Equatable, Sendable {
    /// How long each server leg's connect waits (`timeout=`), in microseconds.
    public var timeoutMicros: Int64
    /// What intercept holds from the start (`intercept=`).
    public var intercept: InterceptMode
    /// UDP: how long a client's server leg lives without traffic (`idle=`), in microseconds.
    public var idleMicros: Int64

    /// A UDP server leg's life without traffic when `idle=` is not given.
    public static let defaultIdle: Int64 = 60_000_000

    public init(timeoutMicros: Int64 = ConnectOptions.defaultTimeout, intercept: InterceptMode = .off, idleMicros: Int64 = RelayOptions.defaultIdle) {
        self.timeoutMicros = timeoutMicros
        self.intercept = intercept
        self.idleMicros = idleMicros
    }
}
