// Tests of CommandCatalog: every command present and consistent with the parser, aliases, completion, socket options.

import SocketKit
import Testing
@testable import ExplorerCore

@Suite("Command catalog")
struct CommandCatalogTests {
    @Test("one entry per command of PRODUCT.md §2, in help order")
    func everyCommand() {
        #expect(CommandCatalog.commands.map(\.word) == [
            "listen", "connect", "accept", "pair", "send", "sendl", "recv", "pause", "resume", "shutdown", "close",
            "reset", "reply", "banner", "sockopt", "info", "resolve", "scan", "http", "starttls", "relay", "intercept", "forward", "drop",
            "trace", "view", "filter",
            "find", "clear", "follow", "save", "record", "replay", "copy", "expect", "wait", "select", "sleep", "echo", "source",
            "set", "errno", "socket", "bind", "nonblock", "read", "write", "explain", "learn", "help", "quit",
        ])
        for info in CommandCatalog.commands {
            #expect(info.usage.hasPrefix(info.word), "\(info.word)")
            #expect(!info.summary.isEmpty, "\(info.word)")
            #expect(!info.examples.isEmpty, "\(info.word)")
        }
    }

    @Test("every documented option is accepted by the parser")
    func optionsAccepted() {
        let sample = ["backlog": "4", "reply": "echo", "accept": "manual", "mode": "broker", "timeout": "1", "from": "127.0.0.1:0",
                      "to": "127.0.0.1:9", "socket": "#1", "speed": "max", "wait": "on", "lang": "zh",
                      "sni": "localhost", "alpn": "h2,http/1.1", "verify": "off", "ca": "ca.pem",
                      "cert": "c.pem", "key": "k.pem cert=c.pem", "clientcert": "ask", "intercept": "up", "idle": "5"]
        let lines: [CommandName: String] = [
            .listen: "listen 5000", .connect: "connect 127.0.0.1:9", .send: "send", .sendl: "sendl",
            .scan: "scan 127.0.0.1 80", .expect: "expect", .wait: "wait data", .http: "http 127.0.0.1:80",
            .replay: "replay x.jsonl", "write": "write", "learn": "learn server", "starttls": "starttls",
            "relay": "relay 0 127.0.0.1:9",
        ]
        // TLS options belong to the TLS forms of these commands.
        let tlsLines: [CommandName: String] = [
            .listen: "listen tls 5000", .connect: "connect tls 127.0.0.1:9", .http: "http https://127.0.0.1/",
            "relay": "relay tls 0 tls 127.0.0.1:9",
        ]
        for info in CommandCatalog.commands {
            for option in info.options {
                let isTLS = TLSOptionSyntax.allNames.contains(option.name)
                // idle= is for udp relays only.
                let plain = info.name == "relay" && option.name == "idle" ? "relay udp 0 127.0.0.1:9" : lines[info.name]
                guard let line = isTLS ? tlsLines[info.name] ?? plain : plain, let value = sample[option.name] else {
                    Issue.record("no sample for \(info.word) \(option.name)=")
                    continue
                }
                let typed = [.send, .sendl, "write"].contains(info.name) ? "\(line) \(option.name)=\(value) x"
                    : info.name == .expect ? "\(line) x \(option.name)=\(value)"
                    : info.name == .replay && option.name != "socket" ? "\(line) socket=#1 \(option.name)=\(value)"
                    : "\(line) \(option.name)=\(value)"
                #expect(failure(typed) == nil, "\(typed)")
            }
        }
    }

    @Test("help text for one command and the index")
    func help() {
        #expect(CommandCatalog.info(.connect).helpLines == [
            "usage: connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]",
            "  open a connection (non-blocking; shown as connecting… until it succeeds or fails)",
            "  timeout=SEC: connect gives up (default 10 s)",
            "  from=HOST:PORT: bind this local address first (port 0: any)",
            "  sni=NAME: server name to send (default HOST when it is a name)",
            "  alpn=PROTO,…: ALPN protocols, most preferred first (h2,http/1.1)",
            "  verify=on|off: check the certificate against the system trust store and the name (default on)",
            "  ca=FILE: PEM certificates to trust (client) or client certificates must chain to (server)",
            "  cert=FILE: our certificate (PEM, chain after it)",
            "  key=FILE: its private key (PEM; default: in the cert file)",
            "  mirrors: socket_create, socket_connect",
            "  e.g. connect 127.0.0.1:5000",
            "  e.g. connect example.org 80",
            "  e.g. connect [::1]:80 timeout=2",
            "  e.g. connect unix /tmp/s.sock",
            "  e.g. connect #1 127.0.0.1:5000",
            "  e.g. connect tls example.org:443 alpn=h2,http/1.1",
        ])
        #expect(CommandCatalog.info(.quit).helpLines == ["usage: quit", "  leave sockpit", "  also: exit, q, quit!", "  e.g. quit"])
        let overview = HelpText.overview()
        #expect(overview.count == 1 + 2 * 51 + 1)
        #expect(overview[1] == "  listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]")
        #expect(overview[2] == "      create, bind and listen; HOST defaults to 127.0.0.1, *:PORT is every interface, port 0 picks one")
    }

    @Test("lookup by word or alias, any case")
    func lookup() {
        #expect(CommandCatalog.lookup("listen")?.name == .listen)
        #expect(CommandCatalog.lookup("LISTEN")?.name == .listen)
        #expect(CommandCatalog.lookup("exit")?.name == .quit)
        #expect(CommandCatalog.lookup("Q")?.name == .quit)
        #expect(CommandCatalog.lookup("?")?.name == .help)
        #expect(CommandCatalog.lookup("lsten") == nil)
        #expect(CommandCatalog.info(.quit).aliases == ["exit", "q", "quit!"])
        let words = CommandCatalog.allWords
        #expect(Set(words).count == words.count, "no word names two commands")
    }

    @Test("completion of command words")
    func completion() {
        #expect(CommandCatalog.completions(forPrefix: "se") == ["select", "send", "sendl", "set"])
        #expect(CommandCatalog.completions(forPrefix: "RE") == ["read", "record", "recv", "relay", "replay", "reply", "reset", "resolve", "resume"])
        #expect(CommandCatalog.completions(forPrefix: "q") == ["q", "quit", "quit!"])
        #expect(CommandCatalog.completions(forPrefix: "zz") == [])
        #expect(CommandCatalog.completions(forPrefix: "").count == 55)
    }

    @Test("keywords and option choices for completion")
    func keywords() {
        let listen = CommandCatalog.info(.listen)
        #expect(listen.keywords == ["tcp", "udp", "unix", "tls"])
        #expect(listen.options.map(\.name) == ["backlog", "reply", "accept", "mode", "cert", "key", "alpn", "clientcert", "ca"])
        #expect(listen.options.map(\.choices) == [[], ["off", "echo", "reverse"], ["auto", "manual"], ["off", "broker", "chat"], [], [], [], ["off", "ask", "require"], []])
        #expect(CommandCatalog.info(.shutdown).keywords == ["rd", "wr", "rdwr"])
        #expect(CommandCatalog.info(.wait).keywords == ["connected", "closed", "data"])
        #expect(CommandCatalog.info(.set).keywords == ["eol", "timestamps", "logcap", "halfclose", "maxconns", "trace", "queuecap", "queuetotal", "keepclosed", "keylog", "split", "showclosed", "peercolors", "mouse"])
        #expect(CommandCatalog.info(.sockopt).keywords.prefix(4) == ["reuseaddr", "reuseport", "rcvbuf", "sndbuf"])
        #expect(CommandCatalog.info(.connect).options.map(\.summary).prefix(2)
            == ["connect gives up (default 10 s)", "bind this local address first (port 0: any)"])
        #expect(CommandCatalog.info(.scan).options.map(\.summary) == ["per port before it counts as filtered (default 1 s)"])
    }

    @Test("every registered command answers help COMMAND with its usage, summary and examples")
    func everyCommandHasHelp() throws {
        let session = try EngineSession()
        for info in CommandCatalog.commands {
            let before = session.lines.count
            #expect(session.status("help \(info.word)") == Status.ok("help for \(info.word) in the log"))
            let printed = Array(session.lines[before...])
            #expect(printed.first == "usage: \(info.usage)", "\(info.word)")
            #expect(printed.count > 2 && printed[1].count > 4, "\(info.word) has no summary: \(printed)")
            #expect(printed.contains { $0.hasPrefix("  e.g. ") }, "\(info.word) shows no example")
            for option in info.options {
                #expect(printed.contains { $0.hasPrefix("  \(option.name)=") }, "help \(info.word) leaves out \(option.name)=")
            }
        }
    }

    @Test("the seed's socket_* calls each command mirrors")
    func seedCalls() {
        #expect(CommandCatalog.info(.listen).seedCalls.first == "socket_create_listen")
        #expect(CommandCatalog.info(.connect).seedCalls == ["socket_create", "socket_connect"])
        #expect(CommandCatalog.info(.accept).seedCalls == ["socket_accept"])
        #expect(CommandCatalog.info(.pair).seedCalls == ["socket_create_pair"])
        #expect(CommandCatalog.info(.send).seedCalls == ["socket_write", "socket_send", "socket_sendto"])
        #expect(CommandCatalog.info(.shutdown).seedCalls == ["socket_shutdown"])
        #expect(CommandCatalog.info(.close).seedCalls == ["socket_close"])
        #expect(CommandCatalog.info(.sockopt).seedCalls == ["socket_get_option", "socket_set_option"])
        #expect(CommandCatalog.info(.info).seedCalls == ["socket_getsockname", "socket_getpeername"])
        #expect(CommandCatalog.info(.resolve).seedCalls == ["gethostbyname"])
        #expect(CommandCatalog.info(.wait).seedCalls == ["socket_select"])
        #expect(CommandCatalog.info(.view).seedCalls == [])
    }

    @Test("socket options: the names PRODUCT.md lists, unique, with constants, each one settable or readable")
    func socketOptions() throws {
        let names = CommandCatalog.socketOptionNames
        for name in ["reuseaddr", "reuseport", "rcvbuf", "sndbuf", "nodelay", "keepalive", "keepidle", "keepintvl",
                     "keepcnt", "linger", "ttl", "tos", "broadcast", "v6only", "quickack", "cork", "maxseg",
                     "rcvlowat", "nonblock", "rcvtimeo", "sndtimeo", "type", "error", "acceptconn", "priority", "mark"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(Set(names).count == names.count)
        let reuse = CommandCatalog.socketOptions.first { $0.name == "reuseaddr" }
        #expect(reuse?.constant == "SOL_SOCKET SO_REUSEADDR")
        #expect(reuse?.readOnly == false)
        #expect(CommandCatalog.socketOptions.filter(\.readOnly).map(\.name)
            == ["type", "domain", "protocol", "error", "acceptconn"])
        // Every name the catalog lists is one `sockopt` can read on a real TCP socket of its family.
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        #expect(session.status("connect 127.0.0.1:\(session.port(of: 1))").ok)
        for option in CommandCatalog.socketOptions where !["v6only", "hoplimit", "tclass", "bindtodevice"].contains(option.name) {
            let read = session.status("sockopt #2 \(option.name)")
            #expect(read.ok && read.message.hasPrefix("#2 \(option.name) = "), "\(option.name): \(read)")
        }
    }
}
