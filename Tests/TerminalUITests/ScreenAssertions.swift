// Test helper: compares a canvas with a literal screen and prints both, line by line, on failure.
import Testing
@testable import TerminalUI

/// Expects `canvas.lines == expected`; on a mismatch records one issue showing the expected and
/// actual screens side by side in columns, `|` marking line ends and `≠` the differing rows.
func assertScreen(_ canvas: Canvas, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = canvas.lines
    guard actual != expected else { return }
    var report = "screens differ (expected | actual):\n"
    for row in 0..<max(actual.count, expected.count) {
        let e = row < expected.count ? expected[row] : "<none>"
        let a = row < actual.count ? actual[row] : "<none>"
        report += "\(e == a ? " " : "≠") \(row): |\(e)|   |\(a)|\n"
    }
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}
