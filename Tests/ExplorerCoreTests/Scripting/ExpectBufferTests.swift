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
}
