// SocketPanes.swift — the Listeners and Connections panes: one row per listener, two per
// connection (addresses and state, then counters), the selected socket marked with ▶. Only the
// visible rows are formatted, so thousands of connections cost what a screenful costs.

import ExplorerCore
import SocketKit

/// Renders the Listeners section.
public enum ListenersPane {
    public static func render(_ model: ScreenModel, listeners: [SocketEntry], offset: Int, in rect: Rect,
                              focused: Bool, theme: Theme, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        if listeners.isEmpty {
            canvas.put(" none yet — try: listen 5000", x: rect.x, y: rect.y, style: theme.hint, maxWidth: rect.width)
            return
        }
        let start = ScrollMath.offset(current: offset, selectedIndex: listeners.firstIndex { $0.id == model.selected },
                                      visibleRows: rect.height, total: listeners.count)
        for (row, entry) in listeners.dropFirst(start).prefix(rect.height).enumerated() {
            let selected = entry.id == model.selected
            let style = entry.state.isOpen ? theme.text : theme.dim
            let line = (selected ? "▶" : " ") + summary(entry)
            canvas.put(line, x: rect.x, y: rect.y + row, style: selected && focused ? theme.selection : style, maxWidth: rect.width)
        }
    }

    /// `#1 tcp 127.0.0.1:5000  bl 128  ✓3  echo`.
    public static func summary(_ entry: SocketEntry) -> String {
        var parts = ["\(entry.id) \(entry.protocolName) \(entry.local.map { "\($0)" } ?? entry.requested)"]
        if entry.role == .listener { parts.append("bl \(entry.backlog)") }
        if entry.role == .listener { parts.append("✓\(entry.acceptedCount)") }
        if entry.acceptMode == .manual { parts.append("⏳\(entry.pendingAccepts) manual") }
        if entry.refusedCount > 0 { parts.append("✗\(entry.refusedCount)") }
        if entry.role == .datagram {
            parts.append("↓\(entry.datagramsIn) ↑\(entry.datagramsOut)")
        }
        if let reply = entry.reply { parts.append(replyLabel(reply)) }
        if entry.banner != nil { parts.append("banner") }
        if entry.paused { parts.append("⏸ \(Units.byteSize(Int64(entry.queuedIn))) queued") }
        if !entry.state.isOpen { parts.append(entry.state.shortName) }
        return parts.joined(separator: "  ")
    }

    static func replyLabel(_ reply: AutoReply) -> String {
        switch reply {
        case .off: "reply off"
        case .echo: "echo"
        case .reverse: "reverse"
        case .template: "reply \(reply)"
        }
    }
}

/// Renders the Connections section.
public enum ConnectionsPane {
    /// Rows each connection takes.
    public static let rowsPerConnection = 2

    public static func render(_ model: ScreenModel, connections: [SocketEntry], offset: Int, in rect: Rect,
                              focused: Bool, theme: Theme, into canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        if connections.isEmpty {
            canvas.put(" none yet — try: connect HOST:PORT or pair", x: rect.x, y: rect.y, style: theme.hint, maxWidth: rect.width)
            return
        }
        let visible = max(1, rect.height / rowsPerConnection)
        let start = ScrollMath.offset(current: offset, selectedIndex: connections.firstIndex { $0.id == model.selected },
                                      visibleRows: visible, total: connections.count)
        for (index, entry) in connections.dropFirst(start).prefix(visible).enumerated() {
            let y = rect.y + index * rowsPerConnection
            let selected = entry.id == model.selected
            let open = entry.state.isOpen
            let first = (selected ? "▶" : " ") + fitted(headline(entry), state: entry.state.shortName, width: rect.width - 1)
            canvas.put(first, x: rect.x, y: y, style: selected && focused ? theme.selection : (open ? theme.text : theme.dim),
                       maxWidth: rect.width)
            if y + 1 < rect.maxY {
                let failed: Bool
                if case .failed = entry.state { failed = true } else { failed = false }
                canvas.put("   " + details(entry), x: rect.x, y: y + 1, style: failed ? theme.error : theme.dim, maxWidth: rect.width)
            }
        }
        if connections.count > visible {
            let more = "\(start + 1)–\(min(connections.count, start + visible))/\(connections.count)"
            canvas.put(more, x: rect.maxX - more.count, y: rect.maxY - 1, style: theme.hint)
        }
    }

    /// The headline cut in the middle (addresses) so the state at its end always shows.
    static func fitted(_ headline: String, state: String, width: Int) -> String {
        guard CharWidth.of(headline) > width, headline.hasSuffix(" " + state) else { return headline }
        let head = String(headline.dropLast(state.count + 1))
        return Canvas.truncate(head, toWidth: max(1, width - CharWidth.of(state) - 1)) + " " + state
    }

    /// `#3 tcp :5000 ⇄ 127.0.0.1:51234 est`.
    public static func headline(_ entry: SocketEntry) -> String {
        let local = shortLocal(entry)
        let remote = entry.remote.map { "\($0)" } ?? (entry.requested.isEmpty ? "?" : entry.requested)
        let arrow: String
        switch entry.state {
        case .resolving, .connecting: arrow = "→"
        case .failed: arrow = "✗"
        default: arrow = "⇄"
        }
        var parts = ["\(entry.id) \(entry.protocolName)"]
        if case .paired(let other) = entry.role {
            parts.append("pair ⇄ \(other)")
        } else {
            parts.append(local.isEmpty ? "\(arrow) \(remote)" : "\(local) \(arrow) \(remote)")
        }
        parts.append(entry.state.shortName)
        return parts.joined(separator: " ")
    }

    /// `↓17 B ↑60 B  ↓1.2 KiB/s`, queues, reply mode; the reason for a failed socket.
    public static func details(_ entry: SocketEntry) -> String {
        if case .failed(let reason) = entry.state { return reason }
        var parts = ["↓\(Units.byteSize(Int64(entry.bytesIn))) ↑\(Units.byteSize(Int64(entry.bytesOut)))"]
        if entry.rateIn >= 1 || entry.rateOut >= 1 {
            parts.append("↓\(Units.rate(bytesPerSecond: Int64(entry.rateIn))) ↑\(Units.rate(bytesPerSecond: Int64(entry.rateOut)))")
        }
        if entry.paused { parts.append("⏸ \(Units.byteSize(Int64(entry.queuedIn))) queued") }
        if entry.queuedOut > 0 { parts.append("⇡\(Units.byteSize(Int64(entry.queuedOut))) unsent") }
        if let parent = entry.parent { parts.append("via \(parent)") }
        if let reply = entry.reply { parts.append(ListenersPane.replyLabel(reply)) }
        return parts.joined(separator: "  ")
    }

    /// `:5000` for IP sockets (the host is in the listener row or obvious), the path for Unix.
    static func shortLocal(_ entry: SocketEntry) -> String {
        guard let local = entry.local else { return "" }
        switch local {
        case .unix(let path): return path.isEmpty ? "" : path
        default: return ":\(local.port ?? 0)"
        }
    }
}

/// Keeping a selected row visible in a scrolled list.
public enum ScrollMath {
    /// The first visible row: `current`, moved just enough that `selectedIndex` is visible, and
    /// clamped so the list does not scroll past its end.
    public static func offset(current: Int, selectedIndex: Int?, visibleRows: Int, total: Int) -> Int {
        var offset = current
        if let selectedIndex {
            if selectedIndex < offset { offset = selectedIndex }
            if selectedIndex >= offset + visibleRows { offset = selectedIndex - visibleRows + 1 }
        }
        return max(0, min(offset, total - visibleRows))
    }
}
