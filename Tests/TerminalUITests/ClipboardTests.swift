// ClipboardTests.swift — `copy`'s OSC 52 sequence: standard base64 between `ESC ] 52 ; c ;` and BEL.
import Foundation
import Testing
@testable import TerminalUI

@Suite struct ClipboardTests {
    @Test func base64MatchesFoundations() {
        for bytes: [UInt8] in [[], [0], [0xFF, 0xFE], Array("hello".utf8), Array(0...255), Array(repeating: 0x41, count: 1000)] {
            #expect(Clipboard.base64(bytes) == Data(bytes).base64EncodedString(), "\(bytes.prefix(8))")
        }
    }

    @Test func theSequenceIsOSC52() {
        #expect(Clipboard.sequence(Array("hi".utf8)) == "\u{1B}]52;c;aGk=\u{07}")
    }
}
