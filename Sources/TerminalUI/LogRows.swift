// LogRows.swift — one log entry as screen rows for a given width and view (text, hex, both):
// the time/id/arrow prefix, sanitized text wrapped under it (a new row after each \n), hexdump
// rows at the stream offset. The log pane formats only the entries it shows.

import ExplorerCore

/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style
    /// A word or an escape such as `\x1b`: wrapping moves it to the next row whole rather than
    /// splitting it (unless it is wider than a row).
    public var unbreakable: Bool
    public init(_ text: String, _ style: Style, unbreakable: Bool = false) {
        self.text = text
        self.style = style
        self.unbreakable = unbreakable
    }
}

/// One screen row of the log.
public struct LogRow: Equatable, Sendable {
    public var spans: [Span]
    public init(_ spans: [Span] = []) { self.spans = spans }
    public var text: String { spans.map(\.text).joined() }
}

/// Formats entries into rows.
public struct LogRowFormatter {
    public var width: Int
    public var mode: LogView
    public var timestamps: Settings.TimestampStyle
    public var startTime: Int64
    public var theme: Theme
    /// What `find` looks for, compiled: its matches are highlighted, the entry's header too.
    public var matcher: LogMatcher?
    /// The match F6 / Shift-F6 walked to, drawn stronger than the others.
    public var current: LogMatch?
    /// Draw each socket id in its own colour (`Theme.peers`).
    public var peerColors = false
    private var clock = TimestampFormatter()

    public init(width: Int, mode: LogView, timestamps: Settings.TimestampStyle, startTime: Int64, theme: Theme, search: LogSearch? = nil) {
        self.width = max(1, width)
        self.mode = mode
        self.timestamps = timestamps
        self.startTime = startTime
        self.theme = theme
        self.matcher = search?.matcher()
    }

    /// The rows of one entry.
    public mutating func rows(_ entry: LogEntry) -> [LogRow] {
        lastRows(entry, limit: .max)
    }

    /// The last `limit` rows of one entry: `rows(entry).suffix(limit)`, but a data entry formats
    /// only the lines that reach those rows, so the newest 64 KiB chunk of a flood costs a
    /// screenful of formatting per frame rather than thousands of rows.
    public mutating func lastRows(_ entry: LogEntry, limit: Int) -> [LogRow] {
        let time = timeText(entry.time)
        switch entry.kind {
        case .output:
            return Array(wrap(Self.words(entry.text, theme.text), indent: 2).suffix(limit))
        case .send, .recv:
            return dataRows(entry, time: time, limit: max(0, limit))
        default:
            let prefix = prefixSpans(time: time, socket: entry.socket, style: theme.dim)
            let style: Style
            switch entry.kind {
            case .error, .reset: style = theme.error
            case .warning: style = theme.error
            case .trace: style = theme.dim
            default: style = theme.event
            }
            let marker = LogLineFormatter.prefix(entry.kind)
            return Array(wrap(prefix + Self.words(marker + entry.text, style), indent: indentFor(prefix)).suffix(limit))
        }
    }

    private mutating func timeText(_ time: Int64) -> String {
        switch timestamps {
        case .clock: return clock.clock(time) + " "
        case .relative: return TimestampFormatter.relative(time, since: startTime) + " "
        case .off: return ""
        }
    }

    /// Continuation rows start under the end of the prefix, or 2 columns in when the prefix is
    /// wider than half the row.
    private func indentFor(_ prefix: [Span]) -> Int {
        let width = Self.width(prefix)
        return width * 2 <= self.width ? width : 2
    }

    static func width(_ spans: [Span]) -> Int { spans.reduce(0) { $0 + CharWidth.of($1.text) } }

    /// `12:00:01.120 #3 `: the time and the socket id as words, so a row never ends inside one;
    /// the id in its peer colour when asked.
    private func prefixSpans(time: String, socket: SocketID?, style: Style) -> [Span] {
        var spans = Self.words(time, style)
        if let socket {
            let idStyle = peerColors && style != theme.selection ? theme.peerStyle(socket.value) ?? style : style
            spans.append(Span("\(socket)", idStyle, unbreakable: true))
            spans.append(Span(" ", style))
        }
        return spans
    }

