// Command — the typed AST of one command line (PRODUCT.md §2), with every default already filled in.

/// One parsed command: what `CommandParser.parse` returns and what the engine runs.
///
/// Every omitted argument is already resolved (target `.`, transport, defaults from `CommandDefaults`),
/// so the engine never has to guess. Durations are `Int64` microseconds and say so in their labels.
public enum Command: Equatable, Sendable {
    /// `listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=…] [accept=auto|manual]`.
    case listen(TransportKind, EndpointSpec, ListenOptions)
    /// `connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]`.
    case connect(TransportKind, EndpointSpec, ConnectOptions)
    /// `accept [#L]`: take the next pending connection of a manual-accept listener.
    case accept(Target)
    /// `send [TARGET] [to=HOST:PORT] PAYLOAD`; `to` is for UDP sockets (`sendto`).
    case send(Target, to: EndpointSpec?, Payload)
    /// `sendl [TARGET] [to=HOST:PORT] PAYLOAD`: `send` followed by the `eol` setting's line ending.
    case sendl(Target, to: EndpointSpec?, Payload)
    /// `recv [TARGET] [N] [all]`: read up to `count` bytes now; `waitAll` waits for exactly `count`.
    case recv(Target, count: Int, waitAll: Bool)
    /// `pause [TARGET]`: stop reading; bytes wait in the kernel.
    case pause(Target)
    /// `resume [TARGET]`: read again.
    case resume(Target)
    /// `shutdown [TARGET] rd|wr|rdwr`.
    case shutdown(Target, ShutdownHow)
    /// `close [TARGET]`: orderly close.
    case close(Target)
    /// `reset [TARGET]`: close with RST (`SO_LINGER` 0).
    case reset(Target)
    /// `reply [TARGET] off|echo|reverse|TEMPLATE`.
    case reply(Target, ReplyMode)
    /// `banner [#L] PAYLOAD|off`; nil is `off`.
    case banner(Target, Payload?)
    /// `sockopt [TARGET] [NAME [VALUE]]`: list (no name), get (no value) or set; the engine validates both.
    case sockopt(Target, name: String?, value: String?)
    /// `info [TARGET]`.
    case info(Target)
    /// `info session`: the session at a glance (sockets, the log's counters, recording), whatever is selected.
    case sessionInfo
    /// `resolve HOST`.
    case resolve(host: String)
    /// `scan HOST PORTS [timeout=SEC]`; the timeout is per port.
    case scan(host: String, ports: PortList, timeoutMicros: Int64)
    /// `http [TARGET|HOST[:PORT]|http://HOST[:PORT]/PATH] [PATH]`: a minimal `GET PATH`.
    case http(HTTPDestination, path: String)
    /// `pair`: a connected pair of sockets.
    case pair
    /// `trace on|off`.
    case trace(Bool)
    /// `view text|hex|both`.
    case view(LogView)
    /// `filter [TARGET|all]`: `.all` (from `all` or `*`) shows every socket again.
    case filter(Target)
    /// `find PAYLOAD`: search the log for these bytes.
    case find(Payload)
    /// `clear`: empty the log.
    case clear
    /// `follow`: scroll to the end and follow new data.
    case follow
    /// `save FILE [text|hex|jsonl]`.
    case save(path: String, format: LogFormat)
    /// `record FILE [jsonl|text|hex]` or `record off`.
    case record(RecordAction)
    /// `set` (list all), `set NAME` (show one) or `set NAME VALUE`; `Settings.set` validates.
    case set(name: String?, value: String?)
    /// `expect [TARGET] PAYLOAD [timeout=SEC]`.
    case expect(Target, Payload, timeoutMicros: Int64)
    /// `wait [TARGET] connected|closed|data [timeout=SEC]`.
    case wait(Target, WaitCondition, timeoutMicros: Int64)
    /// `select TARGET`.
    case select(Target)
    /// `sleep SEC`.
    case sleep(micros: Int64)
    /// `echo TEXT`: the rest of the line, raw.
    case echo(String)
    /// `source FILE`.
    case source(path: String)
    /// `help [COMMAND]`.
    case help(CommandName?)
    /// `quit` (also `exit`, `q`).
    case quit

    /// Which command this is, e.g. for `ok: …` messages and the catalog.
    public var name: CommandName {
        switch self {
        case .listen: .listen
        case .connect: .connect
        case .accept: .accept
        case .send: .send
        case .sendl: .sendl
        case .recv: .recv
        case .pause: .pause
        case .resume: .resume
        case .shutdown: .shutdown
        case .close: .close
        case .reset: .reset
        case .reply: .reply
        case .banner: .banner
        case .sockopt: .sockopt
        case .info, .sessionInfo: .info
        case .resolve: .resolve
        case .scan: .scan
        case .http: .http
        case .pair: .pair
        case .trace: .trace
        case .view: .view
        case .filter: .filter
        case .find: .find
        case .clear: .clear
        case .follow: .follow
        case .save: .save
        case .record: .record
        case .set: .set
        case .expect: .expect
        case .wait: .wait
        case .select: .select
        case .sleep: .sleep
        case .echo: .echo
        case .source: .source
        case .help: .help
        case .quit: .quit
        }
    }
}

/// The name of every command, in the order `help` lists them.
public enum CommandName: String, CaseIterable, Sendable {
    case listen, connect, accept, pair
    case send, sendl, recv, pause, resume, shutdown, close, reset
    case reply, banner, sockopt, info
    case resolve, scan, http
    case trace, view, filter, find, clear, follow, save, record
    case expect, wait, select, sleep, echo, source, set
    case help, quit
}

