// HelpOverlay.swift — the help screen (F1 or `?`): every key, then every command, word-wrapped to
// the terminal's width with hanging indents, over everything but the status line.

import ExplorerCore

/// The help overlay.
public enum HelpOverlay {
    /// Keys and what they do, in the order a newcomer needs them.
    public static let keys: [(keys: String, action: String)] = [
        ("Tab / Shift-Tab", "move focus: prompt → listeners → connections → log"),
        ("↑ ↓", "select a row (lists), scroll (log), history (prompt)"),
        ("Enter", "in a list: make the row the target and go to the prompt"),
        ("PgUp PgDn", "scroll the log from anywhere; PgDn at the bottom follows new data again"),
        ("Home End", "in the log: the oldest entries / follow new data"),
        ("End, Ctrl-End", "End on an empty prompt, Ctrl-End anywhere (or `follow`): follow new data"),
        ("F1 or ?", "this help (? outside the prompt)"),
        ("F2", "view: text → hex → both"),
        ("F3", "filter the log to the selected socket (again: all)"),
        ("F4 or \\", "zoom the focused pane, the log from the prompt (again: back; \\ outside the prompt)"),
        ("Shift-← →", "move the split between the socket panes and the log (Shift-↑ ↓ when stacked; set split 40)"),
        ("F5", "hide the closed connections now listed (again: show them; set showclosed off, clear closed)"),
        ("F6 / Shift-F6", "after find: the next older / newer match (match 2/9 in the log's title)"),
        ("Ctrl-L", "redraw"),
        ("← → Home End", "move in the prompt"),
        ("Ctrl-A/E/K/U/W/Y", "edit the prompt like readline"),
        ("Ctrl-C", "clear the prompt; on an empty prompt twice: quit"),
        ("Ctrl-D", "on an empty prompt: quit (asks first while sockets are open; again: quit)"),
        ("quit!", "quit at once, without asking (quit and exit ask while sockets are open)"),
        ("paste", "goes into the prompt as one line: line breaks become \\n (\\r\\n with set eol crlf)"),
        ("mouse", "click a pane to focus it, a row to select it; Shift-drag selects text in most terminals, set mouse off gives selection back"),
        ("copy", "copy puts the entry the log points at (copy #3: a stream) on the clipboard (OSC 52)"),
    ]

    /// One line of help before wrapping, and where its continuation rows start.
    struct Line {
        var text: String
        var hangingIndent: Int
        var isHeading: Bool
    }

    /// The help before wrapping: the keys in two columns, then the command overview.
    static var lines: [Line] {
        let column = keys.map { CharWidth.of($0.keys) }.max()! + 2
        var lines = [Line(text: "Keys", hangingIndent: 0, isHeading: true)]
        for (key, action) in keys {
            let padding = String(repeating: " ", count: column - CharWidth.of(key))
            lines.append(Line(text: "  " + key + padding + action, hangingIndent: 2 + column, isHeading: false))
        }
        lines.append(Line(text: "", hangingIndent: 0, isHeading: false))
        for (index, text) in HelpText.overview().enumerated() {
            let leading = text.prefix { $0 == " " }.count
            lines.append(Line(text: text, hangingIndent: leading + 4, isHeading: index == 0))
        }
        return lines
    }

    /// The rows of help for a content area `width` columns wide.
    static func rows(width: Int) -> [(text: String, isHeading: Bool)] {
        lines.flatMap { line in
            wrap(line.text, width: width, indent: line.hangingIndent).map { ($0, line.isHeading) }
        }
    }

    /// Greedy word wrap that keeps runs of spaces inside a row (the key column) and drops them
    /// at a break; continuation rows start with `indent` spaces (none when the row is too narrow
    /// for that), and a word wider than a row is cut across rows.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let indent = indent * 2 <= width ? indent : 0
        var tokens: [(spaces: Int, word: String)] = []
        var spaces = 0, word = ""
        for character in text {
            if character != " " {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append((spaces, word)); spaces = 0; word = "" }
            spaces += 1
        }
        if !word.isEmpty || tokens.isEmpty { tokens.append((spaces, word)) }
        var rows: [String] = []
        var row = "", used = 0, rowHasWord = false
        func newRow() {
            rows.append(row)
            row = String(repeating: " ", count: indent)
            used = indent
            rowHasWord = false
        }
        for (spaces, word) in tokens {
            if rowHasWord && used + spaces + CharWidth.of(word) > width {
                newRow()
            } else {
                row += String(repeating: " ", count: spaces)
                used += spaces
            }
            for character in word {
                let w = max(0, CharWidth.of(character))
                if used + w > width && used > indent { newRow() }
                row.append(character)
                used += w
            }
            rowHasWord = true
        }
        rows.append(row)
        return rows
    }

    /// The help box for a screen: all of it but the status line.
    static func box(in screen: Rect) -> Rect {
        Rect(x: screen.x, y: screen.y, width: screen.width, height: screen.height - 1)
    }

    public static func render(offset: Int, in screen: Rect, theme: Theme, into canvas: inout Canvas) {
        let box = box(in: screen)
        guard box.width >= 20, box.height >= 5 else { return }
        canvas.fill(box)
        canvas.box(box, title: "Help · ↑↓ PgUp PgDn scroll · Esc close", style: theme.borderFocused, titleStyle: theme.title)
        let inner = box.inset(by: 1)
        let all = rows(width: inner.width - 2)
        let start = max(0, min(offset, all.count - inner.height))
        for (index, row) in all.dropFirst(start).prefix(inner.height).enumerated() {
            canvas.put(row.text, x: inner.x + 1, y: inner.y + index, style: row.isHeading ? theme.header : theme.text,
                       maxWidth: inner.width - 2)
        }
    }

    /// The largest useful offset for a screen of this size.
    public static func maxOffset(screenWidth: Int, screenHeight: Int) -> Int {
        let inner = box(in: Rect(x: 0, y: 0, width: screenWidth, height: screenHeight)).inset(by: 1)
        return max(0, rows(width: inner.width - 2).count - inner.height)
    }
}
