// CommandCases — the parsed commands spelled as the tests spell them (`.listen(.tcp, endpoint,
// ListenOptions())`), each building the value of one command type, so the parser's tests compare
// whole commands without knowing the types' names.

import SocketKit
@testable import ExplorerCore

extension Command {
    static func listen(_ transport: Transport, _ endpoint: EndpointSpec, _ options: ListenOptions) -> Command {
        Command(ListenCommand(transport: transport, endpoint: endpoint, options: options))
    }
    static func connect(_ transport: Transport, _ endpoint: EndpointSpec, _ options: ConnectOptions) -> Command {
        Command(ConnectCommand(transport: transport, endpoint: endpoint, options: options))
    }
    static func accept(_ target: Target) -> Command { Command(AcceptCommand(listener: target)) }
    static func send(_ target: Target, to: EndpointSpec?, _ payload: Payload) -> Command {
        Command(SendCommand(target: target, to: to, payload: payload))
    }
    static func sendl(_ target: Target, to: EndpointSpec?, _ payload: Payload) -> Command {
        Command(SendLineCommand(target: target, to: to, payload: payload))
    }
    static func recv(_ target: Target, count: Int, waitAll: Bool) -> Command {
        Command(RecvCommand(target: target, count: count, waitAll: waitAll))
    }
    static func pause(_ target: Target) -> Command { Command(PauseCommand(target: target)) }
    static func resume(_ target: Target) -> Command { Command(ResumeCommand(target: target)) }
    static func shutdown(_ target: Target, _ how: ShutdownHow) -> Command { Command(ShutdownCommand(target: target, how: how)) }
    static func close(_ target: Target) -> Command { Command(CloseCommand(target: target)) }
    static func reset(_ target: Target) -> Command { Command(ResetCommand(target: target)) }
    static func reply(_ target: Target, _ mode: ReplyMode) -> Command { Command(ReplyCommand(target: target, mode: mode)) }
    static func banner(_ target: Target, _ payload: Payload?) -> Command { Command(BannerCommand(listener: target, payload: payload)) }
    static func sockopt(_ target: Target, name: String?, value: String?) -> Command {
        Command(SockoptCommand(target: target, name: name, value: value))
    }
    static func info(_ target: Target) -> Command { Command(InfoCommand(target: target)) }
    static var sessionInfo: Command { Command(InfoCommand(target: nil)) }
    static func resolve(host: String) -> Command { Command(ResolveCommand(host: host)) }
    static func scan(host: String, ports: PortList, timeoutMicros: Int64) -> Command {
        Command(ScanCommand(host: host, ports: ports, timeoutMicros: timeoutMicros))
    }
    static func http(_ destination: HTTPDestination, path: String) -> Command {
        Command(HTTPCommand(destination: destination, path: path, timeoutMicros: HTTPCommand.defaultTimeout))
    }
    static var pair: Command { Command(PairCommand()) }
    static func trace(_ on: Bool) -> Command { Command(TraceCommand(on: on)) }
    static func view(_ mode: LogView) -> Command { Command(ViewCommand(mode: mode)) }
    static func filter(_ target: Target) -> Command { Command(FilterCommand(target: target)) }
    static func find(_ payload: Payload) -> Command { Command(FindCommand(payload: payload)) }
    static var clear: Command { Command(ClearCommand()) }
    static var follow: Command { Command(FollowCommand()) }
    static func save(path: String, format: LogFormat) -> Command { Command(SaveCommand(path: path, format: format)) }
    static func record(_ action: RecordAction) -> Command { Command(RecordCommand(action: action)) }
    static func set(name: String?, value: String?) -> Command { Command(SetCommand(name: name, value: value)) }
    static func expect(_ target: Target, _ payload: Payload, timeoutMicros: Int64) -> Command {
        Command(ExpectCommand(target: target, payload: payload, timeoutMicros: timeoutMicros))
    }
    static func wait(_ target: Target, _ condition: WaitCondition, timeoutMicros: Int64) -> Command {
        Command(WaitCommand(target: target, condition: condition, timeoutMicros: timeoutMicros))
    }
    static func select(_ target: Target) -> Command { Command(SelectCommand(target: target)) }
    static func sleep(micros: Int64) -> Command { Command(SleepCommand(micros: micros)) }
    static func echo(_ text: String) -> Command { Command(EchoCommand(text: text)) }
    static func source(path: String) -> Command { Command(SourceCommand(path: path)) }
    static func help(_ topic: CommandName?) -> Command { Command(HelpCommand(topic: topic)) }
    static var quit: Command { Command(QuitCommand()) }
}

extension CommandName {
    static let listen: CommandName = "listen"
    static let connect: CommandName = "connect"
    static let accept: CommandName = "accept"
    static let pair: CommandName = "pair"
    static let send: CommandName = "send"
    static let sendl: CommandName = "sendl"
    static let recv: CommandName = "recv"
    static let pause: CommandName = "pause"
    static let resume: CommandName = "resume"
    static let shutdown: CommandName = "shutdown"
    static let close: CommandName = "close"
    static let reset: CommandName = "reset"
    static let reply: CommandName = "reply"
    static let banner: CommandName = "banner"
    static let sockopt: CommandName = "sockopt"
    static let info: CommandName = "info"
    static let resolve: CommandName = "resolve"
    static let scan: CommandName = "scan"
    static let http: CommandName = "http"
    static let trace: CommandName = "trace"
    static let view: CommandName = "view"
    static let filter: CommandName = "filter"
    static let find: CommandName = "find"
    static let clear: CommandName = "clear"
    static let follow: CommandName = "follow"
    static let save: CommandName = "save"
    static let record: CommandName = "record"
    static let replay: CommandName = "replay"
    static let expect: CommandName = "expect"
    static let wait: CommandName = "wait"
    static let select: CommandName = "select"
    static let sleep: CommandName = "sleep"
    static let echo: CommandName = "echo"
    static let source: CommandName = "source"
    static let set: CommandName = "set"
    static let errno: CommandName = "errno"
    static let help: CommandName = "help"
    static let quit: CommandName = "quit"
}
