// PeerNamesTests.swift — peer-controlled text that is not data: a Unix peer names its own socket
// path (any bytes, NUL included in the abstract namespace), and paths typed by the user come back
// in statuses, events and failure reasons. All of it reaches the log, `info`, saved files and
// the socket table escaped by the one sanitizer — never raw, never as U+FFFD.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct PeerNamesTests {
    /// A Unix stream client bound to `name` (raw bytes: a filesystem path, or a leading NUL for
    /// the abstract namespace) and connected to `path`.
    private func unixClient(boundTo name: [UInt8], connectTo path: String) throws -> PeerConnection {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        let length = socklen_t(pathOffset + name.count + (name.first == 0 ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw PeerError("bind of the hostile client name failed: errno \(code)")
        }
        let peer = PeerConnection(fd: fd)
        let connected = PeerEndpoint.unix(path).withSockAddr { Glibc.connect(fd, $0, $1) }
        guard connected == 0 else {
            peer.close()
            throw PeerError("connect \(path) failed: errno \(errno)")
        }
        return peer
    }

    /// Everything the session wrote for people: log lines, statuses, the table's addresses and reasons.
    private func everythingShown(_ session: EngineSession) -> [String] {
        var shown = session.lines + session.statuses.map(\.message)
        for id in session.engine.table.order {
            guard let entry = session.engine.table[id] else { continue }
            shown += [entry.requested, entry.local?.description ?? "", entry.remote?.description ?? "", entry.state.name]
            if case .failed(let reason) = entry.state { shown.append(reason) }
        }
        return shown
    }

    @Test func aUnixPeerPathFullOfEscapesIsShownEscaped() throws {
        let directory = try TemporaryDirectory()
        let listenPath = directory.file("l.sock")
        let session = try EngineSession()
        #expect(session.run("listen unix \(listenPath)", "record \(directory.file("record.txt")) text").allOK)
        // ESC ] 0 ; pwned BEL (a title change), an RLO, and a byte that is not UTF-8.
        let hostile = Array("\(directory.path)/c\u{1b}]0;pwned\u{07}\u{202E}".utf8) + [0xFF] + Array(".sock".utf8)
        let peer = try unixClient(boundTo: hostile, connectTo: listenPath)
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))

        let shown = #"\#(directory.path)/c\x1b]0;pwned\x07\u{202E}\xff.sock"#
        #expect(session.entry(2)?.remote == .unix(path: shown))
        #expect(session.lines.last == "#2 accepted \(shown) via #1")
        #expect(session.status("info #2").ok)
        #expect(session.lines.contains("  remote \(shown)   (getpeername)"), "\(session.lines)")
        for format in ["text", "jsonl", "hex"] {
            #expect(session.status("save \(directory.file("log.\(format)")) \(format)").ok)
            let saved = directory.read("log.\(format)") ?? []
            #expect(TerminalSafety.activeScalars(saved) == [], "save \(format)")
        }
        #expect(session.status("record off").ok)
        let recorded = directory.read("record.txt") ?? []
        #expect(TerminalSafety.activeScalars(recorded) == [], "record text")
        #expect(String(decoding: recorded, as: UTF8.self).contains("#2 accepted \(shown) via #1\n"))
        let json = String(decoding: directory.read("log.jsonl") ?? [], as: UTF8.self)
        #expect(json.contains(#""text":"accepted \#(directory.path)/c\\x1b]0;pwned\\x07\\u{202E}\\xff.sock via #1""#), "\(json)")
        for text in everythingShown(session) {
            #expect(TerminalSafety.activeScalars(text) == [], "\(text)")
        }
    }

    /// The abstract namespace allows every byte, NUL included.
    @Test func anAbstractPeerNameWithNULAndC1IsShownEscaped() throws {
        let directory = try TemporaryDirectory()
        let listenPath = directory.file("l.sock")
        let session = try EngineSession()
        #expect(session.status("listen unix \(listenPath)").ok)
        let name: [UInt8] = [0] + Array("sockpit-\(getpid())-evil\u{1b}[2J".utf8) + [0x00, 0x9B, 0x31]
        let peer = try unixClient(boundTo: name, connectTo: listenPath)
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        let shown = #"@sockpit-\#(getpid())-evil\x1b[2J\x00\x9b1"#
        #expect(session.entry(2)?.remote == .unix(path: shown))
        #expect(session.lines.last == "#2 accepted \(shown) via #1")
        for text in everythingShown(session) {
            #expect(TerminalSafety.activeScalars(text) == [], "\(text)")
        }
    }

    /// Paths the user typed (or a script held) come back escaped in statuses, events and reasons.
    @Test func typedPathsWithControlsComeBackEscaped() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        let listenPath = "\(directory.path)/\u{1b}[1mX.sock"
        let shownListen = #"\#(directory.path)/\x1b[1mX.sock"#
        #expect(session.status("listen unix \(listenPath)") == Status.ok("#1 listening on unix \(shownListen)"))
        #expect(session.lines.last == "#1 listening unix \(shownListen) backlog 128")
        #expect(FileManager.default.fileExists(atPath: listenPath), "the socket file has the exact name typed")

        let missing = "\(directory.path)/\u{1b}]0;t\u{07}"
        let shownMissing = #"\#(directory.path)/\x1b]0;t\x07"#
        #expect(session.failing("connect unix \(missing)") == Status.error("connect \(shownMissing): ENOENT (No such file or directory)"))
        #expect(session.entry(2)?.state == .failed("connect \(shownMissing): ENOENT (No such file or directory)"))
        #expect(session.failing("save \(missing)/x") == Status.error("save \(shownMissing)/x: ENOENT (No such file or directory)"))
        #expect(session.failing("record \(missing)/x") == Status.error("open \(shownMissing)/x: ENOENT (No such file or directory)"))
        #expect(session.failing("send @\(missing)").message.hasPrefix("open @\(shownMissing): ENOENT"))
        #expect(session.failing("source \(missing)").message.hasSuffix("ENOENT (No such file or directory)"))
        #expect(session.run("trace on", "listen unix \(listenPath)").last?.ok == false)
        #expect(session.failing("connect ev\u{1b}[2Jil.invalid:80").message.hasPrefix(#"connect: invalid host name "ev\x1b[2Jil.invalid""#))
        #expect(session.failing("resolve exa\u{202E}mple.invalid").message.hasPrefix(#"resolve: invalid host name "exa\u{202E}mple.invalid""#))
        for text in everythingShown(session) {
            #expect(TerminalSafety.activeScalars(text) == [], "\(text)")
        }
    }

    /// A second `listen` on our own live Unix path fails without touching the first listener
    /// (the stale-socket probe used to connect to it, and the listener accepted the probe).
    @Test func listeningTwiceOnOurOwnUnixPathAcceptsNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("s.sock")
        let session = try EngineSession()
        #expect(session.status("listen unix \(path)").ok)
        let before = session.snapshot
        #expect(session.failing("listen unix \(path)") == Status.error("bind \(path): EADDRINUSE (Address already in use)"))
        #expect(session.snapshot == before, "\(session.lines)")
        // The accept queue is first in, first out: had the probe reached the listener, it would be
        // accepted before this peer, which would then not be #2 nor the only one accepted.
        let peer = try PeerConnection.connect(path: path)
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }), "the first listener still works")
        #expect(session.entry(2)?.parent == SocketID(1))
        #expect(session.entry(1)?.acceptedCount == 1, "the listener accepted something besides the peer")
    }
}
