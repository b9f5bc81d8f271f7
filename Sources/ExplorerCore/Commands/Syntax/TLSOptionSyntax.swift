// TLSOptionSyntax — the TLS options `connect tls`, `listen tls`, `starttls` and `http https://`
// share (PRODUCT.md §6): their declarations for help and completion, parsing them into values, and
// turning those into TLSKit's configurations.

import TLSKit

/// A TLS client's options: `sni= alpn= verify= ca= cert= key=`.
public struct TLSClientOptions: Equatable, Sendable {
    /// `sni=NAME`; nil sends the host when it is a name (`sni=` empty sends none).
    public var sni: String?
    public var alpn: [String] = []
    /// `verify=on|off`, on by default.
    public var verify = true
    public var ca: String?
    public var cert: String?
    public var key: String?

    public init(sni: String? = nil, alpn: [String] = [], verify: Bool = true, ca: String? = nil, cert: String? = nil, key: String? = nil) {
        self.sni = sni
        self.alpn = alpn
        self.verify = verify
        self.ca = ca
        self.cert = cert
        self.key = key
    }

    /// The client context for a connection to `host` (a name or an IP literal); a bad file is an `error:`.
    func context(host: String) throws(CommandError) -> TLSContext {
        let configuration = TLSClientConfiguration(host: host, serverName: sni, verify: verify, caFile: ca, certificateFile: cert,
                                                   keyFile: key, settings: TLSProtocolSettings(alpn: alpn))
        do { return try TLSContext(client: configuration) } catch { throw CommandError("tls: \(error)") }
    }
}

/// A TLS server's options: `cert= key= alpn= clientcert= ca=`.
public struct TLSServerOptions: Equatable, Sendable {
    /// nil: a fresh self-signed certificate for localhost, 127.0.0.1 and ::1.
    public var cert: String?
    public var key: String?
    public var alpn: [String] = []
    public var clientcert: ClientCertificatePolicy = .off
    /// CAs a client certificate must chain to (with `clientcert=require`).
    public var ca: String?

    public init(cert: String? = nil, key: String? = nil, alpn: [String] = [], clientcert: ClientCertificatePolicy = .off, ca: String? = nil) {
        self.cert = cert
        self.key = key
        self.alpn = alpn
        self.clientcert = clientcert
        self.ca = ca
    }

    func context() throws(CommandError) -> TLSContext {
        let identity: TLSServerIdentity = cert.map { .files(certificate: $0, key: key) } ?? .selfSigned
        let configuration = TLSServerConfiguration(identity: identity, clientCertificates: clientcert, clientCAFile: ca,
                                                   settings: TLSProtocolSettings(alpn: alpn))
        do { return try TLSContext(server: configuration) } catch { throw CommandError("tls: \(error)") }
    }
}

enum TLSOptionSyntax {
    static let sni = OptionInfo("sni", value: "NAME", summary: "server name to send (default HOST when it is a name)")
    static let alpn = OptionInfo("alpn", value: "PROTO,…", summary: "ALPN protocols, most preferred first (h2,http/1.1)")
    static let verify = OptionInfo("verify", value: "on|off", choices: ["on", "off"],
                                   summary: "check the certificate against the system trust store and the name (default on)")
    static let ca = OptionInfo("ca", value: "FILE", summary: "PEM certificates to trust (client) or client certificates must chain to (server)")
    static let cert = OptionInfo("cert", value: "FILE", summary: "our certificate (PEM, chain after it)")
    static let key = OptionInfo("key", value: "FILE", summary: "its private key (PEM; default: in the cert file)")
    static let clientcert = OptionInfo("clientcert", value: "off|ask|require", choices: ClientCertificatePolicy.allCases.map(\.rawValue),
                                       summary: "ask clients for a certificate (default off)")

    /// The TLS forms `help` adds below the plain usage lines (PRODUCT.md §6).
    static let connectForm = "  TLS: connect tls HOST:PORT [sni=NAME] [alpn=h2,http/1.1] [verify=on|off] [ca=FILE] [cert=FILE key=FILE] [timeout=SEC]"
    static let listenForm = "  TLS: listen tls [HOST:]PORT [cert=FILE key=FILE] [alpn=…] [clientcert=off|ask|require] [ca=FILE] (and every option above)"
    static let httpsForm = "  TLS: http https://HOST[:PORT][/PATH] [verify=on|off] [ca=FILE] [sni=NAME] [alpn=…], or http TARGET PATH on a TLS connection"

    static let clientOptions = [sni, alpn, verify, ca, cert, key]
    static let serverOptions = [cert, key, alpn, clientcert, ca]
    /// Every TLS option name (starttls takes both roles' options).
    static let allNames = ["sni", "alpn", "verify", "ca", "cert", "key", "clientcert"]

    static func client(_ words: WordArguments) throws(ParseError) -> TLSClientOptions {
        var options = TLSClientOptions()
        if let value = words.option("sni") { options.sni = try words.unquoted(value) }
        if let value = words.option("alpn") { options.alpn = try protocols(value.text, option: words.optionText("alpn")) }
        if let value = words.option("verify") {
            guard let on = ValueSyntax.switchValue(value.text) else { throw ParseError("\(words.optionText("verify")): expected on or off") }
            options.verify = on
        }
        options.ca = try file(words, "ca")
        options.cert = try file(words, "cert")
        options.key = try file(words, "key")
        if options.key != nil && options.cert == nil { throw ParseError("key= needs its certificate: give cert=FILE too") }
        if words.option("clientcert") != nil { throw ParseError("clientcert= is a server option (listen tls, starttls server)") }
        return options
    }

    static func server(_ words: WordArguments) throws(ParseError) -> TLSServerOptions {
        var options = TLSServerOptions()
        options.cert = try file(words, "cert")
        options.key = try file(words, "key")
        if options.key != nil && options.cert == nil { throw ParseError("key= needs its certificate: give cert=FILE too") }
        if let value = words.option("alpn") { options.alpn = try protocols(value.text, option: words.optionText("alpn")) }
        if let value = words.option("clientcert") {
            options.clientcert = try ValueSyntax.keyword(value, ClientCertificatePolicy.self, option: words.optionText("clientcert"))
        }
        options.ca = try file(words, "ca")
        if let key = ["sni", "verify"].first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= is a client option (connect tls, starttls client)")
        }
        return options
    }

    /// Fails when a TLS option is given to a plain command.
    static func rejectWithoutTLS(_ words: WordArguments, hint: String) throws(ParseError) {
        if let key = allNames.first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= is a TLS option: \(hint)")
        }
    }

    private static func file(_ words: WordArguments, _ key: String) throws(ParseError) -> String? {
        guard let value = words.option(key) else { return nil }
        let path = try words.unquoted(value)
        guard !path.isEmpty else { throw ParseError("\(key)= expects a file name") }
        return path
    }

    private static func protocols(_ text: String, option: String) throws(ParseError) -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !names.isEmpty, names.allSatisfy({ (1...255).contains($0.utf8.count) }) else {
            throw ParseError("\(option): expected protocol names separated by commas (h2,http/1.1)")
        }
        return names
    }
}

extension TLSOptionSyntax {
    /// Consumes a leading `tls` keyword (`connect tls …`, `listen tls …`).
    static func takeTLS(_ words: inout WordArguments) -> Bool {
        guard let word = words.peek(), !word.isQuoted, word.keyword == "tls" else { return false }
        _ = words.next()
        return true
    }
}
