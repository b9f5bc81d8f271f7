// PromptLine.swift — the prompt (`#3 › send "hi"`, the target first) and the status line under
// it (`ok: …` / `error: …`, or what is still running) with key hints on the right.

import ExplorerCore

public enum PromptLine {
    /// Draws the prompt and returns where the cursor goes.
    public static func render(_ model: ScreenModel, ui: UIState, in rect: Rect, into canvas: inout Canvas) -> (x: Int, y: Int)? {
        guard !rect.isEmpty else { return nil }
        let theme = ui.theme
        let label = " " + (model.selected.map { "\($0)" } ?? "-") + " › "
        let labelWidth = canvas.put(label, x: rect.x, y: rect.y, style: ui.focus == .prompt ? theme.prompt : theme.dim)
        let field = max(1, rect.width - labelWidth - 1)
        let visible = ui.editor.visible(width: field)
        canvas.put(visible.text, x: rect.x + labelWidth, y: rect.y, style: theme.text, maxWidth: field)
        return ui.focus == .prompt ? (rect.x + labelWidth + visible.cursorColumn, rect.y) : nil
    }

    /// The hint on the right of the status line.
    public static let hints = "F1 help · Tab focus · F2 view"

    /// Draws the status line.
    public static func renderStatus(_ model: ScreenModel, ui: UIState, in rect: Rect, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        let theme = ui.theme
        let hintWidth = CharWidth.of(hints)
        let room = rect.width - hintWidth - 2
        let messageWidth = room >= 20 ? room : rect.width - 1
        let (text, style) = message(model, ui: ui)
        canvas.put(" " + text, x: rect.x, y: rect.y, style: style, maxWidth: messageWidth)
        if room >= 20 {
            canvas.put(hints, x: rect.maxX - hintWidth - 1, y: rect.y, style: theme.hint)
        }
    }

    static func message(_ model: ScreenModel, ui: UIState) -> (String, Style) {
        let theme = ui.theme
        if let notice = ui.notice { return (notice, theme.title) }
        if !ui.candidates.isEmpty { return (ui.candidates.joined(separator: "  "), theme.hint) }
        if let running = model.pending.last, model.status?.ok != false {
            let more = model.pending.count > 1 ? " (+\(model.pending.count - 1) more)" : ""
            return ("⏳ " + running + more, theme.event)
        }
        guard let status = model.status else { return ("", theme.text) }
        return ("\(status)", status.ok ? theme.statusOk : theme.statusError)
    }
}

/// The help overlay (F1 or `?`): keys, then every command.
public enum HelpOverlay {
    public static let keyLines = [
        "Keys",
        "  Tab / Shift-Tab   move focus: prompt → listeners → connections → log",
        "  ↑ ↓               select a row (lists), scroll (log), history (prompt)",
        "  Enter             in a list: make the row the target and go to the prompt",
        "  PgUp PgDn Home End  scroll the log; End (or `follow`) follows new data",
        "  F1 or ?           this help (? outside the prompt)",
        "  F2                view: text → hex → both",
        "  F3                filter the log to the selected socket (again: all)",
        "  Ctrl-L            redraw",
        "  ← → Home End Ctrl-A/E/K/U/W/Y   edit the prompt like readline",
        "  Ctrl-C            clear the prompt; on an empty prompt twice: quit",
        "  Ctrl-D            on an empty prompt: quit",
        "  mouse             click a pane to focus it, a row to select it",
        "",
    ]

    public static var lines: [String] { keyLines + HelpText.overview() }

    public static func render(offset: Int, in screen: Rect, theme: Theme, into canvas: inout Canvas) {
        let width = min(screen.width - 2, 100)
        let height = screen.height - 2
        guard width >= 20, height >= 5 else { return }
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + 1, width: width, height: height)
        canvas.fill(box)
        canvas.box(box, title: "Help · ↑↓ PgUp PgDn scroll · Esc close", style: theme.borderFocused, titleStyle: theme.title)
        let inner = box.inset(by: 1)
        let all = lines
        let start = max(0, min(offset, all.count - inner.height))
        for (index, line) in all.dropFirst(start).prefix(inner.height).enumerated() {
            let isHeading = line == "Keys" || line.hasPrefix("commands")
            canvas.put(" " + line, x: inner.x, y: inner.y + index, style: isHeading ? theme.header : theme.text, maxWidth: inner.width)
        }
    }

    /// The largest useful offset for a screen.
    public static func maxOffset(screenHeight: Int) -> Int { max(0, lines.count - (screenHeight - 4)) }
}
