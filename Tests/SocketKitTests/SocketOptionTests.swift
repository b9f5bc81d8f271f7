// SocketOptionTests.swift — every option `sockopt` knows: read on a real socket, set where settable,
// typed values parsed from what users type, bad values refused with text that says what was expected.

import Glibc
import SocketKit
import Testing

@Suite struct SocketOptionTests {
    /// The option table in the order `sockopt` lists it (a change here is a change users see).
    @Test func theCatalogInOrder() {
        #expect(SocketOption.all.map(\.name) == [
            "reuseaddr", "reuseport", "rcvbuf", "sndbuf", "keepalive", "linger", "broadcast", "oobinline", "dontroute",
            "rcvlowat", "rcvtimeo", "sndtimeo", "priority", "mark", "bindtodevice", "type", "domain", "protocol", "error",
            "acceptconn", "nodelay", "cork", "quickack", "keepidle", "keepintvl", "keepcnt", "maxseg", "syncnt",
            "usertimeout", "deferaccept", "notsentlowat", "congestion", "ttl", "tos", "freebind", "v6only", "hoplimit",
            "tclass", "nonblock",
        ])
        #expect(SocketOption.named("NoDelay")?.optionName == "TCP_NODELAY")
        #expect(SocketOption.named("rcvbuf")?.levelName == "SOL_SOCKET")
        #expect(SocketOption.named("nosuch") == nil)
    }

    @Test func whichOptionsApplyToWhichSockets() {
        let udp4 = SocketOption.applicable(to: .udp, family: AF_INET).map(\.name)
        #expect(udp4.contains("broadcast") && udp4.contains("ttl"))
        #expect(!udp4.contains("nodelay") && !udp4.contains("hoplimit") && !udp4.contains("keepalive"))
        let tcp6 = SocketOption.applicable(to: .tcp, family: AF_INET6).map(\.name)
        #expect(tcp6.contains("hoplimit") && tcp6.contains("v6only") && tcp6.contains("tos") && tcp6.contains("nodelay"))
        #expect(!tcp6.contains("ttl") && !tcp6.contains("broadcast"))
        #expect(SocketOption.applicable(to: .unix, family: AF_UNIX).map(\.name) == [
            "rcvbuf", "sndbuf", "linger", "rcvlowat", "rcvtimeo", "sndtimeo", "priority", "type", "domain", "protocol",
            "error", "acceptconn", "nonblock",
        ])
    }

    /// Every option can be read on a fresh socket it applies to; the values are the kernel's defaults.
    @Test func everyOptionReadsItsDefault() throws {
        let system = SystemCalls()
        let tcp = try system.openSocket(family: AF_INET, transport: .tcp)
        let tcp6 = try system.openSocket(family: AF_INET6, transport: .tcp)
        let udp = try system.openSocket(family: AF_INET, transport: .udp)
        defer { for fd in [tcp, tcp6, udp] { system.close(fd) } }
        let expected: [String: SocketOptionValue] = [
            "reuseaddr": .flag(false), "reuseport": .flag(false), "keepalive": .flag(false),
            "linger": .linger(on: false, seconds: 0), "broadcast": .flag(false), "rcvlowat": .integer(1),
            "rcvtimeo": .duration(microseconds: 0), "sndtimeo": .duration(microseconds: 0), "priority": .integer(0),
            "nodelay": .flag(false), "cork": .flag(false), "quickack": .flag(true), "v6only": .flag(false), "ttl": .integer(64), "tos": .integer(0), "hoplimit": .integer(64),
            "nonblock": .flag(true), "type": .integer(Int32(SOCK_STREAM.rawValue)), "error": .integer(0), "acceptconn": .integer(0),
            "oobinline": .flag(false), "dontroute": .flag(false), "mark": .integer(0), "bindtodevice": .text(""),
            "domain": .integer(AF_INET), "protocol": .integer(Int32(IPPROTO_TCP)), "usertimeout": .integer(0),
            "deferaccept": .integer(0), "freebind": .flag(false), "tclass": .integer(0),
        ]
        for option in SocketOption.all {
            let fd = option.family == AF_INET6 ? tcp6 : option.name == "broadcast" ? udp : tcp
            let value = try system.getOption(fd, option)
            if let wanted = expected[option.name] {
                #expect(value == wanted, "\(option.name)")
            } else if case .text(let name) = value {
                #expect(!name.isEmpty, "\(option.name) names something (the congestion algorithm)")
            } else {
                // Sizes and TCP timers come from sysctls: only their kind is fixed.
                guard case .integer(let number) = value else {
                    Issue.record("\(option.name) read as \(value)")
                    continue
                }
                // notsentlowat's default is "no limit", which kernels report differently (0, -1).
                if option.name != "notsentlowat" { #expect(number > 0, "\(option.name) = \(number)") }
            }
        }
        #expect(try system.getOption(udp, #require(SocketOption.named("type"))) == .integer(Int32(SOCK_DGRAM.rawValue)))
    }

    @Test func aListenerReportsAcceptconn() throws {
        let system = SystemCalls()
        let listener = try openListener(system)
        defer { system.close(listener) }
        #expect(try system.getOption(listener, #require(SocketOption.named("acceptconn"))) == .integer(1))
    }

    /// Each settable option, set to a non-default value and read back.
    @Test(arguments: [
        ("reuseaddr", "on", SocketOptionValue.flag(true)), ("reuseport", "yes", .flag(true)),
        ("keepalive", "1", .flag(true)), ("linger", "on,5", .linger(on: true, seconds: 5)),
        ("rcvlowat", "10", .integer(10)), ("rcvtimeo", "1.5", .duration(microseconds: 1_500_000)),
        ("sndtimeo", "2", .duration(microseconds: 2_000_000)), ("priority", "3", .integer(3)),
        ("nodelay", "true", .flag(true)), ("cork", "on", .flag(true)), ("maxseg", "1000", .integer(1000)),
        ("keepidle", "60", .integer(60)), ("keepintvl", "10", .integer(10)), ("keepcnt", "3", .integer(3)),
        ("ttl", "32", .integer(32)), ("tos", "0x10", .integer(16)), ("nonblock", "off", .flag(false)),
    ] as [(String, String, SocketOptionValue)])
    func settableOptionsReadBackWhatWasSet(name: String, typed: String, readBack: SocketOptionValue) throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        let option = try #require(SocketOption.named(name))
        try system.setOption(fd, option, option.parse(typed))
        #expect(try system.getOption(fd, option) == readBack)
    }

    @Test func optionsOfOtherSocketKindsReadBackToo() throws {
        let system = SystemCalls()
        let udp = try system.openSocket(family: AF_INET, transport: .udp)
        let tcp6 = try system.openSocket(family: AF_INET6, transport: .tcp)
        defer { system.close(udp); system.close(tcp6) }
        let broadcast = try #require(SocketOption.named("broadcast"))
        try system.setOption(udp, broadcast, .flag(true))
        #expect(try system.getOption(udp, broadcast) == .flag(true))
        for (name, value) in [("hoplimit", SocketOptionValue.integer(10)), ("v6only", .flag(true))] {
            let option = try #require(SocketOption.named(name))
            try system.setOption(tcp6, option, value)
            #expect(try system.getOption(tcp6, option) == value, "\(name)")
        }
    }

    @Test func bufferSizesAreDoubledByTheKernel() throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        for name in ["rcvbuf", "sndbuf"] {
            let option = try #require(SocketOption.named(name))
            try system.setOption(fd, option, option.parse("65536"))
            #expect(try system.getOption(fd, option) == .integer(131_072), "\(name)")
        }
    }

    @Test func lingerOffAndQuickackRoundTrip() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        let linger = try #require(SocketOption.named("linger"))
        try system.setOption(link.client, linger, linger.parse("on,0"))
        try system.setOption(link.client, linger, linger.parse("off"))
        #expect(try system.getOption(link.client, linger) == .linger(on: false, seconds: 0))
        let quickack = try #require(SocketOption.named("quickack"))
        try system.setOption(link.client, quickack, .flag(true))
        #expect(try system.getOption(link.client, quickack) == .flag(true))
    }

    @Test func settingAValueOfTheWrongKindIsEINVALNamingTheOption() throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        let nodelay = try #require(SocketOption.named("nodelay"))
        let error = #expect(throws: SystemError.self) { try system.setOption(fd, nodelay, .integer(1)) }
        #expect(error?.description == "setsockopt nodelay: EINVAL (Invalid argument)")
        let type = try #require(SocketOption.named("type"))
        #expect(throws: SystemError(call: "setsockopt", context: "type", code: EINVAL)) { try system.setOption(fd, type, .integer(1)) }
    }

    @Test func anOptionOfTheWrongFamilyFailsAsAValue() throws {
        let system = SystemCalls()
        let unix = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(unix) }
        let nodelay = try #require(SocketOption.named("nodelay"))
        let error = #expect(throws: SystemError.self) { try system.getOption(unix, nodelay) }
        #expect(error?.call == "getsockopt")
        #expect(error?.code == EOPNOTSUPP)
    }

    @Test func getAndSetAreTraced() throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        try system.setOption(fd, #require(SocketOption.named("nodelay")), .flag(true))
        _ = try system.getOption(fd, #require(SocketOption.named("rcvtimeo")))
        try system.setOption(fd, #require(SocketOption.named("nonblock")), .flag(false))
        #expect(log.lines == [
            "setsockopt(\(fd), IPPROTO_TCP, TCP_NODELAY, on) = 0",
            "getsockopt(\(fd), SOL_SOCKET, SO_RCVTIMEO) = 0",
            "fcntl(\(fd), F_GETFL) = \(O_RDWR | O_NONBLOCK)",
            "fcntl(\(fd), F_SETFL, 0) = 0",
        ])
    }
}

