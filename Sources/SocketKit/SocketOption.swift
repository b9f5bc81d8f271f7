// SocketOption.swift — every socket option `sockopt` can list, get or set: its level, its name,
// how its value is typed in and shown, and the traced getsockopt/setsockopt calls.

import Glibc

/// A socket option by its user-facing name (`nodelay`, `rcvbuf`, `linger`).
public struct SocketOption: Hashable, Sendable {
    /// How a value is parsed from what the user typed and shown back.
    public enum Kind: Sendable {
        /// on/off (also 1/0, true/false, yes/no).
        case flag
        /// a number (bytes, seconds, a count).
        case integer
        /// `on,SECONDS` / `off` (`struct linger`).
        case linger
        /// seconds with a fraction (`struct timeval`).
        case duration
        /// read-only: shown, never set.
        case readOnly
        /// O_NONBLOCK via fcntl rather than getsockopt.
        case fileFlag
        /// a name (`cubic`, `eth0`), passed as bytes.
        case text
    }

    public let name: String
    public let level: Int32
    public let option: Int32
    public let kind: Kind
    /// `SOL_SOCKET`, `IPPROTO_TCP`…, for the trace and `info`.
    public let levelName: String
    /// `SO_RCVBUF`, `TCP_NODELAY`…
    public let optionName: String
    /// What a value looks like, for help: `on|off`, `BYTES`, `SEC`.
    public let valueHint: String
    /// Which transports the option applies to (for listing); nil = all.
    public let transports: Set<Transport>?
    /// Which address family it needs (`ttl` is IPv4, `v6only` IPv6); nil = any.
    public let family: Int32?
    /// What it means, for `help sockopt` and `info`.
    public let summary: String

