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
    }

    public let name: String
    public let level: Int32
    public let option: Int32
    public let kind: Kind
    /// `SOL_SOCKET`, `IPPROTO_TCP`…, for the trace and `info`.
    public let levelName: String
    /// `SO_RCVBUF`, `TCP_NODELAY`…
    public let optionName: String
    /// Which transports the option applies to (for listing); nil = all.
    public let transports: Set<Transport>?
    /// Which address family it needs (`ttl` is IPv4, `v6only` IPv6); nil = any.
    public let family: Int32?
    /// What it means, for `help sockopt` and `info`.
    public let summary: String

    /// Every option sockpit knows, in the order `sockopt` lists them.
    public static let all: [SocketOption] = {
        let sol = SOL_SOCKET, tcp = Int32(IPPROTO_TCP), ip = Int32(IPPROTO_IP), ip6 = Int32(IPPROTO_IPV6)
        let tcpOnly: Set<Transport> = [.tcp], ipOnly: Set<Transport> = [.tcp, .udp]
        return [
            .init("reuseaddr", sol, SO_REUSEADDR, .flag, "SOL_SOCKET", "SO_REUSEADDR", ipOnly, nil, "rebind a port still in TIME_WAIT"),
            .init("reuseport", sol, SO_REUSEPORT, .flag, "SOL_SOCKET", "SO_REUSEPORT", ipOnly, nil, "let several sockets bind the same port"),
            .init("rcvbuf", sol, SO_RCVBUF, .integer, "SOL_SOCKET", "SO_RCVBUF", nil, nil, "receive buffer size in bytes (the kernel doubles what you set)"),
            .init("sndbuf", sol, SO_SNDBUF, .integer, "SOL_SOCKET", "SO_SNDBUF", nil, nil, "send buffer size in bytes (the kernel doubles what you set)"),
            .init("keepalive", sol, SO_KEEPALIVE, .flag, "SOL_SOCKET", "SO_KEEPALIVE", tcpOnly, nil, "send keepalive probes on an idle connection"),
            .init("linger", sol, SO_LINGER, .linger, "SOL_SOCKET", "SO_LINGER", nil, nil, "on close, wait SECONDS for unsent data (on,0 = reset)"),
            .init("broadcast", sol, SO_BROADCAST, .flag, "SOL_SOCKET", "SO_BROADCAST", [.udp], nil, "allow sending to broadcast addresses"),
            .init("rcvlowat", sol, SO_RCVLOWAT, .integer, "SOL_SOCKET", "SO_RCVLOWAT", nil, nil, "bytes needed before the socket reads as readable"),
            .init("rcvtimeo", sol, SO_RCVTIMEO, .duration, "SOL_SOCKET", "SO_RCVTIMEO", nil, nil, "blocking receive timeout (seconds)"),
            .init("sndtimeo", sol, SO_SNDTIMEO, .duration, "SOL_SOCKET", "SO_SNDTIMEO", nil, nil, "blocking send timeout (seconds)"),
            .init("priority", sol, SO_PRIORITY, .integer, "SOL_SOCKET", "SO_PRIORITY", nil, nil, "queueing priority 0–6"),
            .init("nodelay", tcp, TCP_NODELAY, .flag, "IPPROTO_TCP", "TCP_NODELAY", tcpOnly, nil, "send small segments at once (disable Nagle)"),
            .init("cork", tcp, TCP_CORK, .flag, "IPPROTO_TCP", "TCP_CORK", tcpOnly, nil, "hold partial segments until uncorked"),
            .init("quickack", tcp, TCP_QUICKACK, .flag, "IPPROTO_TCP", "TCP_QUICKACK", tcpOnly, nil, "acknowledge at once instead of delaying"),
            .init("maxseg", tcp, TCP_MAXSEG, .integer, "IPPROTO_TCP", "TCP_MAXSEG", tcpOnly, nil, "maximum segment size in bytes"),
            .init("keepidle", tcp, TCP_KEEPIDLE, .integer, "IPPROTO_TCP", "TCP_KEEPIDLE", tcpOnly, nil, "idle seconds before the first keepalive probe"),
            .init("keepintvl", tcp, TCP_KEEPINTVL, .integer, "IPPROTO_TCP", "TCP_KEEPINTVL", tcpOnly, nil, "seconds between keepalive probes"),
            .init("keepcnt", tcp, TCP_KEEPCNT, .integer, "IPPROTO_TCP", "TCP_KEEPCNT", tcpOnly, nil, "probes before the connection is dropped"),
            .init("ttl", ip, IP_TTL, .integer, "IPPROTO_IP", "IP_TTL", ipOnly, AF_INET, "IPv4 time to live (hops)"),
            .init("tos", ip, IP_TOS, .integer, "IPPROTO_IP", "IP_TOS", ipOnly, AF_INET, "IPv4 type of service / DSCP byte"),
            .init("hoplimit", ip6, IPV6_UNICAST_HOPS, .integer, "IPPROTO_IPV6", "IPV6_UNICAST_HOPS", ipOnly, AF_INET6, "IPv6 hop limit"),
            .init("v6only", ip6, IPV6_V6ONLY, .flag, "IPPROTO_IPV6", "IPV6_V6ONLY", ipOnly, AF_INET6, "IPv6 socket refuses IPv4-mapped peers"),
            .init("nonblock", 0, 0, .fileFlag, "fcntl", "O_NONBLOCK", nil, nil, "non-blocking mode (sockpit needs it on: shown, never turned off)"),
            .init("type", sol, SO_TYPE, .readOnly, "SOL_SOCKET", "SO_TYPE", nil, nil, "socket type (read only)"),
            .init("error", sol, SO_ERROR, .readOnly, "SOL_SOCKET", "SO_ERROR", nil, nil, "pending error, cleared on read (read only)"),
            .init("acceptconn", sol, SO_ACCEPTCONN, .readOnly, "SOL_SOCKET", "SO_ACCEPTCONN", nil, nil, "socket is listening (read only)"),
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
         _ transports: Set<Transport>?, _ family: Int32?, _ summary: String) {
        self.name = name
        self.level = level
        self.option = option
        self.kind = kind
        self.levelName = levelName
        self.optionName = optionName
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

    public var description: String {
        switch self {
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
        case (.integer, .integer(let number)):
            var raw = number
            try call("setsockopt", args) { Glibc.setsockopt(fd, option.level, option.option, &raw, socklen_t(MemoryLayout<Int32>.size)) }
        default:
            throw SystemError(call: "setsockopt", context: option.name, code: EINVAL)
        }
    }
}
