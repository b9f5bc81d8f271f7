// EndpointSyntax — HOST:PORT, [IPv6]:PORT, *:PORT, Unix socket paths, host names and scan port lists.

import SocketKit

/// Where to bind or connect.
public enum EndpointSpec: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A host name or address literal (IPv6 without brackets) and a port; names resolve with getaddrinfo.
    case hostPort(host: String, port: UInt16)
    /// `*:PORT`: every interface, IPv4 and IPv6.
    case allInterfaces(port: UInt16)
    /// A Unix socket path.
    case path(String)

    /// True for a Unix socket path.
    public var isPath: Bool {
        if case .path = self { return true }
        return false
    }

    /// `127.0.0.1:5000`, `[::1]:80`, `*:5000` or the path.
    public var description: String {
        switch self {
        case .hostPort(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .allInterfaces(let port): "*:\(port)"
        case .path(let path): path
        }
    }
}

/// What an endpoint is for, which decides what it may be.
enum EndpointRole {
    /// `listen`: `*:PORT` and port 0 (pick a free port) allowed.
    case listen
    /// `connect`, `to=`, `http`: a real destination, port 1–65535.
    case destination
    /// `from=`: a local address to bind; port 0 or omitted lets the kernel pick.
    case bind
}

/// Parses the address forms of PRODUCT.md §2. Messages are bare details; the command parser adds context.
enum EndpointSyntax {
    /// The host of `listen 5000`, `listen :5000` and `connect 5000`.
    static let defaultHost = "127.0.0.1"

    /// The endpoint word(s) of `listen`/`connect`: a path, `[HOST:]PORT`, or netcat's `HOST PORT`.
    static func endpointWords(
        _ words: inout WordArguments, kind: Transport?, role: EndpointRole, expected: String
    ) throws(ParseError) -> EndpointSpec {
        guard let word = words.next() else { throw ParseError("expected \(expected)") }
        let text = try words.unquoted(word)
        if kind == .unix || text.contains("/") {
            if let kind, kind != .unix {
                throw ParseError("\(kind.rawValue) takes HOST:PORT, not a path (\(MessageText.quoted(text)))")
            }
            return try path(text)
        }
        let parts = text.contains(":") || isDigits(text) ? try split(text) : nil
        if let parts, let port = parts.port {
            return try endpoint(parts.host, port: try self.port(port), role: role)
        }
        guard let portWord = words.peek(), isDigits(portWord.text) else {
            throw ParseError("expected \(expected), got \(MessageText.quoted(word.text))")
        }
        _ = words.next()
        let host = if let parts { parts.host } else { try split(text).host }
        return try endpoint(host, port: try port(Substring(portWord.text)), role: role)
    }

    /// `HOST:PORT` of an option such as `to=` or `from=`, for `role`; `defaultPort` when omitted
    /// (nil: the port is required).
    static func optionEndpoint(_ text: String, defaultPort: UInt16?, role: EndpointRole) throws(ParseError) -> EndpointSpec {
        let (host, portText) = try split(text)
        guard let number = try portText.map(port) ?? defaultPort else { throw ParseError("expected HOST:PORT") }
        return try endpoint(host, port: number, role: role)
    }
    /// The host part of `HOST:PORT`-like text.
    enum HostPart: Equatable {
        /// `:5000` or `5000`: the default host.
        case omitted
        /// `*:5000`: every interface.
        case wildcard
        /// A name or address, IPv6 without its brackets.
        case name(String)
    }

