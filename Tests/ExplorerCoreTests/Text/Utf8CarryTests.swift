// Utf8CarryTests — UTF-8 split across reads renders as one character; broken carries as \xNN.
import ExplorerCore
import Testing

@Suite("Utf8Carry")
struct Utf8CarryTests {
    let ni: [UInt8] = [0xE4, 0xBD, 0xA0]  // 你

    @Test func cutOnePlusTwo() {
        var carry = Utf8Carry()
        let first = carry.feed([0xE4])
        #expect(first.carryIn == [] && first.heldTail == 1)
        #expect(carry.heldBytes == [0xE4])
        let second = carry.feed([0xBD, 0xA0])
        #expect(second.carryIn == [0xE4] && second.heldTail == 0)
        #expect(carry.flush() == [])
        #expect(renderStream([[0xE4], [0xBD, 0xA0]]) == "你")
    }

    @Test func cutTwoPlusOne() {
        var carry = Utf8Carry()
        let first = carry.feed([0x61, 0xE4, 0xBD])
        #expect(first.carryIn == [] && first.heldTail == 2)
        let second = carry.feed([0xA0, 0x62])
        #expect(second.carryIn == [0xE4, 0xBD] && second.heldTail == 0)
        #expect(renderStream([[0x61, 0xE4, 0xBD], [0xA0, 0x62]]) == "a你b")
    }

    @Test func cutOnePlusOnePlusOne() {
        var carry = Utf8Carry()
        #expect(carry.feed([0xE4]) == ([], 1))
        #expect(carry.feed([0xBD]) == ([0xE4], 2))  // still incomplete: nothing to render yet
        #expect(carry.feed([0xA0]) == ([0xE4, 0xBD], 0))
        #expect(renderStream([[0xE4], [0xBD], [0xA0]]) == "你")
    }

    @Test func everyCutOfAFourByteEmoji() {
        let smile: [UInt8] = [0xF0, 0x9F, 0x98, 0x80]
        for cut in 1..<4 {
            #expect(renderStream([Array(smile[..<cut]), Array(smile[cut...])]) == "😀")
        }
        #expect(renderStream(smile.map { [$0] }) == "😀")
    }

    @Test func chunkThatDoesNotContinueTheCarry() {
        var carry = Utf8Carry()
        _ = carry.feed([0xE4])
        #expect(carry.feed([0x41]) == ([0xE4], 0))
        #expect(renderStream([[0xE4], [0x41]]) == #"\xe4A"#)
        #expect(renderStream([[0xE4, 0xBD], [0xE4, 0xBD, 0xA0]]) == #"\xe4\xbd你"#)
    }

    @Test func flushAtEndOfStream() {
        var carry = Utf8Carry()
        #expect(carry.feed([0x68, 0xE4, 0xBD]) == ([], 2))
        #expect(carry.flush() == [0xE4, 0xBD])
        #expect(carry.flush() == [])
        #expect(renderStream([[0x68, 0xE4, 0xBD]]) == #"h\xe4\xbd"#)
    }

    @Test func tailsThatAreNotHeld() {
        var carry = Utf8Carry()
        #expect(carry.feed([0x41]) == ([], 0))
        #expect(carry.feed([0xE4, 0xBD, 0xA0]) == ([], 0))  // complete
        #expect(carry.feed([0xBD]) == ([], 0))  // lone continuation
        #expect(carry.feed([0xC0]) == ([], 0))  // never a valid lead
        #expect(carry.feed([0xED, 0xA0]) == ([], 0))  // surrogate prefix: already invalid
        #expect(carry.feed([0xE0, 0x80]) == ([], 0))  // overlong prefix
        #expect(carry.feed([0xF4, 0x90]) == ([], 0))  // above U+10FFFF
        #expect(carry.feed([0xE4, 0x41]) == ([], 0))
        #expect(carry.feed([UInt8]()) == ([], 0))
    }

    @Test func longestHeldPrefixIsThreeBytes() {
        var carry = Utf8Carry()
        #expect(carry.feed([0x41, 0xF0, 0x9F, 0x98]) == ([], 3))
        #expect(carry.feed([0x80, 0x42]) == ([0xF0, 0x9F, 0x98], 0))
    }
}
