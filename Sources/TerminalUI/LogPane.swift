// LogPane.swift — the live byte log: drawn bottom-up from a scroll anchor (or the newest entry
// while following), formatting only the entries that reach the screen; scrolling by rows.

import ExplorerCore

public enum LogPane {
    /// The pane's title: `Log · all · text · follow`, or `… · scrolled · 12 newer` while scrolled
    /// back (the entries below the pane that End or PgDn bring back).
    public static func title(_ model: ScreenModel, scroll: LogScroll?, find: FindWalk? = nil) -> String {
        var title = "Log · \(model.view.logFilter) · \(model.view.mode.rawValue) · "
        if let find { title += find.title + " · " }
        if let scroll {
            title += "scrolled · " + newerText(model, after: scroll.bottomSequence)
        } else {
            title += "follow"
        }
        if model.log.evictedEntries > 0 { title += " · \(model.log.evictedEntries) evicted" }
        if model.recording { title += " · ● rec" }
        return title
    }

    /// Counting newer entries through a filter looks at this many at most (`10000+ newer`).
    static let newerCountLimit = 10_000

    /// `12 newer`: entries after `sequence` that pass the filter.
    static func newerText(_ model: ScreenModel, after sequence: UInt64) -> String {
        let check = model.view.logFilter.checker()
        let log = model.log
        guard log.nextSequence > sequence + 1 else { return "0 newer" }
        if model.view.logFilter.isEmpty { return "\(log.nextSequence - 1 - max(sequence, log.firstSequence)) newer" }
        var count = 0
        var current = max(sequence + 1, log.firstSequence)
        var looked = 0
        while current < log.nextSequence {
            if looked == newerCountLimit { return "\(count)+ newer" }
            if let entry = log.entry(sequence: current), passes(entry, model, check) { count += 1 }
            looked += 1
            current += 1
        }
        return "\(count) newer"
    }

    /// Draws the rows that end at the scroll anchor (or the newest entry). With `peerColors` each
    /// socket id is drawn in its own colour; `current` is the match F6 walked to.
    public static func render(_ model: ScreenModel, scroll: LogScroll?, in rect: Rect, theme: Theme, peerColors: Bool = false,
                              current: LogMatch? = nil, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        if model.log.isEmpty {
            renderHint(in: rect, theme: theme, into: &canvas)
            return
        }
        var formatter = makeFormatter(model, width: rect.width, theme: theme)
        formatter.peerColors = peerColors
        formatter.current = current
        let rows = visibleRows(model, scroll: scroll, height: rect.height, formatter: &formatter)
        for (index, row) in rows.enumerated() {
            var x = rect.x
            for span in row.spans {
                x += canvas.put(span.text, x: x, y: rect.y + index, style: span.style, maxWidth: rect.maxX - x)
                if x >= rect.maxX { break }
            }
        }
    }

    static func makeFormatter(_ model: ScreenModel, width: Int, theme: Theme) -> LogRowFormatter {
        LogRowFormatter(width: width, mode: model.view.mode, timestamps: model.timestamps, startTime: model.startTime,
                        theme: theme, search: model.view.search)
    }

    /// The first-run hint: what to type, commands in one column and what they do in the next;
    /// a pane too narrow for both shows the commands alone rather than cut sentences.
    static func renderHint(in rect: Rect, theme: Theme, into canvas: inout Canvas) {
        let examples = [
            ("listen 5000", "accept connections"),
            ("connect HOST:PORT", "open a connection"),
            ("pair", "a connected pair"),
            ("help", "every command"),
        ]
        let column = examples.map { CharWidth.of($0.0) }.max()! + 2
        let fits = 2 + column + examples.map { CharWidth.of($0.1) }.max()! <= rect.width
        let lines = ["Nothing has happened yet. Try:"]
            + examples.map { "  " + ($0.0 + String(repeating: " ", count: column - CharWidth.of($0.0))) + (fits ? $0.1 : "") }
            + ["F1 shows every key"]
        for (index, line) in lines.prefix(rect.height).enumerated() {
            canvas.put(line, x: rect.x, y: rect.y + index, style: index == 0 ? theme.title : theme.hint, maxWidth: rect.width)
        }
    }

    /// True when the entry passes the filter (`filter #3` also shows a listener's peers); `check`
    /// is the model's filter compiled once per pass (`LogFilter.checker`).
    static func passes(_ entry: LogEntry, _ model: ScreenModel, _ check: LogFilterCheck) -> Bool {
        check.passes(entry, table: model.table)
    }

    /// The rows that fill `height`, ending at the anchor.
    static func visibleRows(_ model: ScreenModel, scroll: LogScroll?, height: Int, formatter: inout LogRowFormatter) -> [LogRow] {
        let check = model.view.logFilter.checker()
        let log = model.log
        guard let last = log.last else { return [] }
        // An anchor that fell out of the log (evicted) clamps to the oldest kept entry.
        var sequence = scroll.map { max(log.firstSequence, min($0.bottomSequence, last.sequence)) } ?? last.sequence
        var hidden = scroll?.rowsHiddenBelow ?? 0
        var collected: [[LogRow]] = []
        var count = 0
        while count < height {
            guard let entry = log.entry(sequence: sequence) else { break }
            if passes(entry, model, check) {
                // Only the rows that can reach the pane: a 64 KiB chunk is thousands of rows.
                var rows = formatter.lastRows(entry, limit: height - count + hidden)
                if hidden > 0 {
                    rows.removeLast(min(hidden, rows.count - 1))
                    hidden = 0
                }
                collected.append(rows)
                count += rows.count
            }
            if sequence == log.firstSequence { break }
            sequence -= 1
        }
        let all = collected.reversed().flatMap { $0 }
        return Array(all.suffix(height))
    }

