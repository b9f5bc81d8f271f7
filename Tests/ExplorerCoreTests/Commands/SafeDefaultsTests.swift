// SafeDefaultsTests.swift — safe unless told otherwise: `listen PORT` is loopback only, anything
// wider says so in the log, and no reply, template, banner or payload ever runs anything.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct SafeDefaultsTests {
    /// Loopback forms bind loopback and stay quiet; no warning line follows them.
    @Test(arguments: ["0", "localhost:0", "127.0.0.1:0", "udp 0"])
    func loopbackListensWithoutAWarning(_ spec: String) throws {
        let session = try EngineSession()
        #expect(session.status("listen \(spec)").ok)
        #expect(session.entry(1)?.local?.host == "127.0.0.1")
        #expect(session.lines.count == 1, "\(session.lines)")
        #expect(session.lines(containing: "!").isEmpty)
    }

    /// `*:PORT` and explicit wildcard addresses bind every interface, and the log says so at once.
    @Test(arguments: [("*:0", "::"), ("0.0.0.0:0", "0.0.0.0"), ("udp 0.0.0.0:0", "0.0.0.0"), ("[::]:0", "::")])
    func wildcardListensWarn(_ spec: String, host: String) throws {
        if host == "::" && !ipv6LoopbackAvailable() { return }
        let session = try EngineSession()
        #expect(session.status("listen \(spec)").ok)
        #expect(session.entry(1)?.local?.host == host)
        #expect(session.lines.last == "#1 ! bound to all interfaces: other machines can connect", "\(session.lines)")
    }

    /// Templates, replies and banners are bytes: shell syntax in them is sent literally and runs nothing.
    @Test func repliesAndTemplatesNeverExecuteAnything() throws {
        let directory = try TemporaryDirectory()
        let marker = directory.file("ran")
        let shellish = "$(touch \(marker)) `touch \(marker)` ; touch \(marker) | sh -c 'touch \(marker)'"
        let session = try EngineSession()
        #expect(session.status(#"listen 0 reply="got {data} \#(shellish)""#).ok)
        #expect(session.status(#"banner #1 "\#(shellish)\n""#).ok)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        let banner = Array("\(shellish)\n".utf8)
        #expect(session.read(peer, count: banner.count) == banner)
        peer.send("$(id)")
        let answer = Array("got $(id) \(shellish)".utf8)
        #expect(session.read(peer, count: answer.count) == answer)
        #expect(session.status(#"send #2 "$(touch \#(marker))""#).ok)
        #expect(session.read(peer, count: 9 + marker.utf8.count) == Array("$(touch \(marker))".utf8))
        #expect(session.status("reply #2 echo").ok)
        peer.send("`touch \(marker)`")
        #expect(session.read(peer, count: 8 + marker.utf8.count) == Array("`touch \(marker)`".utf8))
        #expect(!FileManager.default.fileExists(atPath: marker), "something ran a shell")
    }

    /// A script full of shell lines is a script of unknown commands: each fails, none runs.
    @Test func shellLinesInAScriptAreUnknownCommands() throws {
        let directory = try TemporaryDirectory()
        let marker = directory.file("ran")
        try directory.write("script.txt", "touch \(marker)\n!touch \(marker)\n$(touch \(marker))\nsh -c 'touch \(marker)'\n")
        let session = try EngineSession()
        let statuses = session.run(["source \(directory.file("script.txt"))"], keepGoing: true)
        #expect(statuses.first?.ok == true)
        #expect(statuses.dropFirst().map(\.ok) == [false, false, false, false], "\(statuses)")
        #expect(statuses.dropFirst().allSatisfy { $0.message.contains("unknown command") }, "\(statuses)")
        #expect(!FileManager.default.fileExists(atPath: marker), "something ran a shell")
    }

    /// No source file of sockpit calls anything that starts a program.
    @Test func noSourceFileStartsAProgram() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        #expect(files.count > 50, "the sources were not found at \(sources.path)")
        let pattern = #"\b(system|popen|posix_spawnp?|execl[pe]?|execv[pe]?|execve|fork|vfork)\s*\(|/bin/(ba)?sh\b|\bProcess\(\)"#
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            #expect(code.range(of: pattern, options: .regularExpression) == nil, "\(file) starts a program")
        }
    }
}
