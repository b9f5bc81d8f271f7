// HeadlessJSONTests.swift — `--json`: one object per line with `t` (ISO-8601, microseconds), `id`,
// `event`, and for data `len`, `text` and `data_b64` holding the exact bytes; UDP data carries `peer`.

import Foundation
import Testing

/// One parsed `--json` line.
struct JSONEvent {
    let object: [String: Any]
    var t: String? { object["t"] as? String }
    var id: Int? { object["id"] as? Int }
    var event: String? { object["event"] as? String }
    var len: Int? { object["len"] as? Int }
    var text: String? { object["text"] as? String }
    var peer: String? { object["peer"] as? String }
    var data: [UInt8]? { (object["data_b64"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) } }
}

extension SockpitResult {
    /// Every stdout line parsed as a JSON object; a line that is not one records an issue.
    var jsonEvents: [JSONEvent] {
        lines.compactMap { line in
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("not a JSON object: \(line)")
                return nil
            }
            return JSONEvent(object: parsed)
        }
    }
}

@Suite struct HeadlessJSONTests {
    static let isoMicroseconds = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$"#

    @Test func everyLineIsAnObjectWithTimeAndEventAndDataIsExact() throws {
        let result = try SockpitProcess.run([
            "--headless", "--json", "-e", "echo hello", "-e", "pair", "-e", #"send x"ff fe 00 1b 41" "é""#, "-e", "wait #2 data",
        ])
        #expect(result.status == 0, "\(result)")
        let events = result.jsonEvents
        #expect(events.count == result.lines.count)
        #expect(events.count >= 6, "\(result)")
        for event in events {
            #expect(event.t?.range(of: Self.isoMicroseconds, options: .regularExpression) != nil, "t in \(event.object)")
            #expect(event.event != nil, "event in \(event.object)")
        }
        #expect(events.first?.event == "output")
        #expect(events.first?.text == "hello")
        #expect(events.first?.id == nil) // a global event has no socket
        let exact: [UInt8] = [0xff, 0xfe, 0x00, 0x1b, 0x41, 0xc3, 0xa9]
        let sent = try #require(events.first { $0.event == "send" })
        #expect(sent.id == 1)
        #expect(sent.len == 7)
        #expect(sent.data == exact)
        #expect(sent.text == #"\xff\xfe\x00\x1bAé"#)
        let received = try #require(events.first { $0.event == "recv" })
        #expect(received.id == 2)
        #expect(received.len == 7)
        #expect(received.data == exact)
        #expect(events.filter { $0.event == "closed" }.compactMap(\.id).sorted() == [1, 2])
    }

    @Test func theClockIsNowInUTC() throws {
        let before = Date()
        let result = try SockpitProcess.run(["--headless", "--json", "-e", "echo now"])
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = try #require(result.jsonEvents.first?.t)
        // ISO8601DateFormatter reads milliseconds only: drop the last three digits of the microseconds.
        let time = try #require(formatter.date(from: String(stamp.dropLast(4)) + "Z"))
        #expect(abs(time.timeIntervalSince(before)) < 30, "\(stamp) vs \(before)")
    }

    @Test func udpDataEventsCarryThePeer() throws {
        let peer = UDPPeer { Array($0.reversed()) }
        defer { peer.stop() }
        let result = try SockpitProcess.run([
            "--headless", "--json", "-e", "listen udp 127.0.0.1:0", "-e", #"send to=127.0.0.1:\#(peer.port) "ping""#, "-e", "wait data",
        ])
        #expect(result.status == 0, "\(result)")
        let events = result.jsonEvents
        let sent = try #require(events.first { $0.event == "send" })
        #expect(sent.peer == "127.0.0.1:\(peer.port)")
        #expect(sent.data == Array("ping".utf8))
        let received = try #require(events.first { $0.event == "recv" })
        #expect(received.peer == "127.0.0.1:\(peer.port)")
        #expect(received.data == Array("gnip".utf8))
        #expect(received.len == 4)
        // The peer heard sockpit's listening socket.
        let listening = try #require(events.first { $0.event == "listening" }?.text)
        #expect(peer.datagrams.map(\.bytes) == [Array("ping".utf8)])
        #expect(listening == "listening udp 127.0.0.1:\(try #require(peer.datagrams.first).senderPort)")
    }

    @Test func aConnectedUDPSocketsDataEventsCarryThePeer() throws {
        let peer = UDPPeer { Array($0.reversed()) }
        defer { peer.stop() }
        let result = try SockpitProcess.run([
            "--headless", "--json", "-e", "connect udp 127.0.0.1:\(peer.port)", "-e", #"send "pong""#, "-e", "wait data",
        ])
        #expect(result.status == 0, "\(result)")
        let events = result.jsonEvents
        let received = try #require(events.first { $0.event == "recv" })
        #expect(received.peer == "127.0.0.1:\(peer.port)")
        #expect(received.data == Array("gnop".utf8))
        let sent = try #require(events.first { $0.event == "send" })
        #expect(sent.data == Array("pong".utf8))
        #expect(sent.peer == "127.0.0.1:\(peer.port)")
    }
}
