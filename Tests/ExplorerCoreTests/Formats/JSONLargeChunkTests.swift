// JSONLargeChunkTests — a JSON data event of a large chunk: `text` renders only its first
// `Limits.jsonTextBytes` (never half a character) and says so; `data_b64` is always every byte.

import ExplorerCore
import Foundation
import Testing

@Suite struct JSONLargeChunkTests {
    private func object(_ entry: LogEntry) throws -> [String: Any] {
        var formatter = LogLineFormatter(timestamps: .off, start: 0, zone: .utc)
        var out: [UInt8] = []
        formatter.appendJSON(entry, to: &out)
        #expect(out.last == 0x0a && out.dropLast().allSatisfy { $0 != 0x0a })
        return try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
    }

    @Test func aLargeChunkRendersItsStartAndKeepsEveryByte() throws {
        // 1023 ASCII bytes, then 你 (3 bytes) across the 1024-byte line, then binary.
        let bytes = Array(repeating: UInt8(ascii: "a"), count: 1023) + Array("你".utf8) + seededBytes(70_000, seed: 9)
        let json = try object(LogEntry(time: 1, socket: SocketID(2), kind: .recv, bytes: bytes))
        #expect(json["text"] as? String == String(repeating: "a", count: 1023))
        #expect(json["text_truncated"] as? Bool == true)
        #expect(json["len"] as? Int == bytes.count)
        #expect(Base64.decode(try #require(json["data_b64"] as? String)) == bytes)
    }

    @Test func aChunkAtTheLimitIsRenderedWhole() throws {
        let bytes = Array(repeating: UInt8(ascii: "b"), count: Limits.jsonTextBytes - 3) + Array("你".utf8)
        let json = try object(LogEntry(time: 1, socket: SocketID(2), kind: .send, bytes: bytes))
        #expect(json["text"] as? String == String(repeating: "b", count: Limits.jsonTextBytes - 3) + "你")
        #expect(json["text_truncated"] == nil)
    }

    @Test func aCutChunkStillStartsWithItsCarriedInCharacter() throws {
        var entry = LogEntry(time: 1, socket: SocketID(2), kind: .recv, bytes: Array(Array("你".utf8)[1...]) + Array(repeating: 0x41, count: 5000))
        entry.carryIn = [Array("你".utf8)[0]]
        let json = try object(entry)
        #expect(json["text"] as? String == "你" + String(repeating: "A", count: Limits.jsonTextBytes - 2))
        #expect(json["text_truncated"] as? Bool == true)
    }
}
