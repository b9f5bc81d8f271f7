// Tests of CommandParser errors: each names the command, says what was wrong, and carries the usage.

import Testing
@testable import ExplorerCore

/// The error `line` gives, or nil if it parses.
func failure(_ line: String) -> ParseError? {
    do {
        _ = try CommandParser.parse(line)
        return nil
    } catch {
        return error
    }
}

/// The error detail of `line`, after checking the error names `command` and carries its usage.
func detail(_ line: String, command: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    guard let error = failure(line) else {
        Issue.record("\(line) parsed", sourceLocation: sourceLocation)
        return nil
    }
    #expect(error.command == command, sourceLocation: sourceLocation)
    #expect(error.usage == CommandCatalog.lookup(command)?.usage, sourceLocation: sourceLocation)
    return error.detail
}

@Suite("Command parser: errors")
struct CommandParserErrorTests {
    @Test("whole messages: command, detail and usage")
    func wholeMessages() {
        #expect(failure("listen abc")?.message
            == #"listen: expected [HOST:]PORT or PATH, got "abc" — usage: listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]"#)
        #expect(failure("listen 70000")?.message
            == "listen: port 70000 out of range 0–65535 — usage: listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]")
        #expect(failure(#"send #3 "abc"#)?.message
            == "send: unterminated quote starting at column 9 — usage: send [TARGET] [to=HOST:PORT] PAYLOAD")
        #expect(failure("quit now")?.message == #"quit: unexpected "now" — usage: quit"#)
        #expect(failure("shutdown #3")?.message == "shutdown: expected rd, wr or rdwr — usage: shutdown [TARGET] rd|wr|rdwr")
    }

    @Test("unknown commands suggest the closest")
    func unknownCommands() {
        #expect(failure("lsten 5000")?.message == #"unknown command "lsten" (did you mean listen?)"#)
        #expect(failure("sned hi")?.message == #"unknown command "sned" (did you mean send?)"#)
        #expect(failure("conect x:1")?.message == #"unknown command "conect" (did you mean connect?)"#)
        #expect(failure("lis")?.message == #"unknown command "lis" (did you mean listen?)"#)
        #expect(failure("qit")?.message == #"unknown command "qit" (did you mean quit?)"#)
        #expect(failure("frobnicate")?.message == #"unknown command "frobnicate""#)
        #expect(failure("s")?.message == #"unknown command "s""#)
        #expect(failure("send\"hi\"")?.message == #"unknown command "send"hi"""#)
        #expect(failure("\u{1B}[2J")?.message == #"unknown command "\x1b[2J""#)
        #expect(failure("\u{202E}olleh")?.message == #"unknown command "\u{202E}olleh""#)
        #expect(failure("help lsten")?.message == #"help: unknown command "lsten" (did you mean listen?) — usage: help [COMMAND]"#)
    }

    @Test("a line starting with a target is not a comment")
    func targetFirst() {
        #expect(failure("#3 send hi")?.message
            == "a line cannot start with a target (#3): put the command first, e.g. send #3 …; a comment is # followed by a non-digit")
    }

    @Test("listen")
    func listen() {
        #expect(detail("listen", command: "listen") == "expected [HOST:]PORT or PATH")
        #expect(detail("listen 5000 backlog=x", command: "listen") == "backlog=x: expected a number")
        #expect(detail("listen 5000 backlog=70000", command: "listen") == "backlog=70000 out of range 0–65535")
        #expect(detail("listen 5000 backlog=-1", command: "listen") == "backlog=-1: expected a number")
        #expect(detail("listen 5000 backlog=1 backlog=2", command: "listen") == "backlog= given twice")
        #expect(detail("listen 5000 foo=1", command: "listen") == #"unknown option "foo=1" (options: backlog=, reply=, accept=, mode=, cert=, key=, alpn=, clientcert=, ca=)"#)
        #expect(detail("listen 5000 accept=maybe", command: "listen") == "accept=maybe: expected auto or manual")
        #expect(detail(#"listen 5000 reply="abc"#, command: "listen") == #"reply="abc: unterminated quote starting at column 19"#)
        #expect(detail("listen 5000 reply=", command: "listen") == "reply=: expected off, echo, reverse or a template")
        #expect(detail(#"listen 5000 reply="""#, command: "listen") == #"reply="": empty template; to stop replying use off"#)
        #expect(detail("listen udp 6000 backlog=5", command: "listen")
            == "backlog= does not apply to udp, which has no connections to accept")
        #expect(detail("listen udp 6000 accept=manual", command: "listen")
            == "accept= does not apply to udp, which has no connections to accept")
        #expect(detail("listen tcp /tmp/x", command: "listen") == #"tcp takes HOST:PORT, not a path ("/tmp/x")"#)
        #expect(detail("listen 5000 extra", command: "listen") == #"unexpected "extra""#)
        #expect(detail("listen *", command: "listen") == #"expected [HOST:]PORT or PATH, got "*""#)
    }

    @Test("addresses")
    func addresses() {
        #expect(detail("listen ::1:80", command: "listen") == #"IPv6 addresses need brackets, e.g. [::1]:80, got "::1:80""#)
        #expect(detail("listen [::1]", command: "listen") == #"expected [HOST:]PORT or PATH, got "[::1]""#)
        #expect(detail("listen [::1", command: "listen") == #"missing ] in "[::1""#)
        #expect(detail("listen [::1]80", command: "listen") == #"expected :PORT after ] in "[::1]80""#)
        #expect(detail("listen [zz]:80", command: "listen") == #"invalid IPv6 address "zz""#)
        #expect(detail("listen 1.2.3.999:80", command: "listen") == #"invalid IPv4 address "1.2.3.999""#)
        #expect(detail("listen 1.2.3:80", command: "listen") == #"invalid IPv4 address "1.2.3""#)
        #expect(detail("listen bad$host:80", command: "listen") == #"invalid host name "bad$host""#)
        #expect(detail("listen 127.0.0.1:", command: "listen") == #"expected a port number after ":""#)
        #expect(detail("listen 127.0.0.1:http", command: "listen") == #"expected a port number, got "http""#)
        #expect(detail("listen 99999999999999999999", command: "listen") == "port 99999999999999999999 out of range 0–65535")
        #expect(detail("listen unix /" + String(repeating: "a", count: 107), command: "listen")
            == "Unix socket path is 108 bytes; the kernel allows 107")
        #expect(detail(#"listen unix "a\0b""#, command: "listen") == "a Unix socket path cannot contain a NUL byte")
    }

    @Test("connect")
    func connect() {
        #expect(detail("connect", command: "connect") == "expected HOST:PORT or PATH")
        #expect(detail("connect *:80", command: "connect") == "*:PORT (every interface) is only for listen")
        #expect(detail("connect 127.0.0.1:0", command: "connect")
            == "port 0 is no destination (0 asks the kernel for a free port when listening)")
        #expect(detail("connect example.org", command: "connect") == #"expected HOST:PORT or PATH, got "example.org""#)
        #expect(detail("connect 1.2.3.4:2 timeout=abc", command: "connect")
            == "timeout=abc: expected a duration such as 2, 0.5 or 500ms")
        #expect(detail("connect 1.2.3.4:2 timeout=-1", command: "connect")
            == "timeout=-1: expected a duration such as 2, 0.5 or 500ms")
        #expect(detail("connect unix /tmp/s from=1.2.3.4", command: "connect") == "from= applies to tcp and udp, not unix")
        #expect(detail("connect 127.0.0.1:80 from=*:0", command: "connect")
            == "from=*:0: *:PORT (every interface) is only for listen")
        #expect(detail("connect 127.0.0.1:80 from=1.2.3.4:99999", command: "connect")
            == "from=1.2.3.4:99999: port 99999 out of range 0–65535")
        #expect(detail("connect 127.0.0.1:80 backlog=3", command: "connect")
            == #"unknown option "backlog=3" (options: timeout=, from=, sni=, alpn=, verify=, ca=, cert=, key=)"#)
    }

    @Test("targets")
    func targets() {
        #expect(detail("accept *", command: "accept") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("accept 3", command: "accept") == #"expected a target (#N, . or *), got "3" — did you mean #3?"#)
        #expect(detail("accept #0", command: "accept") == "no socket #0: ids start at #1")
        #expect(detail("close #99999999999", command: "close") == "socket id #99999999999 is too large")
        #expect(detail("close #1000000000", command: "close") == "socket id #1000000000 is too large")
        #expect(detail("close abc", command: "close") == #"expected a target (#N, . or *), got "abc""#)
        #expect(detail("close #3 #4", command: "close") == ##"unexpected "#4""##)
        #expect(detail("select", command: "select") == "expected a target (#N, . or *)")
        #expect(detail("select *", command: "select") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("select 2", command: "select") == #"expected a target (#N, . or *), got "2" — did you mean #2?"#)
        #expect(detail("filter 3", command: "filter") == #"expected a target (#N, . or *), got "3" — did you mean #3?"#)
        #expect(detail("send #0 hi", command: "send") == "no socket #0: ids start at #1")
    }

    @Test("send and sendl")
    func send() {
        #expect(detail("send", command: "send") == "expected a payload")
        #expect(detail("send #3", command: "send") == ##"expected a payload after #3 (to send "#3" itself, quote it)"##)
        #expect(detail("send .", command: "send") == #"expected a payload after . (to send "." itself, quote it)"#)
        #expect(detail("send *", command: "send") == #"expected a payload after * (to send "*" itself, quote it)"#)
        #expect(detail(#"send x"zz""#, command: "send") == #"invalid hex digit 'z' in x"zz""#)
        #expect(detail(#"send "\q""#, command: "send") == #"unknown escape \q"#)
        #expect(detail("send to=abc hi", command: "send") == "to=abc: expected HOST:PORT")
        #expect(detail("send to=1.2.3.4:0 hi", command: "send")
            == "to=1.2.3.4:0: port 0 is no destination (0 asks the kernel for a free port when listening)")
        #expect(detail("send to=*:53 hi", command: "send") == "to=*:53: *:PORT (every interface) is only for listen")
        #expect(detail("send #2 to=1.2.3.4:53", command: "send") == "expected a payload after #2 (to send \"#2\" itself, quote it)")
        #expect(detail(#"sendl "\u{110000}""#, command: "sendl") == #"\u{110000} is not a Unicode scalar"#)
    }

    @Test("recv")
    func recv() {
        #expect(detail("recv all", command: "recv") == "all needs a byte count: recv N all")
        #expect(detail("recv 0", command: "recv") == "byte count 0 out of range 1–16777216")
        #expect(detail("recv 16777217", command: "recv") == "byte count 16777217 out of range 1–16777216")
        #expect(detail("recv x", command: "recv") == #"expected a byte count N or all, got "x""#)
        #expect(detail("recv 1 2", command: "recv") == #"expected a byte count N or all, got "2""#)
        #expect(detail("recv 1 all all", command: "recv") == #"expected a byte count N or all, got "all""#)
        #expect(detail("recv *", command: "recv") == "* (every connection) cannot be used here; name one socket")
    }

    @Test("shutdown, reply, banner, sockopt")
    func socketControl() {
        #expect(detail("shutdown #3 both", command: "shutdown") == #"expected rd, wr or rdwr, got "both""#)
        #expect(detail("shutdown #3 wr rd", command: "shutdown") == #"unexpected "rd""#)
        #expect(detail("reply #1", command: "reply") == "expected off, echo, reverse or a template")
        #expect(detail(#"reply #1 """#, command: "reply") == "empty template; to stop replying use off")
        #expect(detail(#"reply x"1""#, command: "reply") == #"odd number of hex digits in x"1""#)
        #expect(detail("banner #1", command: "banner") == "expected a payload or off")
        #expect(detail(#"banner """#, command: "banner") == "empty banner; to remove it use off")
        #expect(detail("banner * hi", command: "banner") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("sockopt nodelay=", command: "sockopt") == "expected a value after nodelay=")
        #expect(detail("sockopt =1", command: "sockopt") == #"expected an option name, got "=1""#)
        #expect(detail("sockopt nodelay=1 extra", command: "sockopt") == #"unexpected "extra""#)
    }

    @Test("resolve, scan, http")
    func tools() {
        #expect(detail("resolve", command: "resolve") == "expected a host name or address")
        #expect(detail("resolve a b", command: "resolve") == #"unexpected "b""#)
        #expect(detail("resolve bad/host", command: "resolve") == #"invalid host name "bad/host""#)
        #expect(detail("scan", command: "scan") == "expected a host and ports, e.g. scan 127.0.0.1 20-25,80")
        #expect(detail("scan 127.0.0.1", command: "scan") == "expected ports such as 20-25,80,443")
        #expect(detail("scan h 0", command: "scan") == "port 0 out of range 1–65535")
        #expect(detail("scan h 70000", command: "scan") == "port 70000 out of range 1–65535")
        #expect(detail("scan h 25-20", command: "scan") == "backwards range 25-20 in port list")
        #expect(detail("scan h 80,,443", command: "scan") == #"empty item in port list "80,,443""#)
        #expect(detail("scan h 80,", command: "scan") == #"empty item in port list "80,""#)
        #expect(detail("scan h http", command: "scan") == #"expected a port or a range such as 20-25, got "http""#)
        #expect(detail("scan h 1-2-3", command: "scan") == #"expected a port or a range such as 20-25, got "1-2-3""#)
        #expect(detail("scan h 80 timeout=x", command: "scan") == "timeout=x: expected a duration such as 2, 0.5 or 500ms")
        #expect(detail("starttls client clientcert=ask", command: "starttls")
            == "clientcert= is a server option (listen tls, starttls server)")
        #expect(detail("http example.org / verify=off", command: "http") == "verify= is a TLS option: give an https:// address")
        #expect(detail("connect 127.0.0.1:1 sni=x", command: "connect") == "sni= is a TLS option: write connect tls …")
        #expect(detail("starttls server verify=off", command: "starttls") == "verify= is a client option (connect tls, starttls client)")
        #expect(detail("connect tls 127.0.0.1:1 key=k.pem", command: "connect") == "key= needs its certificate: give cert=FILE too")
        #expect(detail("listen tls 0 clientcert=maybe", command: "listen") == "clientcert=maybe: expected off, ask or require")
        #expect(detail("http example.org index.html", command: "http")
            == #"expected a PATH starting with /, got "index.html""#)
        #expect(detail("http / /", command: "http") == #"unexpected "/""#)
        #expect(detail("http http://x.org/a /b", command: "http") == #"unexpected "/b""#)
        #expect(detail("http *", command: "http") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("http example.org:0", command: "http")
            == "port 0 is no destination (0 asks the kernel for a free port when listening)")
    }

    @Test("display and files")
    func display() {
        #expect(detail("trace", command: "trace") == "expected on or off")
        #expect(detail("trace maybe", command: "trace") == #"expected on or off, got "maybe""#)
        #expect(detail("view", command: "view") == "expected text, hex or both")
        #expect(detail("view raw", command: "view") == #"expected text, hex or both, got "raw""#)
        #expect(detail("find", command: "find") == "expected a payload")
        #expect(detail(#"find """#, command: "find") == "expected a non-empty payload")
        #expect(detail("clear all", command: "clear") == #"expected closed or nothing, got "all""#)
        #expect(detail("pair x=1", command: "pair") == #"unknown option "x=1" (takes no options)"#)
        #expect(detail("save", command: "save") == "expected a file name")
        #expect(detail("save a.log xml", command: "save") == #"expected text, hex, jsonl, pcapng, raw or all, got "xml""#)
        #expect(detail(#"save """#, command: "save") == "empty file name at column 6")
        #expect(detail(#"save "a"b"#, command: "save") == #"unexpected text after the closing quote in ""a"b""#)
        #expect(detail("record", command: "record") == "expected a file name or off")
        #expect(detail("record off now", command: "record") == #"unexpected "now""#)
        #expect(detail(#"source "a"#, command: "source") == "unterminated quote starting at column 8")
        #expect(detail("source", command: "source") == "expected a file name")
    }

    @Test("expect, wait, sleep, help")
    func scripting() {
        #expect(detail("expect", command: "expect") == "expected a payload")
        #expect(detail("expect timeout=2", command: "expect") == "expected a payload")
        #expect(detail("expect OK timeout=x", command: "expect") == "timeout=x: expected a duration such as 2, 0.5 or 500ms")
        #expect(detail(#"expect """#, command: "expect") == "expected a non-empty payload")
        #expect(detail("expect * OK", command: "expect") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("wait", command: "wait") == "expected connected, closed or data")
        #expect(detail("wait #1 ready", command: "wait") == #"expected connected, closed or data, got "ready""#)
        #expect(detail("wait * data", command: "wait") == "* (every connection) cannot be used here; name one socket")
        #expect(detail("wait data timeout=1x", command: "wait") == "timeout=1x: expected a duration such as 2, 0.5 or 500ms")
        #expect(detail("sleep", command: "sleep") == "expected a duration such as 2, 0.5 or 500ms")
        for bad in ["x", "-1", "1d", "1e3", ".", "ms", "1.2.3", "1000000000000"] {
            #expect(detail("sleep \(bad)", command: "sleep")
                == "expected a duration such as 2, 0.5 or 500ms, got \"\(bad)\"", "\(bad)")
        }
        #expect(detail("sleep 1 2", command: "sleep") == #"unexpected "2""#)
        #expect(detail("help listen send", command: "help") == #"unexpected "send""#)
    }
}
