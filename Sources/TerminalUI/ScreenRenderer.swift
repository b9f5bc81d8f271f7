// ScreenRenderer.swift — one whole frame: the layout, the boxed panes, the prompt and status
// line, the help overlay; or the "terminal too small" message.

import ExplorerCore

public enum ScreenRenderer {
    /// Renders a frame for a `width`×`height` terminal.
    public static func render(_ model: ScreenModel, ui: UIState, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: max(0, width), height: max(0, height))
        let listeners = model.table.listeners
        guard let layout = Layout.compute(width: width, height: height, listenerCount: listeners.count) else {
            renderTooSmall(width: width, height: height, theme: ui.theme, into: &canvas)
            return canvas
        }
        let theme = ui.theme
        let socketsFocused = ui.focus == .listeners || ui.focus == .connections
        // The focused pane's title is drawn like a selected row: the two lists share one box, and
        // a highlighted border alone would not say which of them has the keys.
        func titleStyle(_ focus: Focus) -> Style { ui.focus == focus ? theme.selection : theme.title }
        canvas.box(layout.socketsBox, title: "Listeners", style: socketsFocused ? theme.borderFocused : theme.border,
                   titleStyle: titleStyle(.listeners))
        let connections = model.table.connectionIDs
        canvas.separator(y: layout.separatorY, in: layout.socketsBox,
                         title: connectionsTitle(open: model.table.openConnectionCount, total: connections.count),
                         style: socketsFocused ? theme.borderFocused : theme.border, titleStyle: titleStyle(.connections))
        ListenersPane.render(model, listeners: listeners, offset: ui.listenersOffset, in: layout.listeners,
                             focused: ui.focus == .listeners, theme: theme, into: &canvas)
        ConnectionsPane.render(model, connections: connections, offset: ui.connectionsOffset, in: layout.connections,
                               focused: ui.focus == .connections, theme: theme, into: &canvas)
        canvas.box(layout.logBox, title: LogPane.title(model, scroll: ui.logScroll),
                   style: ui.focus == .log ? theme.borderFocused : theme.border, titleStyle: titleStyle(.log))
        LogPane.render(model, scroll: ui.logScroll, in: layout.log, theme: theme, into: &canvas)
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

    /// `Connections · 3`, or `Connections · 2 open of 3` once some have closed.
    static func connectionsTitle(open: Int, total: Int) -> String {
        if total == 0 { return "Connections" }
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
