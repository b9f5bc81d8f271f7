// CommandCatalog — what every command is called, how it is written and what it mirrors: for help, Tab completion and errors.

import SocketKit

/// One command as `help` and Tab completion see it.
public struct CommandInfo: Equatable, Sendable {
    public let name: CommandName
    /// Other words that run the same command (`exit`, `q` for `quit`).
    public let aliases: [String]
    /// The usage line, as shown in `help` and after every error: `listen [tcp|udp|unix] …`.
    public let usage: String
    /// One line saying what it does.
    public let summary: String
    /// The seed's `socket_*` (or libc) calls it mirrors; empty for display and scripting commands.
    public let seedCalls: [String]
    /// Bare words it accepts, for completion (`tcp`, `rd`, `off`, …).
    public let keywords: [String]
    /// Its `key=value` options.
    public let options: [OptionInfo]
    /// Lines that parse, shown by `help COMMAND`.
    public let examples: [String]

    /// The word typed to run it.
    public var word: String { name.rawValue }

    /// What `help COMMAND` shows: usage, summary, options, aliases, the seed calls, examples.
    public var helpLines: [String] {
        var lines = ["usage: " + usage, "  " + summary]
        lines += options.map { "  \($0.name)=\($0.value): \($0.summary)" }
        if !aliases.isEmpty { lines.append("  also: " + aliases.joined(separator: ", ")) }
        if !seedCalls.isEmpty { lines.append("  mirrors: " + seedCalls.joined(separator: ", ")) }
        lines += examples.map { "  e.g. " + $0 }
        return lines
    }
}

/// A `key=value` option of a command.
public struct OptionInfo: Equatable, Sendable {
    /// The key, without `=`.
    public let name: String
    /// Placeholder for the value in help (`N`, `SEC`, `HOST:PORT`).
    public let value: String
    /// The values to complete, when there is a fixed set.
    public let choices: [String]
    /// What it does, including its default.
    public let summary: String
}

/// A socket option `sockopt` knows by name, with the constant it maps to.
public struct SocketOptionInfo: Equatable, Sendable {
    /// The name typed after `sockopt`.
    public let name: String
    /// The level and constant, e.g. `SOL_SOCKET SO_REUSEADDR`; `fcntl O_NONBLOCK` for `nonblock`.
    public let constant: String
    /// What a value looks like (`on|off`, `BYTES`, `SEC`).
    public let value: String
    /// One line saying what it does.
    public let summary: String
    /// True when it can only be read.
    public let readOnly: Bool
}

/// Every command of PRODUCT.md §2, and the socket options and settings they name.
public enum CommandCatalog {
    /// Every command, in `help` order.
    public static let commands: [CommandInfo] = CommandName.allCases.map(makeInfo)

    /// The catalog entry of `name`.
    public static func info(_ name: CommandName) -> CommandInfo {
        byName[name] ?? makeInfo(name)
    }

    /// Built once: the parser looks a command up on every line.
    private static let byName = Dictionary(uniqueKeysWithValues: commands.map { ($0.name, $0) })

    /// The command typed as `word` (any case, aliases included), or nil.
    public static func lookup(_ word: String) -> CommandInfo? {
        wordsToCommands[word.lowercased()].map(info)
    }