    // MARK: Scrolling

    /// Scrolls up (towards older entries) by `rows`; stops at the top.
    public static func scrollUp(_ model: ScreenModel, from scroll: LogScroll?, rows: Int, height: Int, width: Int, theme: Theme) -> LogScroll? {
        guard let last = model.log.last else { return nil }
        var formatter = makeFormatter(model, width: width, theme: theme)
        var anchor = scroll ?? LogScroll(bottomSequence: last.sequence)
        guard let current = matchingEntry(model, atOrBefore: anchor.bottomSequence) else { return scroll }
        anchor.bottomSequence = current.sequence
        var remaining = rows
        while remaining > 0 {
            guard let entry = model.log.entry(sequence: anchor.bottomSequence) else { break }
            let count = formatter.rows(entry).count
            let visibleOfEntry = count - anchor.rowsHiddenBelow
            if remaining < visibleOfEntry {
                anchor.rowsHiddenBelow += remaining
                remaining = 0
            } else {
                guard anchor.bottomSequence > model.log.firstSequence,
                      let previous = matchingEntry(model, atOrBefore: anchor.bottomSequence - 1) else { break }
                remaining -= visibleOfEntry
                anchor = LogScroll(bottomSequence: previous.sequence)
            }
        }
        return clampToTop(model, anchor, height: height, formatter: &formatter)
    }

    /// Scrolls down (towards newer entries); returns nil (follow) at the bottom.
    public static func scrollDown(_ model: ScreenModel, from scroll: LogScroll?, rows: Int, width: Int, theme: Theme) -> LogScroll? {
        guard var anchor = scroll else { return nil }
        var formatter = makeFormatter(model, width: width, theme: theme)
        var remaining = rows
        while remaining > 0 {
            if anchor.rowsHiddenBelow >= remaining {
                anchor.rowsHiddenBelow -= remaining
                remaining = 0
            } else {
                remaining -= anchor.rowsHiddenBelow
                guard let next = matchingEntry(model, after: anchor.bottomSequence) else { return nil }
                let count = formatter.rows(next).count
                anchor = LogScroll(bottomSequence: next.sequence, rowsHiddenBelow: count)
            }
        }
        if let last = lastMatching(model), anchor.bottomSequence >= last.sequence, anchor.rowsHiddenBelow == 0 { return nil }
        return anchor
    }

    /// The anchor that shows the oldest rows at the top of the pane.
    public static func top(_ model: ScreenModel, height: Int, width: Int, theme: Theme) -> LogScroll? {
        let check = model.view.logFilter.checker()
        guard let first = matchingEntry(model, atOrAfter: model.log.firstSequence) else { return nil }
        var formatter = makeFormatter(model, width: width, theme: theme)
        var rowsSoFar = 0
        var sequence = first.sequence
        while true {
            guard let entry = model.log.entry(sequence: sequence) else { return nil }
            if passes(entry, model, check) {
                let count = formatter.rows(entry).count
                if rowsSoFar + count >= height {
                    return LogScroll(bottomSequence: sequence, rowsHiddenBelow: rowsSoFar + count - height)
                }
                rowsSoFar += count
            }
            guard sequence + 1 < model.log.nextSequence else { return nil } // everything fits: follow
            sequence += 1
        }
    }

    private static func clampToTop(_ model: ScreenModel, _ anchor: LogScroll, height: Int, formatter: inout LogRowFormatter) -> LogScroll? {
        let check = model.view.logFilter.checker()
        // Count rows from the anchor upwards; if fewer than a pane, show the top instead, which
        // is following (nil) when the whole log fits: there is nothing to scroll then.
        var rows = 0
        var sequence = anchor.bottomSequence
        var first = true
        while rows < height {
            if let entry = model.log.entry(sequence: sequence), passes(entry, model, check) {
                let count = formatter.rows(entry).count
                rows += first ? count - anchor.rowsHiddenBelow : count
                first = false
            }
            if sequence == model.log.firstSequence { break }
            sequence -= 1
        }
        if rows >= height { return anchor }
        return top(model, height: height, width: formatter.width, theme: formatter.theme)
    }

    static func matchingEntry(_ model: ScreenModel, atOrBefore sequence: UInt64) -> LogEntry? {
        let check = model.view.logFilter.checker()
        var current = sequence
        while current >= model.log.firstSequence {
            if let entry = model.log.entry(sequence: current), passes(entry, model, check) { return entry }
            if current == 0 { break }
            current -= 1
        }
        return nil
    }

    static func matchingEntry(_ model: ScreenModel, after sequence: UInt64) -> LogEntry? {
        matchingEntry(model, atOrAfter: sequence + 1)
    }

    static func matchingEntry(_ model: ScreenModel, atOrAfter sequence: UInt64) -> LogEntry? {
        let check = model.view.logFilter.checker()
        var current = max(sequence, model.log.firstSequence)
        while current < model.log.nextSequence {
            if let entry = model.log.entry(sequence: current), passes(entry, model, check) { return entry }
            current += 1
        }
        return nil
    }

    static func lastMatching(_ model: ScreenModel) -> LogEntry? {
        guard model.log.nextSequence > 0 else { return nil }
        return matchingEntry(model, atOrBefore: model.log.nextSequence - 1)
    }
}