    /// Every option sockpit knows, in the order `sockopt` lists them. The one table: `sockopt`,
    /// `info`, `help sockopt` and Tab completion all read it.
    public static let all: [SocketOption] = {
        let sol = SOL_SOCKET, tcp = Int32(IPPROTO_TCP), ip = Int32(IPPROTO_IP), ip6 = Int32(IPPROTO_IPV6)
        let tcpOnly: Set<Transport> = [.tcp], ipOnly: Set<Transport> = [.tcp, .udp]
        func o(_ name: String, _ level: Int32, _ option: Int32, _ kind: Kind, _ levelName: String, _ optionName: String,
               _ value: String, _ transports: Set<Transport>?, _ family: Int32?, _ summary: String) -> SocketOption {
            SocketOption(name, level, option, kind, levelName, optionName, value, transports, family, summary)
        }
        return [
            o("reuseaddr", sol, SO_REUSEADDR, .flag, "SOL_SOCKET", "SO_REUSEADDR", "on|off", ipOnly, nil, "bind even while old connections linger in TIME_WAIT"),
            o("reuseport", sol, SO_REUSEPORT, .flag, "SOL_SOCKET", "SO_REUSEPORT", "on|off", ipOnly, nil, "let several sockets bind the same port"),
            o("rcvbuf", sol, SO_RCVBUF, .integer, "SOL_SOCKET", "SO_RCVBUF", "BYTES", nil, nil, "receive buffer size (the kernel doubles what you set)"),
            o("sndbuf", sol, SO_SNDBUF, .integer, "SOL_SOCKET", "SO_SNDBUF", "BYTES", nil, nil, "send buffer size (the kernel doubles what you set)"),
            o("keepalive", sol, SO_KEEPALIVE, .flag, "SOL_SOCKET", "SO_KEEPALIVE", "on|off", tcpOnly, nil, "probe an idle connection to detect a dead peer"),
            o("linger", sol, SO_LINGER, .linger, "SOL_SOCKET", "SO_LINGER", "off|SEC|on,SEC", nil, nil, "how long close waits for unsent data; on,0 resets (RST)"),
            o("broadcast", sol, SO_BROADCAST, .flag, "SOL_SOCKET", "SO_BROADCAST", "on|off", [.udp], nil, "allow UDP sends to broadcast addresses"),
            o("oobinline", sol, SO_OOBINLINE, .flag, "SOL_SOCKET", "SO_OOBINLINE", "on|off", tcpOnly, nil, "receive TCP urgent data inline"),
            o("dontroute", sol, SO_DONTROUTE, .flag, "SOL_SOCKET", "SO_DONTROUTE", "on|off", ipOnly, nil, "send only to directly connected hosts"),
            o("rcvlowat", sol, SO_RCVLOWAT, .integer, "SOL_SOCKET", "SO_RCVLOWAT", "BYTES", nil, nil, "bytes needed before the socket counts as readable"),
            o("rcvtimeo", sol, SO_RCVTIMEO, .duration, "SOL_SOCKET", "SO_RCVTIMEO", "SEC", nil, nil, "timeout of a blocking receive"),
            o("sndtimeo", sol, SO_SNDTIMEO, .duration, "SOL_SOCKET", "SO_SNDTIMEO", "SEC", nil, nil, "timeout of a blocking send"),
            o("priority", sol, SO_PRIORITY, .integer, "SOL_SOCKET", "SO_PRIORITY", "0-6", nil, nil, "queueing priority of outgoing packets"),
            o("mark", sol, SO_MARK, .integer, "SOL_SOCKET", "SO_MARK", "N", ipOnly, nil, "firewall mark on outgoing packets (needs CAP_NET_ADMIN)"),
            o("bindtodevice", sol, SO_BINDTODEVICE, .text, "SOL_SOCKET", "SO_BINDTODEVICE", "IFACE", ipOnly, nil, "use only this network interface"),
            o("type", sol, SO_TYPE, .readOnly, "SOL_SOCKET", "SO_TYPE", "", nil, nil, "socket type (1 stream, 2 datagram)"),
            o("domain", sol, SO_DOMAIN, .readOnly, "SOL_SOCKET", "SO_DOMAIN", "", nil, nil, "address family (1 unix, 2 inet, 10 inet6)"),
            o("protocol", sol, SO_PROTOCOL, .readOnly, "SOL_SOCKET", "SO_PROTOCOL", "", nil, nil, "protocol (6 tcp, 17 udp)"),
            o("error", sol, SO_ERROR, .readOnly, "SOL_SOCKET", "SO_ERROR", "", nil, nil, "pending error, cleared by reading it"),
            o("acceptconn", sol, SO_ACCEPTCONN, .readOnly, "SOL_SOCKET", "SO_ACCEPTCONN", "", nil, nil, "whether the socket is listening"),
            o("nodelay", tcp, TCP_NODELAY, .flag, "IPPROTO_TCP", "TCP_NODELAY", "on|off", tcpOnly, nil, "send small segments at once (disable Nagle)"),
            o("cork", tcp, TCP_CORK, .flag, "IPPROTO_TCP", "TCP_CORK", "on|off", tcpOnly, nil, "hold partial segments until uncorked"),
            o("quickack", tcp, TCP_QUICKACK, .flag, "IPPROTO_TCP", "TCP_QUICKACK", "on|off", tcpOnly, nil, "acknowledge at once instead of delaying ACKs"),
            o("keepidle", tcp, TCP_KEEPIDLE, .integer, "IPPROTO_TCP", "TCP_KEEPIDLE", "SEC", tcpOnly, nil, "idle time before the first keepalive probe"),
            o("keepintvl", tcp, TCP_KEEPINTVL, .integer, "IPPROTO_TCP", "TCP_KEEPINTVL", "SEC", tcpOnly, nil, "time between keepalive probes"),
            o("keepcnt", tcp, TCP_KEEPCNT, .integer, "IPPROTO_TCP", "TCP_KEEPCNT", "N", tcpOnly, nil, "unanswered probes before the connection drops"),
            o("maxseg", tcp, TCP_MAXSEG, .integer, "IPPROTO_TCP", "TCP_MAXSEG", "BYTES", tcpOnly, nil, "maximum segment size"),
            o("syncnt", tcp, TCP_SYNCNT, .integer, "IPPROTO_TCP", "TCP_SYNCNT", "N", tcpOnly, nil, "SYN retransmits before connect gives up"),
            o("usertimeout", tcp, TCP_USER_TIMEOUT, .integer, "IPPROTO_TCP", "TCP_USER_TIMEOUT", "MS", tcpOnly, nil, "how long sent data may stay unacknowledged"),
            o("deferaccept", tcp, TCP_DEFER_ACCEPT, .integer, "IPPROTO_TCP", "TCP_DEFER_ACCEPT", "SEC", tcpOnly, nil, "wake accept only when data has arrived"),
            o("notsentlowat", tcp, TCP_NOTSENT_LOWAT, .integer, "IPPROTO_TCP", "TCP_NOTSENT_LOWAT", "BYTES", tcpOnly, nil, "unsent bytes allowed before not writable"),
            o("congestion", tcp, TCP_CONGESTION, .text, "IPPROTO_TCP", "TCP_CONGESTION", "NAME", tcpOnly, nil, "congestion control algorithm (cubic, reno, bbr)"),
            o("ttl", ip, IP_TTL, .integer, "IPPROTO_IP", "IP_TTL", "1-255", ipOnly, AF_INET, "IPv4 time to live of outgoing packets"),
            o("tos", ip, IP_TOS, .integer, "IPPROTO_IP", "IP_TOS", "0-255", ipOnly, AF_INET, "IPv4 type of service / DSCP byte"),
            o("freebind", ip, IP_FREEBIND, .flag, "IPPROTO_IP", "IP_FREEBIND", "on|off", ipOnly, AF_INET, "bind to an address not (yet) on this host"),
            o("v6only", ip6, IPV6_V6ONLY, .flag, "IPPROTO_IPV6", "IPV6_V6ONLY", "on|off", ipOnly, AF_INET6, "an IPv6 socket refuses IPv4-mapped peers"),
            o("hoplimit", ip6, IPV6_UNICAST_HOPS, .integer, "IPPROTO_IPV6", "IPV6_UNICAST_HOPS", "1-255", ipOnly, AF_INET6, "IPv6 hop limit of outgoing packets"),
            o("tclass", ip6, IPV6_TCLASS, .integer, "IPPROTO_IPV6", "IPV6_TCLASS", "0-255", ipOnly, AF_INET6, "IPv6 traffic class byte"),
            o("nonblock", 0, 0, .fileFlag, "fcntl", "O_NONBLOCK", "on|off", nil, nil, "non-blocking mode (sockpit needs it on: shown, never turned off)"),
        ]
    }()

