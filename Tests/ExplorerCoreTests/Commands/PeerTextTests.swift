// PeerTextTests.swift — what peers send, as the log shows it: CJK as text, escape sequences and
// other dangerous characters escaped, characters split across reads rendered whole.

import ExplorerCore
import Foundation
import Testing

@Suite struct PeerTextTests {
    /// The session's #1 connected to a peer, and the peer.
    private func connected() throws -> (EngineSession, PeerConnection, PeerCollector) {
        let peers = try PeerCollector()
        let session = try EngineSession()
        return (session, try session.connect(to: peers), peers)
    }

    @Test func chineseComesOutAsText() throws {
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        peer.send("测试成功！")
        #expect(session.pumpUntilReceived(15, on: 1))
        #expect(session.lines.last == #"#1 < 15 "测试成功！""#)
    }

    @Test func aTerminalTitleSequenceComesOutEscaped() throws {
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        peer.send("\u{1b}]0;title\u{07}")
        #expect(session.pumpUntilReceived(10, on: 1))
        #expect(session.lines.last == #"#1 < 10 "\x1b]0;title\x07""#)
        #expect(!session.lines.joined().unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
    }

    @Test func invisibleAndInvalidBytesAreVisible() throws {
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        peer.send(Array("\u{202E}evil\u{200B}\u{9b}31m\\".utf8) + [0xff, 0xc0, 0x41])
        #expect(session.pumpUntilReceived(19, on: 1))
        #expect(session.lines.last == #"#1 < 19 "\u{202E}evil\u{200B}\u{009B}31m\\\xff\xc0A""#)
    }

    /// A character split across two reads renders whole on the later line; byte counts stay exact.
    @Test func aCharacterSplitAcrossReadsRendersWhole() throws {
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        peer.send([0x41, 0xe6, 0xb5])
        #expect(session.pumpUntilReceived(3, on: 1))
        #expect(session.lines.last == #"#1 < 3 "A""#)
        peer.send([0x8b, 0x42])
        #expect(session.pumpUntilReceived(5, on: 1))
        #expect(session.lines.last == #"#1 < 2 "测B""#)
        peer.send([0xe6, 0xb5])
        peer.close()
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(session.lines.contains(#"#1 ! stream ended inside a UTF-8 character: \xe6\xb5"#), "\(session.lines)")
    }

    /// A 1 MB line with no newline and escape sequences in it: every byte arrives and counts, and
    /// every log line that shows it is escaped.
    @Test func aOneMegabyteLineWithoutANewline() throws {
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        var line = [UInt8](repeating: UInt8(ascii: "z"), count: 1 << 20)
        for index in stride(from: 100, to: line.count, by: 10_000) { line.replaceSubrange(index..<index + 4, with: Array("\u{1b}[2J".utf8)) }
        peer.send(line)
        #expect(session.pumpUntilReceived(1 << 20, on: 1))
        #expect(byteDifference(session.bytes(.recv, on: 1), line) == nil)
        #expect(session.entry(1)?.bytesIn == 1 << 20)
        let shown = session.lines.filter { $0.hasPrefix("#1 < ") }
        #expect(shown.allSatisfy { TerminalSafety.activeScalars($0).isEmpty })
        #expect(shown.joined().contains(#"zz\x1b[2Jzz"#))
    }

    @Test func udpTextFromAPeer() throws {
        let session = try EngineSession()
        #expect(session.status("listen udp 127.0.0.1:0").ok)
        let peer = try PeerDatagramSocket()
        peer.send(Array("测试成功！\u{1b}[2J".utf8), to: session.port(of: 1))
        #expect(session.pumpUntilReceived(19, on: 1))
        #expect(session.lines.last == #"#1 < 19 from 127.0.0.1:\#(peer.port) "测试成功！\x1b[2J""#)
    }

    /// JSON lines keep the text readable (CJK as is) and the exact bytes in base64.
    @Test func jsonTextAndBytesForPeerData() throws {
        let directory = try TemporaryDirectory()
        let (session, peer, peers) = try connected()
        defer { peers.stop() }
        peer.send("测试成功！\u{1b}]0;x\u{07}")
        #expect(session.pumpUntilReceived(20, on: 1))
        #expect(session.status("save \(directory.file("log.jsonl")) jsonl").ok)
        let last = String(decoding: directory.read("log.jsonl") ?? [], as: UTF8.self).split(separator: "\n").last ?? ""
        let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(object["text"] as? String == #"测试成功！\x1b]0;x\x07"#)
        #expect((object["data_b64"] as? String).flatMap { Data(base64Encoded: $0) } == Data("测试成功！\u{1b}]0;x\u{07}".utf8))
    }
}