    /// Command words and aliases that start with `prefix` (any case), sorted, for Tab completion.
    public static func completions(forPrefix prefix: String) -> [String] {
        let prefix = prefix.lowercased()
        return allWords.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every command word and alias.
    public static let allWords: [String] = commands.flatMap { [$0.word] + $0.aliases }

    private static let wordsToCommands: [String: CommandName] = {
        var map: [String: CommandName] = [:]
        for command in commands {
            for word in [command.word] + command.aliases { map[word] = command.name }
        }
        return map
    }()

    /// Setting names for `set`, for completion.
    public static var settingNames: [String] { Settings.names }

    /// Socket option names for `sockopt`, for completion.
    public static var socketOptionNames: [String] { socketOptions.map(\.name) }

    /// The socket options `sockopt` knows, from SocketKit's table (the one source of names).
    public static let socketOptions: [SocketOptionInfo] = SocketOption.all.map { option in
        SocketOptionInfo(name: option.name, constant: "\(option.levelName) \(option.optionName)", value: option.valueHint,
                         summary: option.summary, readOnly: option.kind == .readOnly)
    }

    // MARK: Commands

    /// The catalog entry of `name`: a table written as an exhaustive switch, so no command can lack one.
    private static func makeInfo(_ name: CommandName) -> CommandInfo {
        switch name {
        case .listen: listen
        case .connect:
            entry(name, "connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]",
                  "open a connection (non-blocking; shown as connecting… until it succeeds or fails)",
                  seed: ["socket_create", "socket_connect"], keywords: transports,
                  options: [timeout("connect gives up", CommandDefaults.connectTimeoutMicros),
                            OptionInfo(name: "from", value: "HOST:PORT", choices: [],
                                       summary: "bind this local address first (port 0: any)")],
                  examples: ["connect 127.0.0.1:5000", "connect example.org 80", "connect [::1]:80 timeout=2",
                             "connect unix /tmp/s.sock"])
        case .accept:
            entry(name, "accept [#L]", "accept the next pending peer of a listener in accept=manual mode",
                  seed: ["socket_accept"], examples: ["accept #1"])
        case .pair:
            entry(name, "pair", "create a connected pair of Unix sockets to play with",
                  seed: ["socket_create_pair"], examples: ["pair"])
        case .send:
            entry(name, "send [TARGET] [to=HOST:PORT] PAYLOAD", "write exactly these bytes",
                  seed: ["socket_write", "socket_send", "socket_sendto"], options: [to],
                  examples: [#"send #3 "GET / HTTP/1.1\r\nHost: x\r\n\r\n""#, #"send x"00 01" "tail""#,
                             "send @request.bin", #"send hello world\r\n"#, "send #2 to=127.0.0.1:6000 hi"])
        case .sendl:
            entry(name, "sendl [TARGET] [to=HOST:PORT] [PAYLOAD]", "write these bytes and the line ending (set eol)",
                  seed: ["socket_write", "socket_send", "socket_sendto"], options: [to],
                  examples: ["sendl hello", "sendl #3 \"HELO example.org\""])
        case .recv:
            entry(name, "recv [TARGET] [N] [all]",
                  "read up to N bytes (default \(CommandDefaults.recvCount)) from a paused socket; all waits for N",
                  seed: ["socket_recv", "socket_read"], keywords: ["all"], examples: ["recv #3 1024", "recv 16 all"])
        case .pause:
            entry(name, "pause [TARGET]", "stop reading; bytes wait in the kernel", seed: [], examples: ["pause #3"])
        case .resume:
            entry(name, "resume [TARGET]", "read again after pause", seed: [], examples: ["resume"])
        case .shutdown:
            entry(name, "shutdown [TARGET] rd|wr|rdwr", "half-close: stop reading, writing or both",
                  seed: ["socket_shutdown"], keywords: ShutdownHow.allCases.map(\.rawValue),
                  examples: ["shutdown #3 wr"])
        case .close:
            entry(name, "close [TARGET]", "close orderly (FIN)", seed: ["socket_close"], examples: ["close #3", "close *"])
        case .reset:
            entry(name, "reset [TARGET]", "close with RST (SO_LINGER 0)", seed: ["socket_set_option", "socket_close"],
                  examples: ["reset #3"])
        case .reply:
            entry(name, "reply [TARGET] off|echo|reverse|TEMPLATE",
                  "answer each chunk received; {data} in TEMPLATE is the chunk; on a listener, every peer",
                  seed: ["socket_read", "socket_write"], keywords: replyKeywords,
                  examples: [#"reply #1 "OK ... {data}""#, "reply #1 reverse", "reply off"])
        case .banner:
            entry(name, "banner [#L] PAYLOAD|off", "send PAYLOAD to every newly accepted peer",
                  seed: ["socket_accept", "socket_write"], keywords: ["off"],
                  examples: [#"banner #1 "Welcome to php socket server version 1.0 \n""#, "banner #1 off"])
        case .sockopt:
            entry(name, "sockopt [TARGET] [NAME [VALUE]]", "list, get or set socket options",
                  seed: ["socket_get_option", "socket_set_option"], keywords: socketOptionNames,
                  examples: ["sockopt", "sockopt #3 nodelay", "sockopt #3 rcvbuf 65536"])
        case .info:
            entry(name, "info [TARGET|session]", "addresses, state, options, kernel queues, TCP_INFO and counters; session: the log's counters",
                  seed: ["socket_getsockname", "socket_getpeername"], examples: ["info #3", "info session"])
        case .resolve:
            entry(name, "resolve HOST", "look a name up (getaddrinfo)", seed: ["gethostbyname"],
                  examples: ["resolve example.org"])
        case .scan:
            entry(name, "scan HOST PORTS [timeout=SEC]", "TCP connect scan: open, closed or filtered per port",
                  seed: ["socket_connect"],
                  options: [timeout("per port before it counts as filtered", CommandDefaults.scanTimeoutMicros)],
                  examples: ["scan 127.0.0.1 20-25,80,443", "scan localhost 1-1024 timeout=200ms"])
        case .http:
            entry(name, "http [TARGET|HOST[:PORT]] [PATH]", "send a minimal GET request (PATH default /)",
                  seed: ["socket_connect", "socket_write"],
                  examples: ["http", "http example.org /", "http 127.0.0.1:8080 /index.html",
                             "http http://example.org/"])
        case .trace:
            entry(name, "trace on|off", "log every system call with arguments, result and errno",
                  seed: ["socket_last_error", "socket_strerror"], keywords: ["on", "off"], examples: ["trace on"])
        case .view:
            entry(name, "view text|hex|both", "how the log shows data", keywords: LogView.allCases.map(\.rawValue),
                  examples: ["view hex"])
        case .filter:
            entry(name, "filter [TARGET|all]", "show only one socket in the log, or all again", keywords: ["all"],
                  examples: ["filter #3", "filter all"])
        case .find:
            entry(name, "find PAYLOAD", "search the log for these bytes", examples: ["find HTTP/1.1", #"find x"1b""#])
        case .clear:
            entry(name, "clear", "empty the log", examples: ["clear"])
        case .follow:
            entry(name, "follow", "jump to the end of the log and follow new data", examples: ["follow"])
        case .save:
            entry(name, "save FILE [text|hex|jsonl]", "write the log to FILE, atomically (default text)",
                  keywords: LogFormat.allCases.map(\.rawValue), examples: ["save session.log", "save dump.jsonl jsonl"])
        case .record:
            entry(name, "record FILE [jsonl|text|hex] | record off",
                  "stream every future event to FILE (default jsonl), or stop",
                  keywords: ["jsonl", "text", "hex", "off"], examples: ["record session.jsonl", "record off"])
        case .expect:
            entry(name, "expect [TARGET] PAYLOAD [timeout=SEC]",
                  "wait until the bytes received since the last expect contain PAYLOAD",
                  options: [timeout("fail after", CommandDefaults.waitTimeoutMicros)],
                  examples: ["expect OK timeout=2", #"expect #3 "HTTP/1.1 200""#])
        case .wait:
            entry(name, "wait [TARGET] connected|closed|data [timeout=SEC]",
                  "wait until connected (or a peer accepted), closed, or new data",
                  seed: ["socket_select"], keywords: WaitCondition.allCases.map(\.rawValue),
                  options: [timeout("fail after", CommandDefaults.waitTimeoutMicros)],
                  examples: ["wait connected", "wait #1 connected timeout=5", "wait data"])
        case .select:
            entry(name, "select TARGET", "make TARGET the selected socket (.)", examples: ["select #2"])
        case .sleep:
            entry(name, "sleep SEC", "pause a script (2, 0.5, 500ms)", examples: ["sleep 0.5", "sleep 500ms"])
        case .echo:
            entry(name, "echo TEXT", "print a line", examples: ["echo starting the test"])
        case .source:
            entry(name, "source FILE", "run the commands in FILE (# starts a comment line)",
                  examples: ["source session.txt"])
        case .set:
            entry(name, "set [NAME [VALUE]]", "list, show or change settings (\(Settings.names.joined(separator: ", ")))",
                  keywords: Settings.names, examples: ["set", "set eol crlf", "set logcap 64M", "set halfclose on"])
        case .help:
            entry(name, "help [COMMAND]", "list commands, or explain one", aliases: ["?"],
                  keywords: CommandName.allCases.map(\.rawValue), examples: ["help", "help listen"])
        case .quit:
            entry(name, "quit", "leave sockpit", aliases: ["exit", "q"], examples: ["quit"])
        }
    }

    private static let listen = entry(
        .listen, "listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual]",
        "create, bind and listen; HOST defaults to \(CommandDefaults.host), *:PORT is every interface, port 0 picks one",
        seed: ["socket_create_listen", "socket_create", "socket_bind", "socket_listen"], keywords: transports,
        options: [
            OptionInfo(name: "backlog", value: "N", choices: [],
                       summary: "pending connections the kernel queues (default \(CommandDefaults.backlog))"),
            OptionInfo(name: "reply", value: "off|echo|reverse|TEMPLATE", choices: replyKeywords,
                       summary: "auto-reply of every accepted peer (default off)"),
            OptionInfo(name: "accept", value: "auto|manual", choices: AcceptMode.allCases.map(\.rawValue),
                       summary: "manual leaves peers pending until accept (default auto)"),
        ],
        examples: ["listen 5000", "listen *:5000 backlog=4", "listen udp 6000 reply=echo",
                   #"listen 5000 reply="OK ... {data}""#, "listen unix /tmp/s.sock", "listen [::1]:0 accept=manual"])

    private static let transports = TransportKind.allCases.map(\.rawValue)
    private static let replyKeywords = ["off", "echo", "reverse"]
    private static let to = OptionInfo(name: "to", value: "HOST:PORT", choices: [],
                                       summary: "UDP: send this datagram to HOST:PORT (sendto)")

    private static func timeout(_ what: String, _ micros: Int64) -> OptionInfo {
        let seconds = micros % 1_000_000 == 0 ? "\(micros / 1_000_000) s" : "\(micros / 1000) ms"
        return OptionInfo(name: "timeout", value: "SEC", choices: [], summary: "\(what) (default \(seconds))")
    }

    private static func entry(
        _ name: CommandName, _ usage: String, _ summary: String, aliases: [String] = [], seed: [String] = [],
        keywords: [String] = [], options: [OptionInfo] = [], examples: [String]
    ) -> CommandInfo {
        CommandInfo(name: name, aliases: aliases, usage: usage, summary: summary, seedCalls: seed,
                    keywords: keywords, options: options, examples: examples)
    }
}
