// LogHighlights.swift — where `find` matched in one log entry and how each match is drawn, for
// the text and hex rows (LogRows.swift).

import ExplorerCore

/// The byte ranges of one entry that `find` matched, and how each is drawn: reverse video, the
/// match F6 walked to also bold and underlined.
struct Highlights {
    private let ranges: [Range<Int>]
    private let current: Range<Int>?
    private let match: Style
    private let strong: Style

    init(_ ranges: [Range<Int>], current: Range<Int>?, theme: Theme) {
        self.ranges = ranges
        self.current = current
        match = theme.selection
        var strong = theme.selection
        strong.bold = true
        strong.underline = true
        self.strong = strong
    }

    private init(ranges: [Range<Int>], current: Range<Int>?, match: Style, strong: Style) {
        self.ranges = ranges
        self.current = current
        self.match = match
        self.strong = strong
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// The same ranges `offset` bytes later.
    func shifted(by offset: Int) -> Highlights {
        guard offset != 0 else { return self }
        return Highlights(ranges: ranges.map { $0.lowerBound + offset..<$0.upperBound + offset },
                          current: current.map { $0.lowerBound + offset..<$0.upperBound + offset }, match: match, strong: strong)
    }

    func overlaps(_ bytes: Range<Int>) -> Bool { ranges.contains { $0.overlaps(bytes) } }

    /// The style of byte `index`, nil when no match covers it.
    func style(at index: Int) -> Style? {
        guard let range = ranges.first(where: { $0.contains(index) }) else { return nil }
        return range == current ? strong : match
    }

    /// `bytes` cut where matches start and end, each piece with its match style (nil: none).
    func segments(of bytes: Range<Int>) -> [(Range<Int>, Style?)] {
        var pieces: [(Range<Int>, Style?)] = []
        var start = bytes.lowerBound
        for range in ranges where range.overlaps(bytes) {
            let lower = max(range.lowerBound, bytes.lowerBound), upper = min(range.upperBound, bytes.upperBound)
            if start < lower { pieces.append((start..<lower, nil)) }
            pieces.append((lower..<upper, range == current ? strong : match))
            start = upper
        }
        if start < bytes.upperBound { pieces.append((start..<bytes.upperBound, nil)) }
        return pieces
    }
}
