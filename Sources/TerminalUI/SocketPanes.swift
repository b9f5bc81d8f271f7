// SocketPanes.swift — the Listeners and Connections panes: one row per listener, two per
// connection (addresses and state, then counters), the selected socket marked with ▶. Only the
// visible rows are formatted, so thousands of connections cost what a screenful costs. Rows that
// do not fit drop their least useful parts whole instead of cutting a number in half; a list
// longer than its rows shows its position (` 3–5 of 9 `) in the border below it.

import ExplorerCore
import SocketKit

/// One list as a frame shows it: its ids in order, its rows, how many rows an item takes, and
/// the first item shown (the kept offset, moved just enough to show the selection).
public struct ListFrame: Equatable, Sendable {
    public var ids: [SocketID]
    public var rect: Rect
    public var rowsPerItem: Int
    public var start: Int
    /// Items that fit.
    public var slots: Int { max(1, rect.height / rowsPerItem) }

    init(ids: [SocketID], rect: Rect, rowsPerItem: Int, offset: Int, selected: SocketID?) {
        self.ids = ids
        self.rect = rect
        self.rowsPerItem = rowsPerItem
        start = 0
        start = ScrollMath.offset(current: offset, selectedIndex: selected.flatMap { ids.firstIndex(of: $0) },
                                  visibleRows: slots, total: ids.count)
    }

    /// The Listeners list of this frame.
    public static func listeners(_ model: ScreenModel, _ ui: UIState, _ layout: Layout) -> ListFrame {
        ListFrame(ids: model.table.listenerIDs, rect: layout.listeners, rowsPerItem: 1, offset: ui.listenersOffset,
                  selected: model.selected)
    }

    /// The Connections list of this frame: open first, closed below, as `ui.closed` says.
    public static func connections(_ model: ScreenModel, _ ui: UIState, _ layout: Layout) -> ListFrame {
        let order = ui.connectionOrder.matches(model.table) ? ui.connectionOrder : ConnectionOrder(model.table)
        let ids = order.visible(ui.closed, now: model.now)
        return ListFrame(ids: ids, rect: layout.connections,
                         rowsPerItem: ConnectionsPane.rowsPerConnection(height: layout.connections.height, count: ids.count),
                         offset: ui.connectionsOffset, selected: model.selected)
    }

    /// The item drawn on screen row `y`, if any.
    public func item(atRow y: Int) -> SocketID? {
        guard y >= rect.y, y < rect.y + slots * rowsPerItem else { return nil }
        let index = start + (y - rect.y) / rowsPerItem
        return index < ids.count ? ids[index] : nil
    }
}

/// Renders the Listeners section.
public enum ListenersPane {
    public static func render(_ model: ScreenModel, list: ListFrame, focused: Bool, theme: Theme, peerColors: Bool = false,
                              into canvas: inout Canvas) {
        let rect = list.rect
        guard !rect.isEmpty else { return }
        if list.ids.isEmpty {
            RowText.putHint([" none yet — try: listen 5000", " none yet"], in: rect, theme: theme, into: &canvas)
            return
        }
        for (row, id) in list.ids.dropFirst(list.start).prefix(rect.height).enumerated() {
            guard let entry = model.table[id] else { continue }
            let selected = entry.id == model.selected
            let line = (selected ? "▶" : " ") + summary(entry, width: rect.width - 2)
            RowText.put(line, row: rect.y + row, in: rect, style: entry.state.isOpen ? theme.text : theme.dim,
                        highlighted: selected && focused, theme: theme, into: &canvas)
            if peerColors && !(selected && focused) { RowText.colorID(entry.id, row: rect.y + row, in: rect, theme: theme, into: &canvas) }
        }
        RowText.putPosition(first: list.start, shown: rect.height, total: list.ids.count, below: rect, theme: theme, into: &canvas)
    }