    /// Splits `HOST:PORT`, `[V6]:PORT`, `:PORT`, `PORT`, `*:PORT` or a bare `HOST` (port nil), checking the host.
    static func split(_ text: String) throws(ParseError) -> (host: HostPart, port: Substring?) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ParseError("missing ] in \(MessageText.quoted(text))")
            }
            let inner = String(text[text.index(after: text.startIndex)..<close])
            try checkIPv6(inner)
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (.name(inner), nil) }
            guard after.hasPrefix(":") else {
                throw ParseError("expected :PORT after ] in \(MessageText.quoted(text))")
            }
            return (.name(inner), after.dropFirst())
        }
        if isDigits(text) { return (.omitted, Substring(text)) }
        let colons = text.utf8.count(where: { $0 == UInt8(ascii: ":") })
        guard colons <= 1 else {
            throw ParseError("IPv6 addresses need brackets, e.g. [::1]:80, got \(MessageText.quoted(text))")
        }
        let hostText = colons == 1 ? String(text.prefix { $0 != ":" }) : text
        let port = colons == 1 ? text.drop { $0 != ":" }.dropFirst() : nil
        switch hostText {
        case "" where colons == 1: return (.omitted, port)
        case "*": return (.wildcard, port)
        default:
            try checkHost(hostText)
            return (.name(hostText), port)
        }
    }

    /// The endpoint for `host` and `port` in `role`: the default host filled in, the role's rules applied.
    static func endpoint(_ host: HostPart, port: UInt16, role: EndpointRole) throws(ParseError) -> EndpointSpec {
        if port == 0, role == .destination {
            throw ParseError("port 0 is no destination (0 asks the kernel for a free port when listening)")
        }
        switch host {
        case .omitted:
            return .hostPort(host: defaultHost, port: port)
        case .wildcard:
            guard role == .listen else { throw ParseError("*:PORT (every interface) is only for listen") }
            return .allInterfaces(port: port)
        case .name(let name):
            return .hostPort(host: name, port: port)
        }
    }

    /// A decimal port 0–65535.
    static func port(_ text: Substring) throws(ParseError) -> UInt16 {
        guard !text.isEmpty else { throw ParseError("expected a port number after \":\"") }
        guard isDigits(text) else { throw ParseError("expected a port number, got \(MessageText.quoted(text))") }
        guard text.count <= 5, let value = UInt16(text) else {
            throw ParseError("port \(MessageText.visible(text)) out of range 0–65535")
        }
        return value
    }

    /// A Unix socket path, checked against what `sockaddr_un` can hold.
    static func path(_ text: String) throws(ParseError) -> EndpointSpec {
        guard !text.isEmpty else { throw ParseError("empty Unix socket path") }
        guard !text.utf8.contains(0) else { throw ParseError("a Unix socket path cannot contain a NUL byte") }
        let length = text.utf8.count
        guard length <= maximumPathBytes else {
            throw ParseError("Unix socket path is \(length) bytes; the kernel allows \(maximumPathBytes)")
        }
        return .path(text)
    }

    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maximumPathBytes = 107

    /// A host for `resolve` and `scan`: a name, an IPv4 address, or an IPv6 address with or without brackets.
    static func host(_ text: String) throws(ParseError) -> String {
        if text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 {
            let inner = String(text.dropFirst().dropLast())
            try checkIPv6(inner)
            return inner
        }
        if text.contains(":") {
            try checkIPv6(text)
        } else {
            try checkHost(text)
        }
        return text
    }

    /// A name (letters, digits, `-`, `.`, `_`) or, if only digits and dots, a dotted-quad IPv4 address.
    static func checkHost(_ host: String) throws(ParseError) {
        let bytes = host.utf8
        if !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") }) {
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts.allSatisfy({ $0.count <= 3 && (UInt8($0) != nil) }) else {
                throw ParseError("invalid IPv4 address \(MessageText.quoted(host))")
            }
            return
        }
        let isNameByte = { (byte: UInt8) in
            isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        }
        guard !bytes.isEmpty, bytes.count <= 253, bytes.allSatisfy(isNameByte) else {
            throw ParseError("invalid host name \(MessageText.quoted(host))")
        }
    }

    /// Hex digits, colons and dots (an embedded IPv4), then an optional `%zone`; inet_pton checks the rest.
    static func checkIPv6(_ address: String) throws(ParseError) {
        let parts = address.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        let isAddressByte = { (byte: UInt8) in
            PayloadParser.hexValue(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
        }
        let isZoneByte = { (byte: UInt8) in
            isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        let addressPart = parts[0].utf8
        let zoneOK = parts.count == 1 || (!parts[1].isEmpty && parts[1].utf8.allSatisfy(isZoneByte))
        guard addressPart.count >= 2, addressPart.count <= 45, addressPart.contains(UInt8(ascii: ":")),
              addressPart.allSatisfy(isAddressByte), zoneOK else {
            throw ParseError("invalid IPv6 address \(MessageText.quoted(address))")
        }
    }

    /// `20-25,80,443`: ports and ranges within 1–65535, merged.
    static func portList(_ text: String) throws(ParseError) -> PortList {
        var ranges: [ClosedRange<UInt16>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw ParseError("empty item in port list \(MessageText.quoted(text))") }
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            let low = try scanPort(bounds[0], in: item)
            let high = bounds.count == 2 ? try scanPort(bounds[1], in: item) : low
            guard low <= high else { throw ParseError("backwards range \(MessageText.visible(item)) in port list") }
            ranges.append(low...high)
        }
        return PortList(ranges)
    }

    /// One port of a scan list: 1–65535 (port 0 cannot be connected to).
    private static func scanPort(_ text: Substring, in item: Substring) throws(ParseError) -> UInt16 {
        guard isDigits(text) else {
            throw ParseError("expected a port or a range such as 20-25, got \(MessageText.quoted(item))")
        }
        guard text.count <= 5, let port = UInt16(text), port > 0 else {
            throw ParseError("port \(MessageText.visible(text)) out of range 1–65535")
        }
        return port
    }

    /// True for a non-empty run of ASCII digits.
    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