    private func dataRows(_ entry: LogEntry, time: String, limit: Int) -> [LogRow] {
        let sent = entry.kind == .send
        let style = entry.relay.map { theme.relayStyle($0.direction) } ?? (sent ? theme.sent : theme.received)
        // Only the bytes that can reach the last `limit` rows are searched (a row shows at most
        // `width` bytes, 16 in hex): a regular expression over a 64 KiB chunk every frame is slow.
        let window = limit >= entry.bytes.count ? entry.bytes.count : min(entry.bytes.count, limit * max(width, 16))
        let skippedBytes = entry.bytes.count - window
        let matches = matcher?.ranges(in: entry.bytes[skippedBytes...]).map { $0.lowerBound + skippedBytes..<$0.upperBound + skippedBytes } ?? []
        let headerStyle = matches.isEmpty ? theme.dim : theme.selection
        let highlights = Highlights(matches, current: current?.sequence == entry.sequence ? current?.range : nil, theme: theme)
        // Words, so the header wraps between them: `from 127.0.0.1:47328` never splits.
        var rest = (sent ? "→ " : "← ") + "\(entry.bytes.count)"
        if let peer = entry.peer { rest += sent ? " to \(peer)" : " from \(peer)" }
        if let relay = entry.relay { rest += " \(relay.direction.short) \(relay.partner)" }
        let header = prefixSpans(time: time, socket: entry.socket, style: headerStyle) + Self.words(rest, headerStyle)
        let besideText = header + [Span("  ", headerStyle)]
        switch mode {
        case .text:
            return textRows(header: besideText, entry, style: style, limit: limit, highlights: highlights)
        case .hex:
            let hex = hexRows(entry, style: style, limit: limit, highlights: highlights)
            guard hex.count < limit else { return hex }
            return Array((wrap(header, indent: 2) + hex).suffix(limit))
        case .both:
            let hex = hexRows(entry, style: style, limit: limit, highlights: highlights)
            guard hex.count < limit else { return hex }
            return textRows(header: besideText, entry, style: style, limit: limit - hex.count, highlights: highlights) + hex
        }
    }

    /// The header, then the text under its end. Under a header wider than half the row (a clock
    /// and a datagram's `from HOST:PORT` in a narrow pane) the text would get a sliver, so it
    /// starts on a row of its own, indented by 2 — unless it all fits beside the header.
    ///
    /// Each line of the text (see `lines`) starts a row of its own, so the rows are the lines'
    /// rows one after the other, and the last `limit` rows need only the last few lines.
    private func textRows(header: [Span], _ entry: LogEntry, style: Style, limit: Int, highlights: Highlights) -> [LogRow] {
        let bytes = entry.renderableBytes
        let lines = Self.lines(bytes)
        let indent = indentFor(header)
        // Match ranges are offsets in `entry.bytes`; the text starts with the carried-in bytes.
        let shifted = highlights.shifted(by: entry.carryIn.count)
        func lineRows(_ index: Int, besideHeader: Bool) -> [LogRow] {
            let spans = textSpans(bytes[lines[index]], style: style, highlights: shifted)
            return besideHeader ? wrap(header + spans, indent: indent) : wrap(spans, indent: indent, continuing: true)
        }
        // The rows of the lines after the first, from the last line back, until there are enough.
        var newestFirst: [[LogRow]] = []
        var count = 0
        var index = lines.count - 1
        while count < limit && index >= 1 {
            newestFirst.append(lineRows(index, besideHeader: false))
            count += newestFirst[newestFirst.count - 1].count
            index -= 1
        }
        if count < limit {
            // The header's rows and the first line's.
            let first = lines.isEmpty ? wrap(header, indent: indent) : lineRows(0, besideHeader: true)
            let ownRow = indent < Self.width(header) && (lines.count > 1 || first.count > 1)
            if ownRow && !lines.isEmpty { newestFirst.append(lineRows(0, besideHeader: false)) }
            newestFirst.append(ownRow ? wrap(header, indent: indent) : first)
        }
        return Array(newestFirst.reversed().joined().suffix(limit))
    }

