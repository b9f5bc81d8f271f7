// Tests of CommandParser happy paths: every command of PRODUCT.md §2 as typed lines and the AST they give.

import Testing
@testable import ExplorerCore

func parse(_ line: String) throws(ParseError) -> Command? {
    try CommandParser.parse(line)
}

/// Payload of these UTF-8 bytes, taken literally.
func text(_ string: String) -> Payload {
    Payload(utf8: string)
}

let localhost5000 = EndpointSpec.hostPort(host: "127.0.0.1", port: 5000)

@Suite("Command parser: lines that parse")
struct CommandParserTests {
    @Test("blank lines and comments give nil")
    func blankAndComments() throws {
        for line in ["", "   ", "\t", "# a comment", "#", "  # indented", "#!/usr/bin/env sockpit", "#x", "#\t3"] {
            #expect(try parse(line) == nil, "\(line)")
        }
    }

    @Test("listen: ports, hosts, IPv6, wildcard, paths")
    func listenEndpoints() throws {
        #expect(try parse("listen 5000") == .listen(.tcp, localhost5000, ListenOptions()))
        #expect(try parse("listen :5000") == .listen(.tcp, localhost5000, ListenOptions()))
        #expect(try parse("listen 127.0.0.1:5000") == .listen(.tcp, localhost5000, ListenOptions()))
        #expect(try parse("listen localhost 5000") == .listen(.tcp, .hostPort(host: "localhost", port: 5000), ListenOptions()))
        #expect(try parse("listen *:5000") == .listen(.tcp, .allInterfaces(port: 5000), ListenOptions()))
        #expect(try parse("listen * 5000") == .listen(.tcp, .allInterfaces(port: 5000), ListenOptions()))
        #expect(try parse("listen [::1]:80") == .listen(.tcp, .hostPort(host: "::1", port: 80), ListenOptions()))
        #expect(try parse("listen 0") == .listen(.tcp, .hostPort(host: "127.0.0.1", port: 0), ListenOptions()))
        #expect(try parse("listen 0.0.0.0:65535") == .listen(.tcp, .hostPort(host: "0.0.0.0", port: 65535), ListenOptions()))
        #expect(try parse("listen unix /tmp/s.sock") == .listen(.unix, .path("/tmp/s.sock"), ListenOptions()))
        #expect(try parse("listen /tmp/s.sock") == .listen(.unix, .path("/tmp/s.sock"), ListenOptions()))
        #expect(try parse("listen ./s.sock") == .listen(.unix, .path("./s.sock"), ListenOptions()))
        #expect(try parse("listen unix sock") == .listen(.unix, .path("sock"), ListenOptions()))
        #expect(try parse(#"listen unix "/tmp/my sock""#) == .listen(.unix, .path("/tmp/my sock"), ListenOptions()))
        #expect(try parse("listen udp 6000") == .listen(.udp, .hostPort(host: "127.0.0.1", port: 6000), ListenOptions()))
    }

