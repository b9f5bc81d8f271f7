// ScreenRenderer.swift — one whole frame: the layout, the boxed panes, the prompt and status
// line, the help overlay; or the "terminal too small" message.

import ExplorerCore

public enum ScreenRenderer {
    /// Renders a frame for a `width`×`height` terminal.
    public static func render(_ model: ScreenModel, ui: UIState, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: max(0, width), height: max(0, height))
        guard let layout = Layout.of(model, ui, width: width, height: height) else {
            renderTooSmall(width: width, height: height, theme: ui.theme, into: &canvas)
            return canvas
        }
        let theme = ui.theme
        let socketsFocused = ui.focus == .listeners || ui.focus == .connections
        // The focused pane's title is drawn like a selected row: the two lists share one box, and
        // a highlighted border alone would not say which of them has the keys.
        func titleStyle(_ focus: Focus) -> Style { ui.focus == focus ? theme.selection : theme.title }
        let zoomed = ui.zoom.map { _ in " · zoomed" } ?? ""
        let connections = ListFrame.connections(model, ui, layout)
        let connectionsTitle = connectionsTitle(open: model.table.openConnectionCount, total: model.table.connectionIDs.count,
                                                hidden: model.table.connectionIDs.count - connections.ids.count)
        let boxStyle = socketsFocused ? theme.borderFocused : theme.border
        switch ui.zoom {
        case .connections:
            canvas.box(layout.socketsBox, title: connectionsTitle + zoomed, style: boxStyle, titleStyle: titleStyle(.connections))
        case .listeners:
            canvas.box(layout.socketsBox, title: "Listeners" + zoomed, style: boxStyle, titleStyle: titleStyle(.listeners))
        case .log:
            break
        case nil:
            canvas.box(layout.socketsBox, title: "Listeners", style: boxStyle, titleStyle: titleStyle(.listeners))
            canvas.separator(y: layout.separatorY, in: layout.socketsBox, title: connectionsTitle, style: boxStyle,
                             titleStyle: titleStyle(.connections))
        }
        ListenersPane.render(model, list: ListFrame.listeners(model, ui, layout), focused: ui.focus == .listeners, theme: theme,
                             peerColors: ui.peerColors, into: &canvas)
        ConnectionsPane.render(model, list: connections, focused: ui.focus == .connections, theme: theme,
                               peerColors: ui.peerColors, into: &canvas)
        if !layout.logBox.isEmpty {
            canvas.box(layout.logBox, title: LogPane.title(model, scroll: ui.logScroll) + zoomed,
                       style: ui.focus == .log ? theme.borderFocused : theme.border, titleStyle: titleStyle(.log))
            LogPane.render(model, scroll: ui.logScroll, in: layout.log, theme: theme, peerColors: ui.peerColors, into: &canvas)
        }
        if let lesson = model.lesson, ui.zoom == nil { LessonPane.render(lesson, above: layout.prompt, theme: theme, into: &canvas) }
        let cursor = PromptLine.render(model, ui: ui, in: layout.prompt, into: &canvas)
        PromptLine.renderStatus(model, ui: ui, in: layout.status, into: &canvas)
        if ui.helpVisible {
            HelpOverlay.render(offset: ui.helpOffset, in: canvas.bounds, theme: theme, into: &canvas)
            canvas.cursor = nil
        } else {
            canvas.cursor = cursor
        }
        return canvas
    }

    /// `Connections · 3`, or `Connections · 2 open of 3` once some have closed, or
    /// `Connections · 2 open · 1 hidden` when the list leaves closed ones out.
    static func connectionsTitle(open: Int, total: Int, hidden: Int = 0) -> String {
        if total == 0 { return "Connections" }
        if hidden > 0 { return "Connections · \(open) open · \(hidden) hidden" }
        return open == total ? "Connections · \(total)" : "Connections · \(open) open of \(total)"
    }

    /// Below the minimum size: say so plainly, centred as far as the terminal allows.
    static func renderTooSmall(width: Int, height: Int, theme: Theme, into canvas: inout Canvas) {
        let lines = ["terminal too small", "\(width)×\(height), need \(Layout.minimumWidth)×\(Layout.minimumHeight)"]
        let top = max(0, (height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < height {
            let lineWidth = CharWidth.of(line)
            canvas.put(line, x: max(0, (width - lineWidth) / 2), y: top + index, style: index == 0 ? theme.title : theme.hint)
        }
    }
}