/// Which socket a command acts on.
public enum Target: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `#N`: socket N (ids start at 1).
    case id(Int)
    /// `.`: the selected socket — what an omitted target means.
    case selected
    /// `*`: every open connection (for `filter`, every socket: no filter).
    case all

    /// `#3`, `.` or `*`, as typed.
    public var description: String {
        switch self {
        case .id(let id): "#\(id)"
        case .selected: "."
        case .all: "*"
        }
    }
}

/// The socket family and type a `listen` or `connect` creates.
public enum TransportKind: String, CaseIterable, Sendable {
    case tcp, udp
    /// A Unix-domain stream socket.
    case unix
}

/// Where to bind or connect.
public enum EndpointSpec: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A host name or address literal (IPv6 without brackets) and a port; names resolve with getaddrinfo.
    case hostPort(host: String, port: UInt16)
    /// `*:PORT`: every interface, IPv4 and IPv6.
    case allInterfaces(port: UInt16)
    /// A Unix socket path.
    case path(String)

    /// `127.0.0.1:5000`, `[::1]:80`, `*:5000` or the path.
    public var description: String {
        switch self {
        case .hostPort(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .allInterfaces(let port): "*:\(port)"
        case .path(let path): path
        }
    }
}

/// `listen` options, defaults filled in.
public struct ListenOptions: Equatable, Sendable {
    /// The `listen(2)` backlog (`backlog=N`); ignored by UDP.
    public var backlog: Int
    /// What to answer each received chunk with (`reply=`), for every accepted peer.
    public var reply: ReplyMode
    /// Whether peers are accepted at once or wait for `accept` (`accept=`).
    public var accept: AcceptMode

    public init(backlog: Int = CommandDefaults.backlog, reply: ReplyMode = .off, accept: AcceptMode = .auto) {
        self.backlog = backlog
        self.reply = reply
        self.accept = accept
    }
}

/// `connect` options, defaults filled in.
public struct ConnectOptions: Equatable, Sendable {
    /// How long to wait for the connection (`timeout=`), in microseconds.
    public var timeoutMicros: Int64
    /// The local address to bind first (`from=HOST:PORT`; port 0 lets the kernel pick).
    public var from: EndpointSpec?

    public init(timeoutMicros: Int64 = CommandDefaults.connectTimeoutMicros, from: EndpointSpec? = nil) {
        self.timeoutMicros = timeoutMicros
        self.from = from
    }
}

/// How a socket answers what it receives.
public enum ReplyMode: Equatable, Sendable {
    case off
    /// Send each chunk back unchanged.
    case echo
    /// Send each chunk back reversed, like the seed's `strrev` server.
    case reverse
    /// Send this payload; the engine replaces the bytes `{data}` with the chunk received.
    case template(Payload)
}

/// `accept=auto|manual`.
public enum AcceptMode: String, CaseIterable, Sendable {
    case auto, manual
}

/// `shutdown` directions, named as `shutdown(2)`'s `SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`.
public enum ShutdownHow: String, CaseIterable, Sendable {
    case rd, wr, rdwr
}

/// The log pane's rendering.
public enum LogView: String, CaseIterable, Sendable {
    case text, hex, both
}

/// File formats for `save` and `record`.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, hex, jsonl
}

/// `record FILE [FORMAT]` or `record off`.
public enum RecordAction: Equatable, Sendable {
    case start(path: String, format: LogFormat)
    case off
}

/// What `wait` waits for.
public enum WaitCondition: String, CaseIterable, Sendable {
    /// A connecting socket is established, or a listener accepted a new peer.
    case connected
    case closed
    /// New bytes arrived.
    case data
}

/// Where `http` sends its request.
public enum HTTPDestination: Equatable, Sendable {
    /// An open connection.
    case target(Target)
    /// A new TCP connection to this address.
    case endpoint(EndpointSpec)
}

/// A validated set of TCP ports for `scan`: sorted, merged ranges within 1–65535.
public struct PortList: Equatable, Sendable {
    /// Disjoint, non-adjacent ranges in ascending order.
    public let ranges: [ClosedRange<UInt16>]

    /// The ranges sorted and merged; overlapping or adjacent ranges become one.
    public init(_ ranges: [ClosedRange<UInt16>]) {
        var merged: [ClosedRange<UInt16>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, Int(range.lowerBound) <= Int(last.upperBound) + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// How many ports.
    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    /// Every port, ascending.
    public var ports: [UInt16] { ranges.flatMap { Array($0) } }
}

/// The defaults the parser fills in for omitted options, in one place for `help` and the engine.
public enum CommandDefaults {
    /// Host for `listen 5000`, `listen :5000`, `connect 5000`.
    public static let host = "127.0.0.1"
    /// `listen` backlog (the screen's `bl 128`).
    public static let backlog = 128
    /// `connect` gives up after this long (a black-holed SYN otherwise retries for minutes).
    public static let connectTimeoutMicros: Int64 = 10_000_000
    /// `expect` and `wait` give up after this long (PRODUCT.md: 10 s).
    public static let waitTimeoutMicros: Int64 = 10_000_000
    /// `scan` waits this long per port before calling it filtered.
    public static let scanTimeoutMicros: Int64 = 1_000_000
    /// `recv` without N reads up to this many bytes.
    public static let recvCount = 65_536
    /// The largest `recv N`: one read into memory, and `all` waits for all of it.
    public static let recvMaximum = 16 << 20
    /// `http` without PATH.
    public static let httpPath = "/"
    /// `http HOST` without a port.
    public static let httpPort: UInt16 = 80
}