    @Test("listen: options in any order and case")
    func listenOptions() throws {
        #expect(try parse("listen 5000 backlog=4") == .listen(.tcp, localhost5000, ListenOptions(backlog: 4)))
        #expect(try parse("listen backlog=0 5000") == .listen(.tcp, localhost5000, ListenOptions(backlog: 0)))
        #expect(try parse("listen 5000 accept=manual") == .listen(.tcp, localhost5000, ListenOptions(accept: .manual)))
        #expect(try parse("listen udp 6000 reply=echo")
            == .listen(.udp, .hostPort(host: "127.0.0.1", port: 6000), ListenOptions(reply: .echo)))
        #expect(try parse("listen 5000 reply=reverse") == .listen(.tcp, localhost5000, ListenOptions(reply: .reverse)))
        #expect(try parse("listen 5000 reply=off") == .listen(.tcp, localhost5000, ListenOptions(reply: .off)))
        #expect(try parse(#"listen 5000 reply="OK ... {data}""#)
            == .listen(.tcp, localhost5000, ListenOptions(reply: .template(text("OK ... {data}")))))
        #expect(try parse(#"listen 5000 reply=x"4f 4b""#)
            == .listen(.tcp, localhost5000, ListenOptions(reply: .template(text("OK")))))
        #expect(try parse("LISTEN TCP 5000 BACKLOG=4 Accept=Manual")
            == .listen(.tcp, localhost5000, ListenOptions(backlog: 4, accept: .manual)))
        #expect(try parse("listen *:5000 backlog=4 accept=manual reply=echo")
            == .listen(.tcp, .allInterfaces(port: 5000), ListenOptions(backlog: 4, reply: .echo, accept: .manual)))
    }

    @Test("connect: addresses, netcat style, timeout, from")
    func connect() throws {
        let defaults = ConnectOptions()
        #expect(defaults == ConnectOptions(timeoutMicros: 10_000_000, from: nil))
        #expect(try parse("connect 127.0.0.1:5000") == .connect(.tcp, localhost5000, defaults))
        #expect(try parse("connect 5000") == .connect(.tcp, localhost5000, defaults))
        #expect(try parse("connect example.org:80") == .connect(.tcp, .hostPort(host: "example.org", port: 80), defaults))
        #expect(try parse("connect example.org 80") == .connect(.tcp, .hostPort(host: "example.org", port: 80), defaults))
        #expect(try parse("connect [::1]:80 timeout=2")
            == .connect(.tcp, .hostPort(host: "::1", port: 80), ConnectOptions(timeoutMicros: 2_000_000)))
        #expect(try parse("connect [fe80::1%eth0]:22")
            == .connect(.tcp, .hostPort(host: "fe80::1%eth0", port: 22), defaults))
        #expect(try parse("connect udp 127.0.0.1:6000 from=127.0.0.1:7000")
            == .connect(.udp, .hostPort(host: "127.0.0.1", port: 6000),
                        ConnectOptions(from: .hostPort(host: "127.0.0.1", port: 7000))))
        #expect(try parse("connect 5000 timeout=500ms from=127.0.0.2")
            == .connect(.tcp, localhost5000,
                        ConnectOptions(timeoutMicros: 500_000, from: .hostPort(host: "127.0.0.2", port: 0))))
        #expect(try parse("connect 5000 from=:6000")
            == .connect(.tcp, localhost5000, ConnectOptions(from: .hostPort(host: "127.0.0.1", port: 6000))))
        #expect(try parse("connect unix /tmp/s.sock") == .connect(.unix, .path("/tmp/s.sock"), defaults))
        #expect(try parse("connect /tmp/s.sock timeout=0.5")
            == .connect(.unix, .path("/tmp/s.sock"), ConnectOptions(timeoutMicros: 500_000)))
    }

    @Test("targets: #N, . and *, omitted means selected")
    func targets() throws {
        #expect(try parse("accept") == .accept(.selected))
        #expect(try parse("accept #1") == .accept(.id(1)))
        #expect(try parse("accept .") == .accept(.selected))
        #expect(try parse("close #007") == .close(.id(7)))
        #expect(try parse("close *") == .close(.all))
        #expect(try parse("close #999999999") == .close(.id(999_999_999)))
        #expect(Target.id(3).description == "#3")
        #expect(Target.selected.description == ".")
        #expect(Target.all.description == "*")
    }

    @Test("send: the documented examples")
    func send() throws {
        #expect(try parse(#"send #3 "GET / HTTP/1.1\r\nHost: x\r\n\r\n""#)
            == .send(.id(3), to: nil, text("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
        #expect(try parse(#"send x"00 01" "tail""#) == .send(.selected, to: nil, Payload(bytes: [0, 1] + Array("tail".utf8))))
        #expect(try parse("send @request.bin") == .send(.selected, to: nil, Payload([.file("request.bin")])))
        #expect(try parse(#"send hello world\r\n"#) == .send(.selected, to: nil, text("hello world\r\n")))
        #expect(try parse("send #2 to=127.0.0.1:6000 hi")
            == .send(.id(2), to: .hostPort(host: "127.0.0.1", port: 6000), text("hi")))
    }

    @Test("send: target only in its exact forms; to= before the payload")
    func sendTargets() throws {
        #expect(try parse("send * bye") == .send(.all, to: nil, text("bye")))
        #expect(try parse("send . hi") == .send(.selected, to: nil, text("hi")))
        #expect(try parse("send #3abc") == .send(.selected, to: nil, text("#3abc")))
        #expect(try parse("send #hashtag") == .send(.selected, to: nil, text("#hashtag")))
        #expect(try parse("send .hidden") == .send(.selected, to: nil, text(".hidden")))
        #expect(try parse(#"send ".""#) == .send(.selected, to: nil, text(".")))
        #expect(try parse(#"send """#) == .send(.selected, to: nil, Payload([])))
        #expect(try parse(#"send #12 to=[::1]:53 x"00""#) == .send(.id(12), to: .hostPort(host: "::1", port: 53), Payload(bytes: [0])))
        #expect(try parse("send TO=6000 hi") == .send(.selected, to: .hostPort(host: "127.0.0.1", port: 6000), text("hi")))
        #expect(try parse("send hi to=6000") == .send(.selected, to: nil, text("hi to=6000")))
        #expect(try parse("SEND a # b") == .send(.selected, to: nil, text("a # b")))
    }

    @Test("sendl: payload optional (just the line ending)")
    func sendl() throws {
        #expect(try parse("sendl hello") == .sendl(.selected, to: nil, text("hello")))
        #expect(try parse("sendl") == .sendl(.selected, to: nil, Payload([])))
        #expect(try parse("sendl #3") == .sendl(.id(3), to: nil, Payload([])))
        #expect(try parse(#"sendl #3 "HELO example.org""#) == .sendl(.id(3), to: nil, text("HELO example.org")))
    }

    @Test("recv: N, all, in either order")
    func recv() throws {
        #expect(try parse("recv") == .recv(.selected, count: 65_536, waitAll: false))
        #expect(try parse("recv #3 1024") == .recv(.id(3), count: 1024, waitAll: false))
        #expect(try parse("recv 16 all") == .recv(.selected, count: 16, waitAll: true))
        #expect(try parse("recv all 16") == .recv(.selected, count: 16, waitAll: true))
        #expect(try parse("recv #3 ALL 4") == .recv(.id(3), count: 4, waitAll: true))
        #expect(try parse("recv 16777216") == .recv(.selected, count: 16_777_216, waitAll: false))
    }

    @Test("pause, resume, shutdown, close, reset, info")
    func socketControl() throws {
        #expect(try parse("pause #3") == .pause(.id(3)))
        #expect(try parse("resume") == .resume(.selected))
        #expect(try parse("shutdown #3 wr") == .shutdown(.id(3), .wr))
        #expect(try parse("shutdown rdwr") == .shutdown(.selected, .rdwr))
        #expect(try parse("shutdown * RD") == .shutdown(.all, .rd))
        #expect(try parse("close") == .close(.selected))
        #expect(try parse("reset #3") == .reset(.id(3)))
        #expect(try parse("info") == .info(.selected))
        #expect(try parse("info #3") == .info(.id(3)))
        #expect(try parse("info session") == .sessionInfo)
        #expect(try parse("INFO Session") == .sessionInfo)
    }

    @Test("reply: the seed's servers and the keywords")
    func reply() throws {
        #expect(try parse(#"reply #1 "OK ... {data}""#) == .reply(.id(1), .template(text("OK ... {data}"))))
        #expect(try parse("reply #1 reverse") == .reply(.id(1), .reverse))
        #expect(try parse("reply echo") == .reply(.selected, .echo))
        #expect(try parse("reply #1 Echo") == .reply(.id(1), .echo))
        #expect(try parse("reply off") == .reply(.selected, .off))
        #expect(try parse(#"reply #1 echo\r\n"#) == .reply(.id(1), .template(text("echo\r\n"))))
        #expect(try parse(#"reply #1 "off""#) == .reply(.id(1), .template(text("off"))))
        #expect(try parse("reply * got {data}") == .reply(.all, .template(text("got {data}"))))
    }

    @Test("banner: payload or off")
    func banner() throws {
        #expect(try parse(#"banner #1 "Welcome to php socket server version 1.0 \n""#)
            == .banner(.id(1), text("Welcome to php socket server version 1.0 \n")))
        #expect(try parse("banner #1 off") == .banner(.id(1), nil))
        #expect(try parse("banner OFF") == .banner(.selected, nil))
        #expect(try parse("banner hi there") == .banner(.selected, text("hi there")))
        #expect(try parse("banner @motd.txt") == .banner(.selected, Payload([.file("motd.txt")])))
    }

    @Test("sockopt: list, get, set; name lowercased, value raw")
    func sockopt() throws {
        #expect(try parse("sockopt") == .sockopt(.selected, name: nil, value: nil))
        #expect(try parse("sockopt #3") == .sockopt(.id(3), name: nil, value: nil))
        #expect(try parse("sockopt #3 NoDelay") == .sockopt(.id(3), name: "nodelay", value: nil))
        #expect(try parse("sockopt #3 rcvbuf 65536") == .sockopt(.id(3), name: "rcvbuf", value: "65536"))
        #expect(try parse("sockopt nodelay=On") == .sockopt(.selected, name: "nodelay", value: "On"))
        #expect(try parse("sockopt * linger 1 5 ") == .sockopt(.all, name: "linger", value: "1 5"))
    }

    @Test("resolve, scan")
    func tools() throws {
        #expect(try parse("resolve example.org") == .resolve(host: "example.org"))
        #expect(try parse("resolve ::1") == .resolve(host: "::1"))
        #expect(try parse("resolve [::1]") == .resolve(host: "::1"))
        #expect(try parse("resolve 127.0.0.1") == .resolve(host: "127.0.0.1"))
        #expect(try parse("scan 127.0.0.1 20-25,80,443")
            == .scan(host: "127.0.0.1", ports: PortList([20...25, 80...80, 443...443]), timeoutMicros: 1_000_000))
        #expect(try parse("scan localhost 1-1024 timeout=200ms")
            == .scan(host: "localhost", ports: PortList([1...1024]), timeoutMicros: 200_000))
        #expect(try parse("scan ::1 22") == .scan(host: "::1", ports: PortList([22...22]), timeoutMicros: 1_000_000))
    }

    @Test("port lists are validated, sorted and merged")
    func portLists() throws {
        let list = try EndpointSyntax.portList("443,80,79,81,20-25,24-30,1-1")
        #expect(list.ranges == [1...1, 20...30, 79...81, 443...443])
        #expect(list.count == 16)
        #expect(list.ports == [1, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 79, 80, 81, 443])
        let all = try EndpointSyntax.portList("1-65535,1-65535")
        #expect(all.ranges == [1...65535])
        #expect(all.count == 65_535)
        #expect(try EndpointSyntax.portList("65535").ranges == [65535...65535])
    }

    @Test("http: target, host, URL, path")
    func http() throws {
        #expect(try parse("http") == .http(.target(.selected), path: "/"))
        #expect(try parse("http #3") == .http(.target(.id(3)), path: "/"))
        #expect(try parse("http /index.html") == .http(.target(.selected), path: "/index.html"))
        #expect(try parse("http #3 /a") == .http(.target(.id(3)), path: "/a"))
        #expect(try parse("http example.org")
            == .http(.endpoint(.hostPort(host: "example.org", port: 80)), path: "/"))
        #expect(try parse("http example.org:8080 /a?b=c")
            == .http(.endpoint(.hostPort(host: "example.org", port: 8080)), path: "/a?b=c"))
        #expect(try parse("http 8080") == .http(.endpoint(.hostPort(host: "127.0.0.1", port: 8080)), path: "/"))
        #expect(try parse("http http://example.org/x/y")
            == .http(.endpoint(.hostPort(host: "example.org", port: 80)), path: "/x/y"))
        #expect(try parse("http HTTP://[::1]:8080")
            == .http(.endpoint(.hostPort(host: "::1", port: 8080)), path: "/"))
    }

    @Test("trace, view, filter, find, clear, follow, pair")
    func display() throws {
        #expect(try parse("trace on") == .trace(true))
        #expect(try parse("trace OFF") == .trace(false))
        #expect(try parse("view hex") == .view(.hex))
        #expect(try parse("view Both") == .view(.both))
        #expect(try parse("view text") == .view(.text))
        #expect(try parse("filter") == .filter(.selected))
        #expect(try parse("filter #3") == .filter(.id(3)))
        #expect(try parse("filter all") == .filter(.all))
        #expect(try parse("filter *") == .filter(.all))
        #expect(try parse("find HTTP/1.1") == .find(text("HTTP/1.1")))
        #expect(try parse(#"find x"1b""#) == .find(Payload(bytes: [0x1B])))
        #expect(try parse("clear") == .clear)
        #expect(try parse("follow") == .follow)
        #expect(try parse("pair") == .pair)
    }

    @Test("save and record")
    func files() throws {
        #expect(try parse("save session.log") == .save(path: "session.log", format: .text))
        #expect(try parse("save dump.jsonl jsonl") == .save(path: "dump.jsonl", format: .jsonl))
        #expect(try parse(#"save "my log.txt" HEX"#) == .save(path: "my log.txt", format: .hex))
        #expect(try parse("record session.jsonl") == .record(.start(path: "session.jsonl", format: .jsonl)))
        #expect(try parse("record s.txt text") == .record(.start(path: "s.txt", format: .text)))
        #expect(try parse("record off") == .record(.off))
        #expect(try parse(#"record "off""#) == .record(.start(path: "off", format: .jsonl)))
    }

    @Test("expect: a trailing timeout= outside quotes is the option")
    func expect() throws {
        #expect(try parse("expect OK timeout=2") == .expect(.selected, text("OK"), timeoutMicros: 2_000_000))
        #expect(try parse("expect OK") == .expect(.selected, text("OK"), timeoutMicros: 10_000_000))
        #expect(try parse(#"expect #3 "HTTP/1.1 200""#) == .expect(.id(3), text("HTTP/1.1 200"), timeoutMicros: 10_000_000))
        #expect(try parse(#"expect #3 "a b" TIMEOUT=0.25"#) == .expect(.id(3), text("a b"), timeoutMicros: 250_000))
        #expect(try parse(#"expect "a timeout=2""#) == .expect(.selected, text("a timeout=2"), timeoutMicros: 10_000_000))
        #expect(try parse("expect timeout=1 x") == .expect(.selected, text("timeout=1 x"), timeoutMicros: 10_000_000))
        #expect(try parse(#"expect x"0d 0a" timeout=100ms"#) == .expect(.selected, Payload(bytes: [13, 10]), timeoutMicros: 100_000))
    }

    @Test("wait, select, sleep")
    func scripting() throws {
        #expect(try parse("wait connected") == .wait(.selected, .connected, timeoutMicros: 10_000_000))
        #expect(try parse("wait #1 connected timeout=5") == .wait(.id(1), .connected, timeoutMicros: 5_000_000))
        #expect(try parse("wait data") == .wait(.selected, .data, timeoutMicros: 10_000_000))
        #expect(try parse("wait timeout=0.25 closed") == .wait(.selected, .closed, timeoutMicros: 250_000))
        #expect(try parse("select #2") == .select(.id(2)))
        #expect(try parse("select .") == .select(.selected))
    }

    @Test("durations: seconds, fractions and units, in microseconds")
    func durations() throws {
        let cases: [(String, Int64)] = [
            ("0", 0), ("2", 2_000_000), ("0.5", 500_000), (".5", 500_000), ("1.", 1_000_000), ("1.5s", 1_500_000),
            ("500ms", 500_000), ("1.5ms", 1_500), ("250us", 250), ("1m", 60_000_000), ("0.000001", 1),
            ("0.0000019", 1), ("2S", 2_000_000), ("100000000000", 100_000_000_000_000_000),
            // One duration parser everywhere (issue 8): minutes and hours, fractions of them too.
            ("1h", 3_600_000_000), ("1.5m", 90_000_000), ("1.5h", 5_400_000_000), ("2min", 120_000_000), ("250µs", 250),
        ]
        for (typed, micros) in cases {
            #expect(try parse("sleep \(typed)") == .sleep(micros: micros), "\(typed)")
        }
    }

    @Test("echo keeps the rest raw; source, set, help, quit")
    func session() throws {
        #expect(try parse("echo hello   world") == .echo("hello   world"))
        #expect(try parse("echo") == .echo(""))
        #expect(try parse(#"echo "raw\n" #3"#) == .echo(#""raw\n" #3"#))
        #expect(try parse("source session.txt") == .source(path: "session.txt"))
        #expect(try parse(#"source "a b.txt""#) == .source(path: "a b.txt"))
        #expect(try parse("set") == .set(name: nil, value: nil))
        #expect(try parse("set eol") == .set(name: "eol", value: nil))
        #expect(try parse("set eol crlf") == .set(name: "eol", value: "crlf"))
        #expect(try parse("set EOL=crlf") == .set(name: "EOL", value: "crlf"))
        #expect(try parse("set logcap 64 MiB") == .set(name: "logcap", value: "64 MiB"))
        #expect(try parse("help") == .help(nil))
        #expect(try parse("help listen") == .help(.listen))
        #expect(try parse("help EXIT") == .help(.quit))
        #expect(try parse("? send") == .help(.send))
        for line in ["quit", "exit", "q", "QUIT", "  Exit  "] {
            #expect(try parse(line) == .quit, "\(line)")
        }
    }

    @Test("the seed's flows, line by line")
    func seedFlows() throws {
        let script = [
            "listen 127.0.0.1:5000 backlog=4",
            #"banner #1 "Welcome to php socket server version 1.0 \n""#,
            #"reply #1 "OK ... {data}""#,
            "connect 127.0.0.1:5000",
            "sendl #2 hello",
            "expect #2 OK timeout=2",
            "reply #1 reverse",
            "listen udp 127.0.0.1:6000 reply=echo",
            "send #2 to=127.0.0.1:6000 hi",
            #"http example.org:80 /"#,
            "scan 127.0.0.1 20-25,80,443",
            "pair",
            "shutdown #3 wr",
            "close #3",
            "quit",
        ]
        let names = try script.map { line throws(ParseError) in try parse(line)?.name }
        #expect(names == [.listen, .banner, .reply, .connect, .sendl, .expect, .reply, .listen, .send, .http, .scan,
                          .pair, .shutdown, .close, .quit])
    }

    @Test("endpoints print as typed")
    func endpointDescriptions() {
        #expect(localhost5000.description == "127.0.0.1:5000")
        #expect(EndpointSpec.hostPort(host: "::1", port: 80).description == "[::1]:80")
        #expect(EndpointSpec.allInterfaces(port: 5000).description == "*:5000")
        #expect(EndpointSpec.path("/tmp/s.sock").description == "/tmp/s.sock")
    }
}
