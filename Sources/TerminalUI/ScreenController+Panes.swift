// ScreenController+Panes.swift — keys for the lists and the log, the layout keys (zoom, split,
// closed connections) and the mouse.

import ExplorerCore

extension ScreenController {
    /// A key while a list or the log has the focus.
    static func paneKey(_ key: Key, ui: inout UIState, model: ScreenModel, layout: Layout?) -> [ScreenAction] {
        guard let layout else { return otherKey(key, ui: &ui, model: model) }
        switch ui.focus {
        case .listeners: return listKey(key, ui: &ui, model: model, list: ListFrame.listeners(model, ui, layout))
        case .connections: return listKey(key, ui: &ui, model: model, list: ListFrame.connections(model, ui, layout))
        case .log: return logKey(key, ui: &ui, model: model, layout: layout)
        case .prompt: return []
        }
    }

    // MARK: Lists

    private static func listKey(_ key: Key, ui: inout UIState, model: ScreenModel, list: ListFrame) -> [ScreenAction] {
        let rows = list.ids
        let index = model.selected.flatMap { rows.firstIndex(of: $0) }
        func select(_ target: Int, context: Bool = false) -> [ScreenAction] {
            guard !rows.isEmpty else { return [] }
            let row = max(0, min(rows.count - 1, target))
            if context { keepContext(around: row, list: list, ui: &ui) }
            return [.select(rows[row])]
        }
        switch key {
        case .up: return select(index.map { $0 - 1 } ?? rows.count - 1, context: true)
        case .down: return select(index.map { $0 + 1 } ?? 0, context: true)
        case .pageUp: return select((index ?? 0) - list.slots)
        case .pageDown: return select((index ?? 0) + list.slots)
        case .home: return select(0)
        case .end: return select(rows.count - 1)
        case .enter:
            ui.focus = .prompt
            return index.map { [.select(rows[$0])] } ?? []
        default:
            return otherKey(key, ui: &ui, model: model)
        }
    }

    /// ↑/↓ scroll a list before the selection reaches its edge, so one row of context stays
    /// visible above and below it (as in htop), unless the list is at its end.
    private static func keepContext(around row: Int, list: ListFrame, ui: inout UIState) {
        let slots = list.slots
        guard slots >= 3, list.ids.count > slots else { return }
        var start = list.start
        if row <= start { start = row - 1 }
        if row >= start + slots - 1 { start = row - slots + 2 }
        start = max(0, min(start, list.ids.count - slots))
        if ui.focus == .listeners { ui.listenersOffset = start } else { ui.connectionsOffset = start }
    }

    // MARK: Log

    static func logKey(_ key: Key, ui: inout UIState, model: ScreenModel, layout: Layout?) -> [ScreenAction] {
        guard let layout, !layout.log.isEmpty else { return [] }
        let height = layout.log.height, width = layout.log.width
        switch key {
        case .up, .mouse(_, _, .wheelUp):
            ui.logScroll = LogPane.scrollUp(model, from: ui.logScroll, rows: 1, height: height, width: width, theme: ui.theme)
        case .down, .mouse(_, _, .wheelDown):
            ui.logScroll = LogPane.scrollDown(model, from: ui.logScroll, rows: 1, width: width, theme: ui.theme)
        case .pageUp:
            ui.logScroll = LogPane.scrollUp(model, from: ui.logScroll, rows: max(1, height - 1), height: height, width: width, theme: ui.theme)
        case .pageDown:
            ui.logScroll = LogPane.scrollDown(model, from: ui.logScroll, rows: max(1, height - 1), width: width, theme: ui.theme)
        case .home:
            ui.logScroll = LogPane.top(model, height: height, width: width, theme: ui.theme)
        case .end:
            ui.logScroll = nil
            return [.run("follow")]
        default:
            return otherKey(key, ui: &ui, model: model)
        }
        return []
    }

    /// Keys outside the prompt that are not navigation: `?` opens help, `\` zooms the pane, Esc
    /// returns to the prompt, anything else printable goes to the prompt (so typing a command just
    /// works).
    private static func otherKey(_ key: Key, ui: inout UIState, model: ScreenModel) -> [ScreenAction] {
        switch key {
        case .char("?"):
            ui.helpVisible = true
            ui.helpOffset = 0
            return []
        case .char("\\"):
            toggleZoom(ui: &ui)
            return []
        case .escape:
            ui.focus = .prompt
            return []
        case .char, .ctrl("c"), .ctrl("d"):
            ui.focus = .prompt
            return promptKey(key, ui: &ui, model: model, layout: nil)
        default:
            return []
        }
    }

