// Tests for History (bounds, duplicates, blanks); its file is the program's (SockpitTests).
import Testing
@testable import TerminalUI

@Suite struct HistoryTests {
    @Test func skipsBlankAndConsecutiveDuplicates() {
        var h = History()
        for line in ["a", "a", "", "   ", "b", "a", "a", "x\ny"] { h.add(line) }
        #expect(h.entries == ["a", "b", "a"])
    }

    @Test func isBounded() {
        var h = History(capacity: 3)
        for i in 1...5 { h.add("cmd \(i)") }
        #expect(h.entries == ["cmd 3", "cmd 4", "cmd 5"])
        var big = History()
        for i in 1...1005 { big.add("\(i)") }
        #expect(big.count == 1000 && big[0] == "6" && big[999] == "1005")
    }
}
