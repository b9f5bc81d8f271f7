// StepParseTests.swift — the step commands' syntax (PRODUCT.md §7): `listen #N` and `connect #N
// ADDR` told apart from `listen PORT` and `connect HOST:PORT` by shape, and bad input refused with
// the command's usage.

import Testing
@testable import ExplorerCore

struct StepParseTests {
    private func parse(_ line: String) throws -> any SessionCommand {
        try #require(try CommandParser.parse(line)).base
    }

    @Test func listenAndConnectByShape() throws {
        let step = try #require(try parse("listen #3 backlog=4") as? ListenCommand)
        #expect(step.step == StepListenArguments(target: .id(3), backlog: 4))
        #expect((try parse("listen . ") as? ListenCommand)?.step?.target == .selected)
        let classic = try #require(try parse("listen 5000 backlog=4") as? ListenCommand)
        #expect(classic.step == nil)
        #expect(classic.endpoint == .hostPort(host: "127.0.0.1", port: 5000))
        let connect = try #require(try parse("connect #2 127.0.0.1:80") as? ConnectCommand)
        #expect(connect.step?.endpoint == .hostPort(host: "127.0.0.1", port: 80))
        #expect((try parse("connect 127.0.0.1:80") as? ConnectCommand)?.step == nil)
        // The step forms take only their own options.
        #expect(failure("listen #1 reply=echo")?.message.hasPrefix("listen: ") == true)
        #expect(failure("connect #1 127.0.0.1:80 from=127.0.0.1:0") != nil)
        #expect((try parse("listen * 5000") as? ListenCommand)?.endpoint == .allInterfaces(port: 5000))
    }

    @Test func socketBindReadWrite() throws {
        #expect((try parse("socket") as? SocketCommand) == SocketCommand(transport: .tcp, v6: false))
        #expect((try parse("socket udp v6") as? SocketCommand) == SocketCommand(transport: .udp, v6: true))
        #expect(failure("socket unix v6")?.message.contains("v6 is for tcp and udp") == true)
        #expect(failure("socket sctp") != nil)
        #expect((try parse("bind #1 *:0") as? BindCommand)?.endpoint == .allInterfaces(port: 0))
        #expect((try parse("bind /tmp/x.sock") as? BindCommand) == BindCommand(target: .selected, endpoint: .path("/tmp/x.sock")))
        #expect((try parse("read #2 100") as? ReadCommand) == ReadCommand(target: .id(2), count: 100))
        #expect((try parse("read") as? ReadCommand)?.count == Engine.stepReadDefault)
        #expect(failure("read 0") != nil)
        #expect(failure("read *") != nil)
        #expect(failure("write * hi") != nil)
        #expect(failure("write") != nil)
        #expect((try parse("nonblock #1 on") as? NonblockCommand) == NonblockCommand(target: .id(1), on: true))
        #expect(failure("nonblock maybe") != nil)
    }

    @Test func explainAndLearn() throws {
        #expect((try parse("explain on") as? ExplainCommand)?.mode == .set(true))
        #expect((try parse("explain") as? ExplainCommand)?.mode == .last)
        let line = try #require((try parse("explain recv(7, 8192) = -1 EAGAIN (Resource temporarily unavailable)") as? ExplainCommand)?.mode)
        guard case .line(let record) = line else { Issue.record("\(line)"); return }
        #expect(record.call == "recv" && record.arguments == "7, 8192" && record.result == -1 && record.errorCode == 11)
        #expect(failure("explain maybe") != nil)
        #expect((try parse("learn 2 lang=zh") as? LearnCommand) == LearnCommand(action: .start("client"), language: .zh))
        #expect((try parse("learn SERVER") as? LearnCommand)?.action == .start("server"))
        #expect(failure("learn 8") != nil)
        #expect(failure("learn servr")?.message.contains("server") == true)
        #expect((try parse("help php socket_bind") as? HelpCommand)?.php == "socket_bind")
        #expect(failure("help php socket_nope") != nil)
    }
}
