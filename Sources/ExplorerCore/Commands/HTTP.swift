// HTTP — `http [TARGET|HOST[:PORT]|http://HOST[:PORT]/PATH] [PATH] [timeout=SEC]`: the seed's
// hand-written `GET / HTTP/1.1`, on an open connection or a new one.

/// `http`: a minimal GET, finished when the server closes (or at the timeout).
struct HTTPCommand: SessionCommand {
    var destination: HTTPDestination
    var path: String
    var timeoutMicros: Int64
    /// `http https://…`: the TLS client's options; nil for plain HTTP (or an open connection, TLS or not).
    var tls: TLSClientOptions? = nil

    /// `http HOST` without a port.
    static let defaultPort: UInt16 = 80
    /// `http https://HOST` without a port.
    static let defaultTLSPort: UInt16 = 443
    /// `http` without PATH.
    static let defaultPath = "/"
    /// How long to wait for the server to answer and close.
    static let defaultTimeout: Int64 = 30_000_000

    static let info = CommandInfo(
        "http", usage: "http [TARGET|HOST[:PORT]] [PATH] [timeout=SEC]", summary: "send a minimal GET request (PATH default /)",
        seed: ["socket_connect", "socket_write"],
        arguments: [ArgumentInfo("TARGET|HOST[:PORT]", .address, optional: true), ArgumentInfo("PATH", .text, optional: true)],
        options: [.timeout("wait for the response to end", default: defaultTimeout)] + TLSOptionSyntax.clientOptions,
        examples: ["http", "http example.org /", "http 127.0.0.1:8080 /index.html", "http http://example.org/",
                   "http 127.0.0.1:8080 timeout=5", "http https://example.org/ alpn=http/1.1"])

    static var helpDetails: [String] { [TLSOptionSyntax.httpsForm] }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> HTTPCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        var destination = HTTPDestination.target(.selected)
        var path: String?
        var secure = false
        if let word = words.peek(), !word.text.hasPrefix("/") {
            _ = words.next()
            if let target = try Targets.parse(word) {
                destination = .target(try Targets.check(target, allowAll: false))
            } else {
                (destination, path, secure) = try address(word.text)
            }
        }
        if !secure { try TLSOptionSyntax.rejectWithoutTLS(words, hint: "give an https:// address") }
        if path == nil, let word = words.peek(), word.text.hasPrefix("/") {
            _ = words.next()
            path = word.text
        }
        if path == nil, let word = words.peek() {
            throw ParseError("expected a PATH starting with /, got \(MessageText.quoted(word.text))")
        }
        let timeout = try words.timeout(default: defaultTimeout)
        let tls = secure ? try TLSOptionSyntax.client(words) : nil
        try words.finish()
        return HTTPCommand(destination: destination, path: path ?? defaultPath, timeoutMicros: timeout, tls: tls)
    }

    /// `HOST[:PORT]`, `http://HOST[:PORT][/PATH]` or `https://…`; the port defaults to 80 (443 for https).
    private static func address(_ text: String) throws(ParseError) -> (HTTPDestination, String?, Bool) {
        let lowered = text.lowercased()
        let secure = lowered.hasPrefix("https://")
        var address = Substring(text)
        var path: String?
        if lowered.hasPrefix("http://") || secure {
            address = address.dropFirst(secure ? 8 : 7)
            if let slash = address.firstIndex(of: "/") {
                path = String(address[slash...])
                address = address[..<slash]
            }
        }
        let port = secure ? defaultTLSPort : defaultPort
        return (.endpoint(try EndpointSyntax.optionEndpoint(String(address), defaultPort: port, role: .destination)), path, secure)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        switch destination {
        case .target(let target):
            let id = try engine.resolve(target, "http")
            _ = try engine.openRecord(id)
            guard engine.table[id]?.role.isListening == false else { throw CommandError("http: \(id) is a listener") }
            let hostHeader = engine.table[id]?.remote.flatMap { remote in remote.port.map { HTTPCommand.hostHeader(remote.host, $0) } } ?? "localhost"
            return try engine.http(on: id, hostHeader: hostHeader, path: path, timeout: timeoutMicros, origin: origin)
        case .endpoint(let endpoint):
            guard case .hostPort(let host, let port) = endpoint else { throw CommandError("http: expected HOST:PORT") }
            let request = ConnectRequest(transport: .tcp, host: host, port: port, timeout: ConnectOptions.defaultTimeout)
            let id: SocketID
            if let tls { id = try engine.connectForTLS(request, tls) } else { id = try engine.connect(request) }
            let header = HTTPCommand.hostHeader(host, port, defaultPort: tls == nil ? HTTPCommand.defaultPort : HTTPCommand.defaultTLSPort)
            return try engine.http(on: id, hostHeader: header, path: path, timeout: timeoutMicros, origin: origin)
        }
    }

    /// The `Host` header for a server: the port only when it is not 80, IPv6 in brackets (RFC 9110 §7.2).
    static func hostHeader(_ host: String, _ port: UInt16, defaultPort: UInt16 = HTTPCommand.defaultPort) -> String {
        (host.contains(":") ? "[\(host)]" : host) + (port == defaultPort ? "" : ":\(port)")
    }
}

/// Where `http` sends its request.
public enum HTTPDestination: Equatable, Sendable {
    /// An open connection.
    case target(Target)
    /// A new TCP connection to this address.
    case endpoint(EndpointSpec)
}