    /// The option named `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> SocketOption? {
        let lower = name.lowercased()
        return all.first { $0.name == lower }
    }

    /// Options that apply to a socket of this transport and family.
    public static func applicable(to transport: Transport, family: Int32) -> [SocketOption] {
        all.filter { option in
            (option.transports?.contains(transport) ?? true) && (option.family == nil || option.family == family || (option.family == AF_INET && family == AF_INET6 && option.name == "tos"))
        }
    }

    init(_ name: String, _ level: Int32, _ option: Int32, _ kind: Kind, _ levelName: String, _ optionName: String,
         _ valueHint: String, _ transports: Set<Transport>?, _ family: Int32?, _ summary: String) {
        self.name = name
        self.level = level
        self.option = option
        self.kind = kind
        self.levelName = levelName
        self.optionName = optionName
        self.valueHint = valueHint
        self.transports = transports
        self.family = family
        self.summary = summary
    }

    public static func == (lhs: SocketOption, rhs: SocketOption) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A parsed option value.
public enum SocketOptionValue: Equatable, Sendable, CustomStringConvertible {
    case flag(Bool)
    case integer(Int32)
    case linger(on: Bool, seconds: Int32)
    case duration(microseconds: Int64)
    case text(String)

    public var description: String {
        switch self {
        case .text(let text): text
        case .flag(let on): on ? "on" : "off"
        case .integer(let value): "\(value)"
        case .linger(let on, let seconds): on ? "on,\(seconds)" : "off"
        case .duration(let us):
            us % 1_000_000 == 0 ? "\(us / 1_000_000)" : "\(Double(us) / 1_000_000)"
        }
    }
}

/// Why a typed option value was refused.
public struct OptionValueError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
}