    /// A line longer than this many bytes continues on a new row every this many bytes, so that
    /// laying out the end of a chunk never means wrapping all of a 64 KiB line (a flood from
    /// /dev/zero has no line breaks).
    static let longLineBytes = 4096

    /// The ranges of `bytes` that each start a new row: up to and including each LF, and pieces of
    /// at most `longLineBytes` (cut before a UTF-8 lead byte, so no character is split) of a
    /// longer line.
    static func lines(_ bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let windowEnd = min(bytes.endIndex, start + longLineBytes)
            if let newline = bytes[start..<windowEnd].firstIndex(of: 0x0A) {
                result.append(start..<newline + 1)
                start = newline + 1
                continue
            }
            var cut = windowEnd
            while cut < bytes.endIndex && cut < windowEnd + 3 && bytes[cut] & 0xC0 == 0x80 { cut += 1 }
            result.append(start..<cut)
            start = cut
        }
        return result
    }

    /// The sanitized text of some bytes of a data entry, with a forced row break after each `\n`;
    /// bytes in a match are drawn in the match's style.
    private func textSpans(_ bytes: ArraySlice<UInt8>, style: Style, highlights: Highlights) -> [Span] {
        guard !highlights.isEmpty else { return textSpans(bytes, style: style) }
        var spans: [Span] = []
        for (range, matchStyle) in highlights.segments(of: bytes.indices) {
            spans += textSpans(bytes[range], style: matchStyle ?? style, escapeStyle: matchStyle)
        }
        return spans
    }

    private func textSpans(_ bytes: ArraySlice<UInt8>, style: Style, escapeStyle: Style? = nil) -> [Span] {
        let escape = escapeStyle ?? theme.escape
        var spans: [Span] = []
        for piece in Sanitizer.pieces(bytes) {
            switch piece {
            case .text(let text): spans += Self.words(text, style)
            case .escape(let text): spans += Self.escapes(text, escape)
            case .lineBreak: spans.append(Span("\\n", escape, unbreakable: true)); spans.append(Span("\n", style))
            }
        }
        return spans
    }

    /// `text` as unbreakable words and the spaces between them.
    static func words(_ text: String, _ style: Style) -> [Span] {
        var spans: [Span] = []
        var run = ""
        var runIsSpace = false
        for character in text {
            let isSpace = character == " "
            if isSpace != runIsSpace && !run.isEmpty {
                spans.append(Span(run, style, unbreakable: !runIsSpace))
                run = ""
            }
            runIsSpace = isSpace
            run.append(character)
        }
        if !run.isEmpty { spans.append(Span(run, style, unbreakable: !runIsSpace)) }
        return spans
    }

    /// A run of escapes (`\r\x00`) as one unbreakable span per escape: a row never ends inside
    /// `\x1b`.
    static func escapes(_ text: String, _ style: Style) -> [Span] {
        var spans: [Span] = []
        for character in text {
            if character == "\\" || spans.isEmpty {
                spans.append(Span(String(character), style, unbreakable: true))
            } else {
                spans[spans.count - 1].text.append(character)
            }
        }
        return spans
    }

    /// The last `limit` hexdump rows, with as many bytes per row as fit (16, 8 or 4), indented by
    /// 2 under the header when that still fits: 8 bytes a row without the indent beat 4 with it.
    private func hexRows(_ entry: LogEntry, style: Style, limit: Int, highlights: Highlights) -> [LogRow] {
        let perRow = [16, 8, 4].first { HexDump.rowWidth(bytesPerRow: $0) <= width } ?? 4
        let indent = HexDump.rowWidth(bytesPerRow: perRow) + 2 <= width ? "  " : ""
        let skippedRows = max(0, HexDump.rowCount(byteCount: entry.bytes.count, bytesPerRow: perRow) - limit)
        let skipped = min(entry.bytes.count, skippedRows * perRow)
        let rows = HexDump.rows(entry.bytes[skipped...], startOffset: entry.streamOffset + UInt64(skipped), bytesPerRow: perRow)
        return rows.enumerated().map { index, row in
            let first = skipped + index * perRow
            let count = min(perRow, entry.bytes.count - first)
            guard highlights.overlaps(first..<first + count) else { return LogRow([Span(indent + row, style)]) }
            return LogRow([Span(indent, style)] + Self.highlightedHexRow(row, firstByte: first, count: count, perRow: perRow,
                                                                       style: style, highlights: highlights))
        }
    }

    /// A hexdump row with the cells of matched bytes (their hex pair and their ASCII column) in
    /// the match's style. Columns, as `HexDump` lays them out: the offset and two spaces, byte `i`
    /// at `3i` (one more from the second half), `|` after them, byte `i`'s character after it.
    static func highlightedHexRow(_ row: String, firstByte: Int, count: Int, perRow: Int, style: Style,
                                  highlights: Highlights) -> [Span] {
        let cells = Array(row)
        var styles = [Style](repeating: style, count: cells.count)
        let hexStart = (cells.firstIndex(of: " ") ?? 8) + 2
        let bar = cells.firstIndex(of: "|") ?? cells.count
        for i in 0..<count {
            guard let matchStyle = highlights.style(at: firstByte + i) else { continue }
            let column = hexStart + 3 * i + (perRow >= 2 && i >= perRow / 2 ? 1 : 0)
            // The space after a byte whose neighbour matched too, so `4f 4b` reads as one match.
            let joined = i + 1 < count && highlights.style(at: firstByte + i + 1) == matchStyle && i + 1 != perRow / 2
            for c in [column, column + 1, bar + 1 + i] + (joined ? [column + 2] : []) where c < cells.count { styles[c] = matchStyle }
        }
        var spans: [Span] = []
        for (cell, cellStyle) in zip(cells, styles) {
            if let last = spans.last, last.style == cellStyle { spans[spans.count - 1].text.append(cell) } else { spans.append(Span(String(cell), cellStyle)) }
        }
        return spans
    }

    /// Lays spans out in rows of `width` columns; continuation rows start at `indent` (the first
    /// row too when `continuing`). A span "\n" ends the row (the text view's row after each line
    /// break); an unbreakable span that does not fit the rest of a row starts the next one.
    func wrap(_ spans: [Span], indent: Int, continuing: Bool = false) -> [LogRow] {
        var rows: [LogRow] = []
        var current = continuing ? LogRow([Span(String(repeating: " ", count: indent), .plain)]) : LogRow()
        var column = continuing ? indent : 0
        var pending = ""
        var pendingStyle = Style.plain
        func flushPending() {
            if !pending.isEmpty { current.spans.append(Span(pending, pendingStyle)); pending = "" }
        }
        func newRow() {
            flushPending()
            rows.append(current)
            current = LogRow([Span(String(repeating: " ", count: indent), .plain)])
            column = indent
        }
        for (index, span) in spans.enumerated() {
            if span.text == "\n" {
                // A row break after `\n`, unless it is the very end of the entry.
                if index < spans.count - 1 { newRow() }
                continue
            }
            if span.style != pendingStyle { flushPending(); pendingStyle = span.style }
            if span.unbreakable && column > indent {
                let w = CharWidth.of(span.text)
                if column + w > width && indent + w <= width { newRow() }
            }
            for character in span.text {
                let w = max(0, CharWidth.of(character))
                if column + w > width {
                    // A space where the row ends is where the row breaks: drawn at the start of
                    // the next row it would push the continuation out of line (the hex view
                    // shows every byte).
                    if character == " " { continue }
                    newRow()
                }
                pending.append(character)
                column += w
            }
        }
        flushPending()
        rows.append(current)
        return rows
    }
}

