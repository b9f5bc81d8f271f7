// PromptLine.swift — the prompt (`#3 › send "hi"`, the target first) and the status line under
// it (`ok: …` / `error: …`, or what is still running) with key hints on the right.

import ExplorerCore

public enum PromptLine {
    /// Draws the prompt and returns where the cursor goes.
    public static func render(_ model: ScreenModel, ui: UIState, in rect: Rect, into canvas: inout Canvas) -> (x: Int, y: Int)? {
        guard !rect.isEmpty else { return nil }
        let theme = ui.theme
        let label = " " + (model.selected.map { "\($0) " } ?? "") + "› "
        let labelWidth = canvas.put(label, x: rect.x, y: rect.y, style: ui.focus == .prompt ? theme.prompt : theme.dim)
        let field = max(1, rect.width - labelWidth - 1)
        let visible = ui.editor.visible(width: field)
        canvas.put(visible.text, x: rect.x + labelWidth, y: rect.y, style: theme.text, maxWidth: field)
        return ui.focus == .prompt ? (rect.x + labelWidth + visible.cursorColumn, rect.y) : nil
    }

    /// The hint on the right of the status line.
    public static let hints = "F1 help · Tab focus · F2 view"

    /// Draws the status line: the message on the left, the key hints on the right when both fit;
    /// a message too long for that takes the whole line (an error's reason matters more than
    /// hints the user can find with F1).
    public static func renderStatus(_ model: ScreenModel, ui: UIState, in rect: Rect, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        let theme = ui.theme
        let (text, style) = message(model, ui: ui)
        let hintWidth = CharWidth.of(hints)
        let showHints = 1 + CharWidth.of(text) + 2 + hintWidth + 1 <= rect.width
        canvas.put(" " + Canvas.truncate(text, toWidth: rect.width - 2), x: rect.x, y: rect.y, style: style, maxWidth: rect.width)
        if showHints {
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