extension SocketOption {
    /// Parses what the user typed for this option: `on`, `1`, `65536`, `on,5`, `0.5`.
    public func parse(_ text: String) throws(OptionValueError) -> SocketOptionValue {
        let lower = text.lowercased()
        func flag(_ word: String) -> Bool? {
            switch word {
            case "on", "1", "true", "yes": true
            case "off", "0", "false", "no": false
            default: nil
            }
        }
        switch kind {
        case .flag, .fileFlag:
            guard let on = flag(lower) else { throw OptionValueError(description: "\(name): expected on or off, got \"\(text)\"") }
            return .flag(on)
        case .integer:
            let value: Int32?
            if lower.hasPrefix("0x") { value = Int32(lower.dropFirst(2), radix: 16) } else { value = Int32(lower) }
            guard let value, value >= 0 else {
                throw OptionValueError(description: "\(name): expected a non-negative number, got \"\(text)\"")
            }
            return .integer(value)
        case .linger:
            if let on = flag(lower), !on { return .linger(on: false, seconds: 0) }
            let parts = lower.split(separator: ",", omittingEmptySubsequences: false)
            let secondsText = parts.count == 2 && flag(String(parts[0])) == true ? String(parts[1]) : (parts.count == 1 ? String(parts[0]) : "")
            guard let seconds = Int32(secondsText), seconds >= 0 else {
                throw OptionValueError(description: "linger: expected off, SECONDS or on,SECONDS, got \"\(text)\"")
            }
            return .linger(on: true, seconds: seconds)
        case .duration:
            guard let seconds = Double(lower), seconds >= 0, seconds < 1e9 else {
                throw OptionValueError(description: "\(name): expected seconds (e.g. 1.5), got \"\(text)\"")
            }
            return .duration(microseconds: Int64(seconds * 1_000_000))
        case .text:
            guard !text.isEmpty, text.utf8.count < 64, text.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                throw OptionValueError(description: "\(name): expected a name such as \(valueHint), got \"\(text)\"")
            }
            return .text(text)
        case .readOnly:
            throw OptionValueError(description: "\(name) is read only")
        }
    }
}

extension SystemCalls {
    /// Reads an option's current value.
    public func getOption(_ fd: FileDescriptor, _ option: SocketOption) throws(SystemError) -> SocketOptionValue {
        let args = "\(fd), \(option.levelName), \(option.optionName)"
        switch option.kind {
        case .fileFlag:
            let flags = try call("fcntl", "\(fd), F_GETFL") { Glibc.fcntl(fd, F_GETFL) }
            return .flag(flags & O_NONBLOCK != 0)
        case .linger:
            var value = linger()
            var length = socklen_t(MemoryLayout<linger>.size)
            try call("getsockopt", args) { Glibc.getsockopt(fd, option.level, option.option, &value, &length) }
            return .linger(on: value.l_onoff != 0, seconds: value.l_linger)
        case .duration:
            var value = timeval()
            var length = socklen_t(MemoryLayout<timeval>.size)
            try call("getsockopt", args) { Glibc.getsockopt(fd, option.level, option.option, &value, &length) }
            return .duration(microseconds: Int64(value.tv_sec) * 1_000_000 + Int64(value.tv_usec))
        case .text:
            var buffer = [UInt8](repeating: 0, count: 64)
            var length = socklen_t(buffer.count)
            try call("getsockopt", args) { Glibc.getsockopt(fd, option.level, option.option, &buffer, &length) }
            return .text(String(decoding: buffer.prefix(Int(length)).prefix { $0 != 0 }, as: UTF8.self))
        case .flag, .integer, .readOnly:
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            try call("getsockopt", args) { Glibc.getsockopt(fd, option.level, option.option, &value, &length) }
            return option.kind == .flag ? .flag(value != 0) : .integer(value)
        }
    }

    /// Sets an option. The value must be of the option's kind (use `SocketOption.parse`).
    public func setOption(_ fd: FileDescriptor, _ option: SocketOption, _ value: SocketOptionValue) throws(SystemError) {
        let args = "\(fd), \(option.levelName), \(option.optionName), \(value)"
        switch (option.kind, value) {
        case (.fileFlag, .flag(let on)):
            let flags = try call("fcntl", "\(fd), F_GETFL") { Glibc.fcntl(fd, F_GETFL) }
            let updated = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
            try call("fcntl", "\(fd), F_SETFL, \(on ? "O_NONBLOCK" : "0")") { Glibc.fcntl(fd, F_SETFL, updated) }
        case (.linger, .linger(let on, let seconds)):
            var raw = linger(l_onoff: on ? 1 : 0, l_linger: seconds)
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &raw, socklen_t(MemoryLayout<linger>.size)) }
        case (.duration, .duration(let us)):
            var raw = timeval(tv_sec: Int(us / 1_000_000), tv_usec: Int(us % 1_000_000))
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &raw, socklen_t(MemoryLayout<timeval>.size)) }
        case (.flag, .flag(let on)):
            var raw: Int32 = on ? 1 : 0
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &raw, socklen_t(MemoryLayout<Int32>.size)) }
        case (.text, .text(let text)):
            var bytes = Array(text.utf8)
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &bytes, socklen_t(bytes.count)) }
        case (.integer, .integer(let number)):
            var raw = number
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &raw, socklen_t(MemoryLayout<Int32>.size)) }
        default:
            throw SystemError(call: "setsockopt", context: option.name, code: EINVAL)
        }
    }
}