    /// `#1 tcp 127.0.0.1:5000  bl 128  ✓3  echo`, dropping the least useful parts (the backlog
    /// first) when it is wider than `width`.
    public static func summary(_ entry: SocketEntry, width: Int = .max) -> String {
        var parts: [RowText.Part] = [.init("\(entry.id) \(entry.protocolName) \(entry.local.map { "\($0)" } ?? entry.requested)", 0)]
        if let step = entry.step {
            // A socket made step by step: its descriptor, and its state before it listens.
            parts.append(.init("fd \(step.fd)", 2))
            if entry.state == .created || entry.state == .bound { parts.append(.init(entry.state.shortName, 0)) }
            if !step.blocking { parts.append(.init("nonblock", 2)) }
        }
        if entry.role == .listener && entry.state != .created && entry.state != .bound {
            parts.append(.init("bl \(entry.backlog)", 3))
            parts.append(.init("✓\(entry.acceptedCount)", 0))
        }
        if entry.acceptMode == .manual { parts.append(.init("⏳\(entry.pendingAccepts) manual", 1)) }
        if entry.refusedCount > 0 { parts.append(.init("✗\(entry.refusedCount) refused", 1)) }
        if let relay = entry.relay, case .listener(let target) = relay.part {
            parts.append(.init("⇄\(relay.pairs)", 0))
            parts.append(.init("⇒ \(target)", 0, shrinkTo: 10))
            if relay.intercept != .off { parts.append(.init("intercept \(relay.intercept.rawValue)", 1)) }
        }
        // A long template is cut with … rather than dropped: it is what the listener answers.
        if let reply = entry.reply { parts.append(.init(replyLabel(reply), 1, shrinkTo: 10)) }
        if entry.role == .datagram { parts.append(.init("↓\(entry.datagramsIn) ↑\(entry.datagramsOut) dgrams", 2)) }
        if entry.banner != nil { parts.append(.init("banner", 1)) }
        if entry.paused { parts.append(.init("⏸ \(Units.byteSize(Int64(entry.queuedIn))) queued", 1)) }
        if let held = entry.held { parts.append(.init("⏸ \(held)", 0)) }
        if !entry.state.isOpen { parts.append(.init(entry.state.shortName, 0)) }
        return RowText.fit(parts, width: width)
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
    /// Rows each connection takes: two (addresses and state, then counters) while the pane holds
    /// all of them that way or at least `twoRowMinimum` of them; one row each in a low pane.
    public static func rowsPerConnection(height: Int, count: Int) -> Int {
        height >= 2 * count || height >= 2 * twoRowMinimum ? 2 : 1
    }

    static let twoRowMinimum = 6

    /// Only the rows that show are looked up, so 10,000 connections cost what a screenful costs.
    /// Closed and failed connections come last in the list and are drawn dimmed.
    public static func render(_ model: ScreenModel, list: ListFrame, focused: Bool, theme: Theme, peerColors: Bool = false,
                              into canvas: inout Canvas) {
        let rect = list.rect
        guard !rect.isEmpty else { return }
        if list.ids.isEmpty {
            RowText.putHint([" none yet — try: connect HOST:PORT or pair", " none yet — try: connect HOST:PORT", " none yet"],
                            in: rect, theme: theme, into: &canvas)
            return
        }
        for (index, id) in list.ids.dropFirst(list.start).prefix(list.slots).enumerated() {
            guard let entry = model.table[id] else { continue }
            let y = rect.y + index * list.rowsPerItem
            let selected = entry.id == model.selected
            let highlighted = selected && focused
            let style = entry.state.isOpen ? theme.text : theme.dim
            let marker = selected ? "▶" : " "
            if list.rowsPerItem == 1 {
                RowText.put(marker + oneRow(entry, width: rect.width - 2), row: y, in: rect, style: style,
                            highlighted: highlighted, theme: theme, into: &canvas)
            } else {
                RowText.put(marker + headline(entry, width: rect.width - 2), row: y, in: rect, style: style,
                            highlighted: highlighted, theme: theme, into: &canvas)
                if y + 1 < rect.maxY {
                    canvas.put("   " + details(entry, width: rect.width - 4), x: rect.x, y: y + 1,
                               style: isFailed(entry) ? theme.error : theme.dim, maxWidth: rect.width)
                }
            }
            if peerColors && !highlighted {
                RowText.colorID(entry.id, row: y, in: rect, theme: theme, into: &canvas)
            } else if let direction = entry.relay?.readDirection, entry.state.isOpen, !highlighted {
                // A relay leg's id in the colour of the chunks it reads, as in the log.
                canvas.put("\(entry.id)", x: rect.x + 1, y: y, style: theme.relayStyle(direction), maxWidth: rect.width - 1)
            }
        }
        RowText.putPosition(first: list.start, shown: list.slots, total: list.ids.count, below: rect, theme: theme, into: &canvas)
    }

    static func isFailed(_ entry: SocketEntry) -> Bool {
        if case .failed = entry.state { return true }
        return false
    }

    /// A low pane's one row: the headline, then as much of the details as fits whole.
    public static func oneRow(_ entry: SocketEntry, width: Int) -> String {
        let head = headline(entry, width: width)
        let room = width - CharWidth.of(head) - 2
        guard room >= 6 else { return head }
        let more = details(entry, width: room)
        return more.isEmpty || CharWidth.of(more) > room ? head : head + "  " + more
    }

    /// `#3 tcp :5000 ⇄ 127.0.0.1:51234 est`. When wider than `width` it drops the local port, then
    /// cuts the remote host from the left, so the id, the peer's port and the state always show.
    public static func headline(_ entry: SocketEntry, width: Int = .max) -> String {
        let full = headline(entry, local: shortLocal(entry), remote: remoteText(entry))
        guard CharWidth.of(full) > width else { return full }
        let short = headline(entry, local: "", remote: remoteText(entry))
        let overflow = CharWidth.of(short) - width
        guard overflow > 0 else { return short }
        let remote = remoteText(entry)
        let cut = "…" + remote.suffix(max(0, remote.count - overflow - 1))
        return Canvas.truncate(headline(entry, local: "", remote: cut), toWidth: width)
    }

    private static func headline(_ entry: SocketEntry, local: String, remote: String) -> String {
        let arrow: String
        switch entry.state {
        case .resolving, .connecting: arrow = "→"
        case .failed: arrow = "✗"
        default: arrow = "⇄"
        }
        var parts = ["\(entry.id) \(entry.protocolName)"]
        if let relay = entry.relay, let partner = relay.partner {
            // A relay leg: the pair first (client leg ⇄ server leg), then the peer this leg faces.
            let up = relay.readDirection == .up
            parts.append(up ? "\(entry.id) ⇄ \(partner)" : "\(partner) ⇄ \(entry.id)")
            parts.append((up ? "client " : "server ") + remote)
        } else if case .paired(let other) = entry.role {
            parts.append("pair ⇄ \(other)")
        } else {
            parts.append(local.isEmpty ? "\(arrow) \(remote)" : "\(local) \(arrow) \(remote)")
        }
        parts.append(entry.shownState)
        return parts.joined(separator: " ")
    }

    private static func remoteText(_ entry: SocketEntry) -> String {
        entry.remote.map { "\($0)" } ?? (entry.requested.isEmpty ? "?" : entry.requested)
    }

    /// `↓17 B ↑60 B  ↓1.2 KiB/s  ↑80 B/s` (rates only while bytes move), queues, reply mode, the listener; for a failed socket,
    /// why (without the address the headline already shows). Least useful parts go first when
    /// wider than `width`.
    public static func details(_ entry: SocketEntry, width: Int = .max) -> String {
        if case .failed(let reason) = entry.state {
            return Canvas.truncate(failure(reason, address: remoteText(entry)), toWidth: width)
        }
        var parts: [RowText.Part] = [.init("↓\(Units.byteSize(Int64(entry.bytesIn))) ↑\(Units.byteSize(Int64(entry.bytesOut)))", 0)]
        if entry.rateIn >= 1 { parts.append(.init("↓\(Units.rate(bytesPerSecond: Int64(entry.rateIn)))", 1)) }
        if entry.rateOut >= 1 { parts.append(.init("↑\(Units.rate(bytesPerSecond: Int64(entry.rateOut)))", 1)) }
        if entry.paused { parts.append(.init("⏸ \(Units.byteSize(Int64(entry.queuedIn))) queued", 0)) }
        if entry.queuedOut > 0 { parts.append(.init("⇡\(Units.byteSize(Int64(entry.queuedOut))) unsent", 0)) }
        if let held = entry.held { parts.append(.init("⏸ \(held)", 0)) }
        if let relay = entry.relay, relay.partner != nil {
            if relay.heldChunks > 0 { parts.append(.init("✋\(relay.heldChunks) held \(Units.byteSize(Int64(relay.heldBytes)))", 0)) }
            if relay.intercept != .off { parts.append(.init("intercept \(relay.intercept.rawValue)", 2)) }
            if let client = relay.client { parts.append(.init("for \(client)", 1)) }
        }
        if let parent = entry.parent { parts.append(.init("via \(parent)", 3)) }
        if let reply = entry.reply { parts.append(.init(ListenersPane.replyLabel(reply), 2)) }
        return RowText.fit(parts, width: width)
    }

    /// `connect 127.0.0.1:9: ECONNREFUSED (…)` → `connect: ECONNREFUSED (…)`: the row above names
    /// the address, and the errno is what the narrow row has room for.
    static func failure(_ reason: String, address: String) -> String {
        guard let space = reason.firstIndex(of: " ") else { return reason }
        let rest = reason[reason.index(after: space)...]
        guard rest.hasPrefix(address + ": ") else { return reason }
        return reason[..<space] + ": " + rest.dropFirst(address.count + 2)
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

/// Row text shared by both lists: parts that fit, hints that fit, the highlighted row.
enum RowText {
    /// One `  `-separated part of a row; lower priority numbers are kept first.
    struct Part {
        var text: String
        var priority: Int
        /// When set, a part that does not fit whole is cut with `…` to the room left, if that
        /// leaves at least this many columns.
        var shrinkTo: Int?
        init(_ text: String, _ priority: Int, shrinkTo: Int? = nil) {
            self.text = text
            self.priority = priority
            self.shrinkTo = shrinkTo
        }
    }

    /// The parts joined by two spaces, in their order, keeping the most important ones that fit in
    /// `width` (the first part always); a part that may shrink and does not fit whole takes the
    /// room left at its turn, cut with `…`.
    static func fit(_ parts: [Part], width: Int) -> String {
        var kept: [Int: String] = [:]
        var used = 0
        for index in parts.indices.sorted(by: { (parts[$0].priority, $0) < (parts[$1].priority, $1) }) {
            let separator = kept.isEmpty ? 0 : 2
            let cost = CharWidth.of(parts[index].text) + separator
            if kept.isEmpty || used + cost <= width {
                kept[index] = parts[index].text
                used += cost
            } else if let minimum = parts[index].shrinkTo, width - used - separator >= minimum {
                kept[index] = Canvas.truncate(parts[index].text, toWidth: width - used - separator)
                used = width
            }
        }
        return parts.indices.compactMap { kept[$0] }.joined(separator: "  ")
    }

    /// Repaints the `#N` after a row's marker in the socket's peer colour.
    static func colorID(_ id: SocketID, row: Int, in rect: Rect, theme: Theme, into canvas: inout Canvas) {
        guard let style = theme.peerStyle(id.value) else { return }
        canvas.put("\(id)", x: rect.x + 1, y: row, style: style, maxWidth: rect.width - 1)
    }

    /// The longest of `candidates` that fits the first row of `rect`.
    static func putHint(_ candidates: [String], in rect: Rect, theme: Theme, into canvas: inout Canvas) {
        let hint = candidates.first { CharWidth.of($0) <= rect.width } ?? candidates.last ?? ""
        canvas.put(hint, x: rect.x, y: rect.y, style: theme.hint, maxWidth: rect.width)
    }

    /// ` 3–5 of 9 ` in the border under a list that does not fit its rows, near the right corner.
    static func putPosition(first: Int, shown: Int, total: Int, below rect: Rect, theme: Theme, into canvas: inout Canvas) {
        guard total > shown else { return }
        let last = min(total, first + shown)
        let text = " " + (last == first + 1 ? "\(last)" : "\(first + 1)–\(last)") + " of \(total) "
        canvas.put(text, x: rect.maxX - CharWidth.of(text) - 1, y: rect.maxY, style: theme.hint)
    }

    /// A list row; the highlighted (selected and focused) row is reversed across the pane's whole
    /// width, as in htop, so the bar reads as a row rather than as emphasised text.
    static func put(_ line: String, row: Int, in rect: Rect, style: Style, highlighted: Bool, theme: Theme,
                    into canvas: inout Canvas) {
        if highlighted { canvas.fill(Rect(x: rect.x, y: row, width: rect.width, height: 1), style: theme.selection) }
        canvas.put(line, x: rect.x, y: row, style: highlighted ? theme.selection : style, maxWidth: rect.width)
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
