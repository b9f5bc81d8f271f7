// StartTLS — `starttls [TARGET] [client|server] [options]`: upgrade an established plain TCP
// connection to TLS in place (SMTP/IMAP/XMPP STARTTLS, or any protocol that switches).

import TLSKit

/// `starttls`: a TLS handshake on an open plain connection, as client (default for a connection
/// sockpit opened) or server (default for one it accepted).
struct StartTLSCommand: SessionCommand {
    var target: Target
    /// nil: client on an outgoing connection, server on an accepted one.
    var role: TLSRole?
    var client: TLSClientOptions
    var server: TLSServerOptions

    static let info = CommandInfo(
        "starttls", usage: "starttls [TARGET] [client|server] [sni=NAME] [alpn=…] [verify=on|off] [ca=FILE] [cert=FILE key=FILE] [clientcert=…]",
        summary: "upgrade an established plain connection to TLS in place (client on one sockpit opened, server on one it accepted)",
        arguments: [.target(.open(all: false)), .keyword(StartTLSRole.self, optional: true)],
        options: TLSOptionSyntax.clientOptions + [TLSOptionSyntax.clientcert],
        examples: ["starttls", "starttls #2 client verify=off", "starttls #3 server"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> StartTLSCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        let target = try words.takeTarget(allowAll: false)
        let role = words.takeKeyword(StartTLSRole.self).map { $0 == .client ? TLSRole.client : TLSRole.server }
        var client = TLSClientOptions()
        var server = TLSServerOptions()
        switch role {
        case .client: client = try TLSOptionSyntax.client(words)
        case .server: server = try TLSOptionSyntax.server(words)
        case nil:
            // The role comes from the socket at run time: options of both kinds are read, each checked then.
            if words.option("clientcert") == nil { client = try TLSOptionSyntax.client(words) }
            if words.option("sni") == nil && words.option("verify") == nil { server = try TLSOptionSyntax.server(words) }
        }
        try words.finish()
        return StartTLSCommand(target: target, role: role, client: client, server: server)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try engine.resolve(target, "starttls")
        guard let entry = engine.table[id] else { throw CommandError("no socket \(id)") }
        let role = self.role ?? (entry.parent == nil ? .client : .server)
        let context: TLSContext
        switch role {
        case .client:
            if self.role == nil, server.clientcert != .off { throw CommandError("starttls: clientcert= is for the server side: write starttls \(id) server …") }
            context = try client.context(host: StartTLSCommand.peerHost(entry))
        case .server:
            if self.role == nil, client.sni != nil || !client.verify {
                throw CommandError("starttls: sni= and verify= are for the client side: write starttls \(id) client …")
            }
            context = try server.context()
        }
        return try engine.startTLS(id, context: context, origin: origin)
    }

    /// The name the server's certificate is checked against: what the user typed to connect
    /// (`mail.example.org:25`), else the peer's address.
    static func peerHost(_ entry: SocketEntry) -> String {
        if entry.role == .outgoing, let colon = entry.requested.lastIndex(of: ":") {
            var host = String(entry.requested[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if !host.isEmpty { return host }
        }
        return entry.remote?.host ?? "localhost"
    }
}

/// `client|server` after `starttls`.
enum StartTLSRole: String, CaseIterable {
    case client, server
}
