// ScreenSettingsTests.swift — `set split`, `set showclosed`, `set peercolors` reach the screen, and
// the keys that change the same things (Shift-arrows, F5) write them back for `set` to show.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct ScreenSettingsTests {
    @Test func theScreenAdoptsTheSettings() throws {
        var settings = Settings()
        _ = try settings.set("split", "40")
        _ = try settings.set("showclosed", "off")
        _ = try settings.set("peercolors", "on")
        var ui = UIState()
        ui.adopt(settings)
        #expect(ui.split == 40 && !ui.closed.showClosed && ui.peerColors)
        // showclosed off: the closed connection leaves the list at once.
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui, width: 80, height: 24).lines
        #expect(!screen.contains { $0.contains("#4 tcp") }, "\(screen.joined(separator: "\n"))")
        #expect(screen[0].firstIndex(of: "┐").map { screen[0].distance(from: screen[0].startIndex, to: $0) } == 31)
    }

    @Test func keysWriteTheirChangesBack() {
        var screen = Driver(Sessions.threePeers)
        screen.press(.shiftLeft)
        var settings = Settings()
        screen.ui.publish(into: &settings)
        #expect(settings.split != nil, "Shift-← chose a split")
        #expect(try! settings.get("split") == "split = \(screen.ui.split!)%")
    }
}
