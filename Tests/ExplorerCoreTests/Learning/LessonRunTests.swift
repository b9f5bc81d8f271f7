// LessonRunTests.swift — every lesson driven from `learn NAME` to its end in a real session on
// 127.0.0.1: each step's commands typed as the lesson shows them (the lesson's fixed ports
// replaced by free ones), the peers the lesson asks for started for real (the seed's PHP client,
// netcat), and each step must complete because the session showed it happened.

import ExplorerCore
import Foundation
import Glibc
import Testing

struct LessonRunTests {
    /// A port nobody uses now, of this socket type (the kernel's pick for port 0).
    private static func freePort(udp: Bool = false) -> UInt16 {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Runs `lesson` step by step; `peer(index, session, ports)` plays the parts typed elsewhere.
    private func drive(_ name: String, ports: [String: String], language: String = "en",
                       peer: (Int, EngineSession) throws -> Void = { _, _ in }) throws -> EngineSession {
        let lesson = try #require(Lessons.named(name))
        let session = try EngineSession()
        #expect(session.run("learn \(name) lang=\(language)").allOK)
        #expect(session.engine.lessonView?.completed == 0)
        for (index, step) in lesson.steps.enumerated() {
            try peer(index, session)
            for command in step.commands {
                var line = command
                for (from, to) in ports { line = line.replacingOccurrences(of: from, with: to) }
                // Bounded: a read may find only part of what the step waits for; the kernel's refusals
                // (the step that shows one) are what that step wants.
                for _ in 0..<4 {
                    _ = session.run([line], keepGoing: true)
                    if !line.hasPrefix("read") || session.engine.lessonView?.completed ?? 0 > index { break }
                }
            }
            #expect(session.pump(until: { (session.engine.lessonView?.completed ?? 0) > index }),
                    "\(name): step \(index + 1) \(step.commands) did not complete: \(session.lines.suffix(12))")
        }
        #expect(session.engine.lessonView?.isFinished == true)
        #expect(session.lines.contains { $0.contains("done: \(name)") || $0.contains("完成：\(name)") })
        return session
    }

    @Test func theServerLessonWithTheSeedsClient() throws {
        let port = "\(Self.freePort())"
        var client: ScriptProcess?
        _ = try drive("server", ports: ["1935": port]) { index, _ in
            if index == 4 { client = try PHPPeers.start("seed_client.php", ["127.0.0.1", port, "10"]) }
        }
        let finished = try #require(client)
        #expect(finished.finish() == 0, "\(finished.transcript)")
        #expect(finished.stdout.contains("接受的内容为:测试成功！\n"), "\(finished.transcript)")
    }

    @Test func theClientLesson() throws {
        let session = try drive("client", ports: ["1935": "\(Self.freePort())"])
        #expect(session.bytes(.recv, on: 2).starts(with: Array("测试成功！\n".utf8)))
    }

    @Test func theReverseLessonWithNetcat() throws {
        let port = "\(Self.freePort())"
        var nc: ScriptProcess?
        _ = try drive("reverse", ports: ["1234": port]) { index, session in
            if index == 3 { nc = try ScriptProcess("nc", ["-w", "10", "127.0.0.1", port]) }
            if index == 6 { nc?.write("hello\n") }
        }
        let client = try #require(nc)
        #expect(client.waitFor { $0.stdout.contains("olleh\n") }, "\(client.transcript)")
        client.finish()
    }

    @Test func theSelectLessonWithTwoClients() throws {
        let port = "\(Self.freePort())"
        var clients: [ScriptProcess] = []
        _ = try drive("select", ports: ["5000": port]) { index, _ in
            if index == 4 || index == 5 { clients.append(try ScriptProcess("nc", ["-w", "10", "127.0.0.1", port])) }
            if index == 6 { clients.first?.write("hi\n") }
        }
        #expect(clients.count == 2)
        #expect(clients[0].waitFor { $0.stdout.contains("OK ... hi\n") }, "\(clients[0].transcript)")
        for client in clients { client.finish() }
    }

    @Test func theUDPLesson() throws {
        _ = try drive("udp", ports: ["6000": "\(Self.freePort(udp: true))", "6001": "\(Self.freePort(udp: true))"])
    }

    @Test func theHTTPLesson() throws {
        let session = try drive("http", ports: ["8080": "\(Self.freePort())"])
        #expect(String(decoding: session.bytes(.recv, on: 2), as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func theScanLessonInChinese() throws {
        let open = Self.freePort()
        let closed = Self.freePort()
        let session = try drive("scan", ports: ["1930-1940": "\(open),\(closed)", "1935": "\(open)", "1936": "\(closed)"],
                                language: "zh")
        #expect(session.lines.contains { $0.contains("内核做了什么") })
    }

    @Test func learnListsSkipsAndStops() throws {
        let session = try EngineSession()
        #expect(session.status("learn").ok)
        for lesson in Lessons.all { #expect(session.lines.contains { $0.hasPrefix("  \(lesson.name) ") }) }
        #expect(!session.status("learn next").ok)
        #expect(session.status("learn 5").ok)
        #expect(session.engine.lessonView?.lesson.name == "udp")
        #expect(session.status("learn next").ok)
        #expect(session.engine.lessonView?.completed == 1)
        // The bind step is next: a socket that is only created does not complete it.
        #expect(session.run("socket udp").allOK)
        #expect(session.engine.lessonView?.completed == 1)
        #expect(session.run("bind #1 127.0.0.1:0").allOK)
        #expect(session.engine.lessonView?.completed == 2)
        #expect(session.status("learn stop").ok)
        #expect(session.engine.lessonView == nil)
        #expect(!session.status("learn nosuch").ok)
    }
}
