// ListScrollTests.swift — the lists keep their scroll offset from frame to frame: a click selects
// the row the user saw and the list does not move under the pointer.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct ListScrollTests {
    /// The Connections rows of a frame (80×24: rows 3…20, two per connection).
    func connectionRows(_ screen: Driver) -> [String] {
        let lines = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines
        return Array(lines[3...20]).map { String($0.prefix(38)) }
    }

    @Test func clickingARowOfAScrolledListDoesNotScrollIt() {
        // 20 peers, the newest (#21) selected: the list shows #13…#21, scrolled to its end.
        var screen = Driver(Sessions.peers(20))
        let before = connectionRows(screen)
        #expect(before[0].hasPrefix("│ #13 tcp"), "\(before)")
        #expect(before[16].hasPrefix("│▶#21 tcp"), "\(before)")
        #expect(screen.click(x: 10, y: 3) == [.select(SocketID(13))])
        let after = connectionRows(screen)
        #expect(after[0].hasPrefix("│▶#13 tcp"), "the clicked row moved: \(after)")
        #expect(after[16].hasPrefix("│ #21 tcp"), "\(after)")
        // A second click, lower down, selects what is shown there.
        #expect(screen.click(x: 10, y: 9) == [.select(SocketID(16))])
        #expect(connectionRows(screen)[0].hasPrefix("│ #13 tcp"))
    }
}
