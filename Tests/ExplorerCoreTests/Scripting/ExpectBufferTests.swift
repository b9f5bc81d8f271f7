// ExpectBufferTests — the window `expect` searches: the newest `limit` bytes, matches, consuming.

@testable import ExplorerCore
import Testing

@Suite("ExpectBuffer")
struct ExpectBufferTests {
    @Test func keepsOnlyTheNewestLimitBytes() {
        var buffer = ExpectBuffer(limit: 8)
        buffer.append(Array("abcdef".utf8))
        buffer.append(Array("ghijkl".utf8))
        #expect(buffer.bytes == Array("efghijkl".utf8))
        #expect(buffer.count == 8)
        // Many more appends than the slack: still exactly the newest 8.
        for chunk in ["mn", "op", "qr", "st", "uv", "wx", "yz"] { buffer.append(Array(chunk.utf8)) }
        #expect(buffer.bytes == Array("stuvwxyz".utf8))
    }

    @Test func anAppendLargerThanTheLimitKeepsItsTail() {
        var buffer = ExpectBuffer(limit: 4)
        buffer.append(Array("0123456789".utf8))
        #expect(buffer.bytes == Array("6789".utf8))
    }

    @Test func findsTheFirstMatchInsideTheWindowOnly() {
        var buffer = ExpectBuffer(limit: 6)
        buffer.append(Array("OK1 xx OK2".utf8))  // the window is "xx OK2": "OK1" fell out
        #expect(buffer.endOfFirstMatch(Array("OK1".utf8)) == nil)
        #expect(buffer.endOfFirstMatch(Array("OK".utf8)) == 5)
        #expect(buffer.endOfFirstMatch(Array("xx OK2".utf8)) == 6)
        #expect(buffer.endOfFirstMatch(Array("xx OK23".utf8)) == nil)
        #expect(buffer.endOfFirstMatch([]) == nil)
    }

    @Test func aFalseStartDoesNotHideALaterMatch() {
        var buffer = ExpectBuffer(limit: 64)
        buffer.append(Array("aab aaab".utf8))
        #expect(buffer.endOfFirstMatch(Array("aaab".utf8)) == 8)
    }

    @Test func consumingDropsTheMatchAndWhatCameBefore() {
        var buffer = ExpectBuffer(limit: 64)
        buffer.append(Array("hello world".utf8))
        buffer.consume(upTo: 6)
        #expect(buffer.bytes == Array("world".utf8))
        buffer.consume(upTo: 5)
        #expect(buffer.isEmpty)
        buffer.append(Array("again".utf8))
        #expect(buffer.bytes == Array("again".utf8))
    }

    @Test func tinyChunksAreKeptTogetherNotOneBlockEach() {
        var buffer = ExpectBuffer(limit: 1 << 20)
        var sent: [UInt8] = []
        for index in 0..<100_000 {
            let byte = UInt8(truncatingIfNeeded: index % 251)
            buffer.append([byte])
            sent.append(byte)
        }
        #expect(buffer.bytes == sent)
        // 100,000 one-byte datagrams in blocks of 4 KiB, not 100,000 blocks.
        #expect(buffer.storedChunks <= 100_000 / ExpectBuffer.coalescedChunkSize + 1, "\(buffer.storedChunks) blocks")
        // A large chunk is kept as it came; small ones after it start a block of their own.
        let large = [UInt8](repeating: 7, count: 10_000)
        let before = buffer.storedChunks
        buffer.append(large)
        buffer.append(Array("OK".utf8))
        #expect(buffer.storedChunks == before + 2)
        #expect(buffer.suffix(10_002) == large + Array("OK".utf8))
    }

    @Test func aMatchSpanningCoalescedAndSharedChunksIsFound() {
        var buffer = ExpectBuffer(limit: 1 << 16)
        for byte in Array("xxxxEN".utf8) { buffer.append([byte]) }
        buffer.append(Array("D-OF-".utf8) + [UInt8](repeating: 0x2E, count: 5000))
        for byte in Array("REPLY".utf8) { buffer.append([byte]) }
        #expect(buffer.endOfFirstMatch(Array("END-OF-".utf8)) == 11)
        #expect(buffer.endOfFirstMatch(Array("...REPLY".utf8)) == buffer.count)
        buffer.consume(upTo: 11)
        #expect(buffer.endOfFirstMatch(Array("END".utf8)) == nil)
        #expect(buffer.bytes.suffix(5) == Array("REPLY".utf8))
    }
}