@Suite struct SocketOptionParseTests {
    @Test(arguments: [
        ("nodelay", "on", SocketOptionValue.flag(true)), ("nodelay", "OFF", .flag(false)), ("nodelay", "Yes", .flag(true)),
        ("nodelay", "0", .flag(false)), ("nonblock", "false", .flag(false)), ("rcvbuf", "65536", .integer(65536)),
        ("tos", "0x10", .integer(16)), ("tos", "0XfF", .integer(255)), ("linger", "off", .linger(on: false, seconds: 0)),
        ("linger", "0", .linger(on: false, seconds: 0)), ("linger", "on,0", .linger(on: true, seconds: 0)),
        ("linger", "5", .linger(on: true, seconds: 5)), ("linger", "ON,30", .linger(on: true, seconds: 30)),
        ("rcvtimeo", "0.5", .duration(microseconds: 500_000)), ("sndtimeo", "3", .duration(microseconds: 3_000_000)),
    ] as [(String, String, SocketOptionValue)])
    func acceptsWhatUsersType(name: String, text: String, value: SocketOptionValue) throws {
        #expect(try #require(SocketOption.named(name)).parse(text) == value)
    }

    @Test(arguments: [
        ("nodelay", "maybe", #"nodelay: expected on or off, got "maybe""#),
        ("nonblock", "", #"nonblock: expected on or off, got """#),
        ("rcvbuf", "-1", #"rcvbuf: expected a non-negative number, got "-1""#),
        ("rcvbuf", "lots", #"rcvbuf: expected a non-negative number, got "lots""#),
        ("rcvbuf", "99999999999", #"rcvbuf: expected a non-negative number, got "99999999999""#),
        ("tos", "0xZZ", #"tos: expected a non-negative number, got "0xZZ""#),
        ("linger", "on", #"linger: expected off, SECONDS or on,SECONDS, got "on""#),
        ("linger", "on,x", #"linger: expected off, SECONDS or on,SECONDS, got "on,x""#),
        ("linger", "off,5", #"linger: expected off, SECONDS or on,SECONDS, got "off,5""#),
        ("linger", "-2", #"linger: expected off, SECONDS or on,SECONDS, got "-2""#),
        ("rcvtimeo", "-1", #"rcvtimeo: expected seconds (e.g. 1.5), got "-1""#),
        ("rcvtimeo", "soon", #"rcvtimeo: expected seconds (e.g. 1.5), got "soon""#),
        ("sndtimeo", "nan", #"sndtimeo: expected seconds (e.g. 1.5), got "nan""#),
        ("sndtimeo", "inf", #"sndtimeo: expected seconds (e.g. 1.5), got "inf""#),
        ("type", "1", "type is read only"),
        ("error", "0", "error is read only"),
        ("acceptconn", "on", "acceptconn is read only"),
    ])
    func refusesBadValuesWithClearText(name: String, text: String, message: String) throws {
        let option = try #require(SocketOption.named(name))
        let error = #expect(throws: OptionValueError.self) { try option.parse(text) }
        #expect(error?.description == message)
    }

    @Test func valuesPrintTheWayTheyAreTyped() {
        #expect(SocketOptionValue.flag(true).description == "on")
        #expect(SocketOptionValue.flag(false).description == "off")
        #expect(SocketOptionValue.integer(131_072).description == "131072")
        #expect(SocketOptionValue.linger(on: true, seconds: 5).description == "on,5")
        #expect(SocketOptionValue.linger(on: false, seconds: 9).description == "off")
        #expect(SocketOptionValue.duration(microseconds: 2_000_000).description == "2")
        #expect(SocketOptionValue.duration(microseconds: 1_500_000).description == "1.5")
    }
}
