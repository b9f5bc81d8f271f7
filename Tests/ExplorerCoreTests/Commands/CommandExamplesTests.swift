// CommandExamplesTests — every registered command's help examples parse to that command, and at
// least one of them runs successfully in a real session on 127.0.0.1 (ports and files of the
// examples replaced by the session's own), so `help` never shows a line that does not work.

import Foundation
import Testing
@testable import ExplorerCore

@Suite("Command examples")
struct CommandExamplesTests {
    /// What a fresh session holds before an example runs: #1 a TCP listener, #2 a connection to it,
    /// #3 its accepted end (selected), #4 a UDP socket, #5 a manual-accept listener with one peer
    /// pending, #6 a Unix listener; a file to send and a script to source.
    private final class Stage {
        let session: EngineSession
        let directory: TemporaryDirectory
        let tcpPort: UInt16
        let udpPort: UInt16
        let pending: PeerConnection

        init() throws {
            session = try EngineSession()
            directory = try TemporaryDirectory()
            #expect(session.status("listen 0").ok)
            tcpPort = session.port(of: 1)
            #expect(session.run("connect 127.0.0.1:\(tcpPort)", "wait #1 connected", "listen udp 0").allOK)
            udpPort = session.port(of: 4)
            #expect(session.status("listen 0 accept=manual").ok)
            pending = try PeerConnection.connect(port: session.port(of: 5))
            #expect(session.status("listen unix \(directory.file("s.sock"))").ok)
            #expect(session.status("select #3").ok)
            try Data("GET / HTTP/1.0\r\n\r\n".utf8).write(to: URL(fileURLWithPath: directory.file("request.bin")))
            try Data("echo sourced\n".utf8).write(to: URL(fileURLWithPath: directory.file("session.txt")))
        }

        /// The example with the stage's own ports, paths and sockets in place of the illustrative ones.
        func localized(_ example: String) -> String {
            var line = example
            let replacements = [
                ("127.0.0.1:5000", "127.0.0.1:\(tcpPort)"), ("127.0.0.1:6000", "127.0.0.1:\(udpPort)"),
                ("127.0.0.1:8080", "127.0.0.1:\(tcpPort)"), ("/tmp/s.sock", directory.file("s.sock")),
                ("/tmp/r.sock", directory.file("r.sock")),
                ("accept #1", "accept #5"), ("@request.bin", "@" + directory.file("request.bin")),
                ("session.txt", directory.file("session.txt")), ("session.log", directory.file("session.log")),
                ("dump.jsonl", directory.file("dump.jsonl")), ("session.jsonl", directory.file("session.jsonl")),
                ("#2 to=", "#4 to="),
            ]
            for (from, to) in replacements { line = line.replacingOccurrences(of: from, with: to) }
            return line
        }
    }

    /// Examples that reach beyond this machine's loopback or bind every interface are not run.
    private static func staysLocal(_ example: String) -> Bool {
        !example.contains("example.org") && !example.contains("*:") && !example.contains("localhost 1-1024")
    }

    /// What some commands need first, as a user would type it before the example.
    private static let preludes: [String: [String]] = [
        "recv": ["pause #3", "send #2 0123456789abcdef0123"],
        "resume": ["pause #3"],
        "expect": ["send #2 \"OK HTTP/1.1 200\""],
        "wait": ["send #2 x"],
        "banner": ["select #1"],
        "http": ["listen 0 reply=\"HTTP/1.0 200 OK\\r\\n\\r\\n\""],
        "copy": ["send #2 copy me"],
        // A relay (#7) in front of #1 with one client (#8) through it: #9 ⇄ #10 (#11 is #1's end).
        "intercept": relayPair,
        "forward": relayPair + ["intercept #9 on", "send #8 hello", "wait #9 data"],
        "drop": relayPair + ["intercept #9 on", "send #8 hello", "wait #9 data"],
        "bind": ["socket tcp"],
        "read": ["pause #3", "send #2 hello"],
    ]

    private static let relayPair = ["relay unix /tmp/r.sock 127.0.0.1:5000", "connect unix /tmp/r.sock", "wait #7 connected",
                                            "wait #1 connected", "select #9"]

    @Test("every example parses to its own command", arguments: CommandCatalog.commands)
    func examplesParse(info: CommandInfo) throws {
        #expect(!info.examples.isEmpty, "\(info.word) has no example")
        for example in info.examples {
            #expect(try CommandParser.parse(example)?.name == info.name, "\(example)")
        }
    }

    @Test("every command has an example that runs in a real session", arguments: CommandCatalog.commands)
    func anExampleRuns(info: CommandInfo) throws {
        var outcomes: [String] = []
        for example in info.examples where Self.staysLocal(example) {
            let stage = try Stage()
            defer { stage.pending.close() }
            var line = stage.localized(example)
            if info.word == "http" {
                #expect(stage.session.run(Self.preludes["http"] ?? []).allOK)
                line = line.replacingOccurrences(of: "\(stage.tcpPort)", with: "\(stage.session.port(of: 7))")
            } else if info.word == "starttls" {
                // The other end's handshake runs in the background, as if typed at the prompt.
                stage.session.engine.submit("starttls #3 server")
            } else if info.word == "replay" {
                // A recording of #2 to replay: its sends, read back by #3, its peer.
                let recording = stage.localized("session.jsonl")
                #expect(stage.session.run(["record \(recording)", "send #2 hello", "expect #3 hello", "record off"]).allOK)
            } else if let prelude = Self.preludes[info.word], !prelude.isEmpty {
                #expect(stage.session.run(prelude.map(stage.localized)).allOK, "prelude of \(info.word)")
            }
            // `copy` writes to the screen's clipboard: here, to a variable.
            var copied: [UInt8] = []
            if info.word == "copy" { stage.session.engine.clipboard = { copied = $0 } }
            let statuses = stage.session.run([line], timeout: 15)
            if info.word == "copy" && statuses.allOK { #expect(!copied.isEmpty, "\(line) copied nothing") }
            if statuses.allOK { return }
            outcomes.append("\(line) → \(statuses)")
        }
        Issue.record("no example of \(info.word) ran: \(outcomes)")
    }
}

extension CommandInfo: CustomTestStringConvertible {
    public var testDescription: String { word }
}
