// EndpointSyntax — HOST:PORT, [IPv6]:PORT, *:PORT, Unix socket paths, host names and scan port lists.

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
            return .hostPort(host: CommandDefaults.host, port: port)
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
