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

    /// Draws the status line: the message on the left, the key hints on the right. An `ok:` (or
    /// what is still running) too long for both is cut with `…` so the hints stay; an error, a
    /// question or completion candidates take the whole line instead (the reason matters more
    /// than hints the user can find with F1).
    public static func renderStatus(_ model: ScreenModel, ui: UIState, in rect: Rect, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        let theme = ui.theme
        let (text, style, yields) = message(model, ui: ui)
        let hintWidth = CharWidth.of(hints)
        let hintsFit = 1 + CharWidth.of(text) + 2 + hintWidth + 1 <= rect.width
        let roomBesideHints = rect.width - hintWidth - 4
        let showHints = hintsFit || (yields && roomBesideHints >= 12)
        let room = showHints ? min(rect.width - 2, roomBesideHints) : rect.width - 2
        canvas.put(" " + Canvas.truncate(text, toWidth: room), x: rect.x, y: rect.y, style: style, maxWidth: rect.width)
        if showHints {
            canvas.put(hints, x: rect.maxX - hintWidth - 1, y: rect.y, style: theme.hint)
        }
    }

    /// While a command is typed at the prompt, its syntax from the registry (`send [TARGET]
    /// PAYLOAD [to=HOST:PORT]`), dimmed, as mitmproxy's command bar shows it; the answer to the
    /// previous command is in the log meanwhile.
    static func syntaxHint(_ ui: UIState) -> String? {
        guard ui.focus == .prompt, let word = ui.editor.line.split(separator: " ").first,
              let info = CommandCatalog.lookup(String(word)) else { return nil }
        return info.usage
    }

    /// The status text, its style, and whether it may be cut to leave room for the hints.
    static func message(_ model: ScreenModel, ui: UIState) -> (String, Style, yields: Bool) {
        let theme = ui.theme
        if let notice = ui.notice { return (notice, theme.title, false) }
        if !ui.candidates.isEmpty { return (ui.candidates.joined(separator: "  "), theme.hint, false) }
        if let syntax = syntaxHint(ui) { return (syntax, theme.hint, true) }
        if let running = model.pending.last, model.status?.ok != false {
            let more = model.pending.count > 1 ? " (+\(model.pending.count - 1) more)" : ""
            return ("⏳ " + running + more, theme.event, true)
        }
        guard let status = model.status else { return ("", theme.text, true) }
        return ("\(status)", status.ok ? theme.statusOk : theme.statusError, status.ok)
    }
}
