// ReplayTests — `replay FILE socket=#N …` from sockpit's own record files (JSON lines and pcapng)
// against real servers on loopback: the same chunks in order, recorded gaps kept or dropped,
// `wait=on` against a request/response peer, `received`, and damaged files refused before anything
// is sent.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct ReplayTests {
    /// Records #1 (a connection to a collector) sending `chunks`, `gap` seconds apart; returns the file.
    private func recordSends(_ chunks: [String], gap: String? = nil, as name: String, in directory: TemporaryDirectory) throws -> String {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let file = directory.file(name)
        let peer = try session.connect(to: peers)
        #expect(session.status("record \(file)").ok)
        for (index, chunk) in chunks.enumerated() {
            if index > 0, let gap { #expect(session.status("sleep \(gap)").ok) }
            #expect(session.status("send #1 \"\(chunk)\"").ok)
            // Each send reaches the peer before the next: one chunk, one segment.
            let sent = session.bytes(.send, on: 1).suffix(session.entries.last { $0.kind == .send }?.bytes.count ?? 0)
            #expect(session.read(peer, count: sent.count) == Array(sent))
        }
        #expect(session.status("record off").ok)
        return file
    }

    /// The send entries of socket `id`, as (time, bytes).
    private func sends(_ session: EngineSession, on id: Int) -> [(Int64, [UInt8])] {
        session.entries.filter { $0.kind == .send && $0.socket == SocketID(id) }.map { ($0.time, $0.bytes) }
    }

    @Test(arguments: ["jsonl", "pcapng"])
    func replaysEveryChunkToANewConnection(format: String) throws {
        let directory = try TemporaryDirectory()
        let chunks = ["one ", "two two ", "测试成功！ ", "\\x00\\xff binary"]
        let file = try recordSends(chunks, as: "rec.\(format)", in: directory)
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let status = session.status("replay \(file) socket=#1 127.0.0.1:\(peers.port) speed=max")
        #expect(status == Status.ok("replayed 4 chunks (37 bytes) sent by #1 in \(file) to #1"), "\(status)")
        let peer = try #require(peers.connection(0, stepping: session))
        let expected: [UInt8] = Array("one two two 测试成功！ ".utf8) + [0, 0xff] + Array(" binary".utf8)
        #expect(session.read(peer, count: expected.count) == expected)
        #expect(sends(session, on: 1).map(\.1) == [Array("one ".utf8), Array("two two ".utf8), Array("测试成功！ ".utf8), [0, 0xff] + Array(" binary".utf8)])
    }

    @Test func keepsTheRecordedGapsAndMaxDropsThem() throws {
        let directory = try TemporaryDirectory()
        let file = try recordSends(["a", "b", "c"], gap: "0.4", as: "gaps.jsonl", in: directory)
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        #expect(session.status("replay \(file) socket=#1 #1").ok)
        let times = sends(session, on: 1).map(\.0)
        #expect(times.count == 3)
        // The recorded gaps are 0.4 s (and a little); a replay at speed 1 keeps at least that.
        for (earlier, later) in zip(times, times.dropFirst()) { #expect(later - earlier >= 390_000, "\(times)") }
        #expect(session.status("replay \(file) socket=#1 #1 speed=4").ok)
        let faster = sends(session, on: 1).map(\.0).suffix(3)
        for (earlier, later) in zip(faster, faster.dropFirst()) { #expect(later - earlier >= 95_000, "\(faster)") }
    }

    /// A request/response server that answers each line after a pause and notes whether the next
    /// request came before its answer.
    private final class AnsweringServer: Sendable {
        let server: PeerServer
        let early = Shared(0)
        let requests = Shared(0)
        init() throws {
            let early = early, requests = requests
            server = try PeerServer { peer in
                var pending: [UInt8] = []
                for _ in 0 ..< 100 {
                    let read = peer.receive(until: { $0.contains(0x0a) }, timeout: 5)
                    if read.isEmpty { return }
                    pending += read
                    guard let newline = pending.firstIndex(of: 0x0a) else { continue }
                    pending.removeSubrange(...newline)
                    requests.update { $0 += 1 }
                    usleep(150_000)
                    pending += peer.readAvailable().bytes
                    if !pending.isEmpty { early.update { $0 += 1 } }
                    peer.send("ok\n")
                }
            }
        }
    }

    @Test func waitOnWaitsForTheRecordedReplies() throws {
        let directory = try TemporaryDirectory()
        // The recording: #2 asks three times, sockpit's own echo listener answers each.
        let file = directory.file("ask.jsonl")
        let recorder = try EngineSession()
        #expect(recorder.run(["record \(file)", "listen 0 reply=\"ok\\n\""]).allOK)
        #expect(recorder.run(["connect 127.0.0.1:\(recorder.port(of: 1))", "send #2 \"q1\\n\"", "expect #2 \"ok\\n\"",
                              "send #2 \"q2\\n\"", "expect #2 \"ok\\n\"", "send #2 \"q3\\n\"", "expect #2 \"ok\\n\"", "record off"]).allOK)

        let patient = try AnsweringServer()
        defer { patient.server.stop() }
        let session = try EngineSession()
        #expect(session.status("replay \(file) socket=#2 127.0.0.1:\(patient.server.port) speed=max wait=on").ok)
        #expect(session.pumpUntilReceived(9, on: 1))
        #expect(patient.requests.current == 3 && patient.early.current == 0, "\(patient.requests.current) requests, \(patient.early.current) early")

        // Without wait=on the questions do not wait for their answers: the check can fail.
        let hasty = try AnsweringServer()
        defer { hasty.server.stop() }
        #expect(session.status("replay \(file) socket=#2 127.0.0.1:\(hasty.server.port) speed=max").ok)
        #expect(session.pumpUntilReceived(3, on: 2))
        #expect(hasty.early.current > 0)
    }

    @Test func receivedReplaysTheOtherDirection() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("both.pcapng")
        let recorder = try EngineSession()
        #expect(recorder.run(["record \(file)", "listen 0 reply=\"<{data}>\""]).allOK)
        #expect(recorder.run(["connect 127.0.0.1:\(recorder.port(of: 1))", "send #2 \"x\"", "expect #2 \"<x>\"", "record off"]).allOK)
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("replay \(file) socket=#2 received 127.0.0.1:\(peers.port) speed=max").ok)
        let peer = try #require(peers.connection(0, stepping: session))
        #expect(session.read(peer, count: 3) == Array("<x>".utf8))
    }

    @Test func damagedOrWrongFilesChangeNothing() throws {
        let directory = try TemporaryDirectory()
        let good = try recordSends(["hello"], as: "good.pcapng", in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = directory.file("cut.pcapng")
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: cut))
        let garbage = directory.file("garbage.bin")
        try Data("GIF89a not a capture".utf8).write(to: URL(fileURLWithPath: garbage))
        let badLine = directory.file("bad.jsonl")
        let lines = try recordSends(["a", "b"], as: "lines.jsonl", in: directory)
        var text = try String(contentsOfFile: lines, encoding: .utf8).split(separator: "\n").map(String.init)
        text.insert(#"{"t":"x","id":1,"event":"send","data_b64":"!!""#, at: 2)
        try (text.joined(separator: "\n") + "\n").write(toFile: badLine, atomically: true, encoding: .utf8)

        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        let cases: [(String, String)] = [
            ("replay \(cut) socket=#1 #1 speed=max", "replay \(cut): pcapng: the file ends inside a block"),
            ("replay \(garbage) socket=#1 #1", "replay \(garbage): neither sockpit's JSON lines (record FILE jsonl) nor pcapng: it starts with \\x47\\x49\\x46\\x38"),
            ("replay \(good) socket=#9 #1", "replay \(good): no data of socket #9 in the file (it has #1)"),
            ("replay \(lines) socket=#4 #1", "replay \(lines): no data of socket #4 in the file (it has #1)"),
            ("replay \(directory.file("missing.jsonl")) socket=#1 #1", "replay \(directory.file("missing.jsonl")): ENOENT (No such file or directory)"),
            ("replay \(directory.path) socket=#1 #1", "replay: \(directory.path) is not a regular file (replay reads it twice)"),
        ]
        for (command, message) in cases {
            let status = session.failing(command)
            #expect(status.message == message, "\(command)")
        }
        let status = session.failing("replay \(badLine) socket=#1 #1")
        #expect(status.message.hasPrefix("replay \(badLine): line 3: the object is not closed"), "\(status)")
        // Nothing was sent by any of them.
        #expect(session.entry(1)?.bytesOut == 0)
        #expect(peer.readAvailable().bytes.isEmpty)
    }

    @Test func parseErrorsNameTheOption() throws {
        let session = try EngineSession()
        #expect(session.failing("replay x.jsonl").message.contains("expected socket=#N"))
        #expect(session.failing("replay x.jsonl socket=two").message.contains("socket=: expected a socket id like #2"))
        #expect(session.failing("replay x.jsonl socket=#1 speed=0").message.contains("speed=: expected a number above 0"))
        #expect(session.failing("replay x.jsonl socket=#1 wait=maybe").message.contains("wait=: expected on or off"))
    }

    /// A JSON lines file of `count` sends of socket #1, each `size` bytes of the seeded generator.
    private func syntheticRecording(_ path: String, count: Int, size: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        var text = ""
        for index in 0 ..< count {
            let chunk = seededBytes(size, seed: UInt64(index + 1))
            all += chunk
            text += #"{"t":"2026-12-02T12:00:00.\#(String(format: "%06d", index))Z","id":1,"event":"send","len":\#(size),"#
                + #""text":"","data_b64":"\#(Base64.encode(chunk))"}"# + "\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return all
    }

    /// 20 MiB replayed to a peer with a small receive buffer: everything arrives in order, and
    /// sockpit's send queue never holds much more than `ReplayRun.sendQueueRoom` (the rest waits
    /// in the file, read at most `Limits.replayReadAhead` ahead).
    @Test func aLargeReplayToASlowPeerStaysBounded() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("large.jsonl")
        // 5 MiB under ThreadSanitizer, whose engine did not replay 20 MiB within the two minutes.
        let chunks = SanitizerBuild.thread ? 80 : 320
        let expected = try syntheticRecording(file, count: chunks, size: 65_536)
        let peers = try PeerCollector(receiveBuffer: 16_384)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        var largestQueue = 0
        session.engine.logObservers.append { _ in largestQueue = max(largestQueue, session.entry(1)?.queuedOut ?? 0) }
        session.engine.submit("replay \(file) socket=#1 #1 speed=max")
        #expect(byteDifference(session.read(peer, count: expected.count, timeout: 120), expected) == nil)
        #expect(session.pump(until: { session.lastStatus?.message.hasPrefix("replayed \(chunks) chunks") == true }), "\(String(describing: session.lastStatus))")
        #expect(largestQueue > 0 && largestQueue <= (1 << 20) + 65_536, "\(largestQueue)")
    }

    @Test func aLineWithoutEndIsRefusedAtItsBound() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("endless.jsonl")
        try Data(#"{"t":""#.utf8 + [UInt8](repeating: 0x41, count: Limits.replayLineBytes)).write(to: URL(fileURLWithPath: file))
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        let status = session.failing("replay \(file) socket=#1 #1", timeout: 60)
        #expect(status.message.hasPrefix("replay \(file): line 1 is longer than 32 MiB"), "\(status)")
        #expect(session.entry(1)?.bytesOut == 0)
    }

    /// A UDP socket's datagrams, from pcapng, over a new UDP connection: one datagram each.
    @Test func udpDatagramsReplayOverANewUDPConnection() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("udp.pcapng")
        let recorder = try EngineSession()
        let source = try PeerDatagramSocket()
        #expect(recorder.run(["record \(file)", "listen udp 127.0.0.1:0"]).allOK)
        #expect(recorder.run(["send #1 to=127.0.0.1:\(source.port) first", "send #1 to=127.0.0.1:\(source.port) \"second one\"", "record off"]).allOK)
        let target = try PeerDatagramSocket()
        let session = try EngineSession()
        #expect(session.status("replay \(file) socket=#1 127.0.0.1:\(target.port) speed=max").ok)
        #expect(target.receive()?.bytes == Array("first".utf8))
        #expect(target.receive()?.bytes == Array("second one".utf8))
        #expect(session.entry(1)?.transport == .udp)
    }
}