    // MARK: Layout keys

    /// F4 / `\`: the focused pane fills the body (the log when the prompt has the focus); again
    /// restores the layout, as tmux's zoom does.
    static func toggleZoom(ui: inout UIState) {
        if ui.zoom != nil {
            ui.zoom = nil
            return
        }
        switch ui.focus {
        case .listeners: ui.zoom = .listeners
        case .connections: ui.zoom = .connections
        case .log, .prompt: ui.zoom = .log
        }
    }

    /// Tab order: prompt → listeners → connections → log; while a pane is zoomed, the prompt and
    /// that pane.
    static func nextFocus(_ ui: UIState, forward: Bool) -> Focus {
        guard let zoom = ui.zoom else { return forward ? ui.focus.next : ui.focus.previous }
        let pane: Focus = switch zoom {
        case .listeners: .listeners
        case .connections: .connections
        case .log: .log
        }
        return ui.focus == .prompt ? pane : .prompt
    }

    /// Shift-→/↓ give the socket panes more room, Shift-←/↑ give it to the log, one step of
    /// `Layout.splitStep` percent at a time (a step that would not move a column is skipped).
    static func moveSplit(_ key: Key, ui: inout UIState, model: ScreenModel, width: Int, height: Int) {
        var unzoomed = ui
        unzoomed.zoom = nil
        guard ui.zoom == nil, let layout = Layout.of(model, unzoomed, width: width, height: height) else { return }
        let grow = key == .shiftRight || key == .shiftDown
        var percent = layout.splitPercent
        while Layout.splitRange.contains(percent + (grow ? Layout.splitStep : -Layout.splitStep)) {
            percent += grow ? Layout.splitStep : -Layout.splitStep
            unzoomed.split = percent
            guard let moved = Layout.of(model, unzoomed, width: width, height: height) else { return }
            if moved.socketsBox != layout.socketsBox {
                ui.split = percent
                return
            }
        }
    }

    /// F5: hides the closed and failed connections now listed; when none are listed, shows the
    /// hidden ones again (for another `linger`).
    static func toggleClosed(ui: inout UIState, model: ScreenModel) {
        ui.connectionOrder.refresh(model.table)
        let order = ui.connectionOrder
        let listed = order.closed.count - order.hiddenCount(ui.closed, now: model.now)
        if listed > 0 {
            let newest = order.closed.map(\.closedAt).max() ?? 0
            ui.closed.hiddenBefore = max(newest + 1, model.now ?? 0)
            ui.notice = "\(listed) closed hidden — F5 shows them again"
        } else if !order.closed.isEmpty {
            ui.closed.hiddenBefore = nil
            ui.closed.showClosed = true
            ui.closed.revealedAt = model.now
        }
    }

    // MARK: Mouse

    static func click(x: Int, y: Int, button: MouseButton, ui: inout UIState, model: ScreenModel, layout: Layout?) -> [ScreenAction] {
        guard let layout else { return [] }
        if button == .wheelUp || button == .wheelDown {
            if layout.logBox.contains(x: x, y: y) {
                return logKey(.mouse(x: x, y: y, button: button), ui: &ui, model: model, layout: layout)
            }
            return []
        }
        guard button == .left else { return [] }
        if layout.listeners.contains(x: x, y: y) {
            ui.focus = .listeners
            return ListFrame.listeners(model, ui, layout).item(atRow: y).map { [.select($0)] } ?? []
        }
        if layout.connections.contains(x: x, y: y) {
            ui.focus = .connections
            return ListFrame.connections(model, ui, layout).item(atRow: y).map { [.select($0)] } ?? []
        }
        if layout.socketsBox.contains(x: x, y: y) {
            switch ui.zoom {
            case .listeners: ui.focus = .listeners
            case .connections: ui.focus = .connections
            default: ui.focus = y <= layout.separatorY ? .listeners : .connections
            }
        } else if layout.logBox.contains(x: x, y: y) {
            ui.focus = .log
        } else if layout.prompt.contains(x: x, y: y) || layout.status.contains(x: x, y: y) {
            ui.focus = .prompt
        }
        return []
    }
}
