// Layout.swift — where each pane goes for a terminal size: side by side from 80 columns, stacked
// when narrower, and a "terminal too small" message below the minimum. The split between the
// socket panes and the log can be moved (`UIState.split`), and one pane can take the whole body
// (`UIState.zoom`).

import ExplorerCore

/// A pane that can be zoomed to the full screen.
public enum Pane: Sendable, Equatable {
    case listeners, connections, log
}

/// The rectangles of one frame.
public struct Layout: Equatable, Sendable {
    /// The box holding the Listeners and Connections panes (they share it, split by a separator).
    /// Empty while the log is zoomed.
    public var socketsBox: Rect
    /// The rows of the Listeners section inside the box (without borders).
    public var listeners: Rect
    /// The row of the `├ Connections ─┤` separator; -1 when a zoomed list has the box to itself.
    public var separatorY: Int
    public var connections: Rect
    /// The log's box; empty while a list is zoomed.
    public var logBox: Rect
    /// The log's rows: inside the box, one column in from its left border (as the lists' `▶`
    /// column keeps their text off theirs).
    public var log: Rect
    public var prompt: Rect
    public var status: Rect
    public var stacked: Bool
    /// The zoomed pane, if any.
    public var zoom: Pane?

    /// Smallest usable terminal.
    public static let minimumWidth = 40
    public static let minimumHeight = 12
    /// From this width the panes sit side by side.
    public static let sideBySideWidth = 80
    /// The narrowest sockets box a moved split leaves (side by side), and the narrowest log.
    static let minimumSocketsWidth = 24
    static let minimumLogWidth = 30
    /// The narrowest sockets box the hex view takes columns from to fit 8 bytes a row.
    static let hexSocketsWidth = 30
    /// The lowest sockets box and log a moved split leaves (stacked).
    static let minimumSocketsHeight = 5
    static let minimumLogHeight = 4
    /// The split's range and step, in percent of the width (side by side) or body height (stacked).
    public static let splitRange = Settings.splitRange
    public static let splitStep = 5

    /// The layout for a terminal of this size with `listenerCount` listeners, or nil when too
    /// small. `split` is the sockets box's share in percent (nil: the automatic split, which in
    /// the hex view — `hexView` — gives the log room for 8 bytes a row when it can); `zoom` gives
    /// one pane the whole body.
    public static func compute(width: Int, height: Int, listenerCount: Int, split: Int? = nil, zoom: Pane? = nil,
                               hexView: Bool = false) -> Layout? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        let prompt = Rect(x: 0, y: height - 2, width: width, height: 1)
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = Rect(x: 0, y: 0, width: width, height: height - 2)
        let stacked = width < sideBySideWidth
        var socketsBox: Rect
        var logBox: Rect
        switch zoom {
        case .log:
            socketsBox = .zero
            logBox = body
        case .listeners, .connections:
            socketsBox = body
            logBox = .zero
        case nil:
            if stacked {
                // Sockets on top (about 40%), the log below: the log keeps the full width.
                var top = max(6, body.height * 2 / 5)
                if let split {
                    top = min(max(minimumSocketsHeight, body.height * clampedSplit(split) / 100), body.height - minimumLogHeight)
                }
                (socketsBox, logBox) = body.splitRows(at: top)
            } else {
                var left = min(max(38, width * 2 / 5), 64)
                if let split {
                    left = min(max(minimumSocketsWidth, width * clampedSplit(split) / 100), width - minimumLogWidth)
                } else if hexView, width - left - 3 < HexDump.rowWidth(bytesPerRow: 8), width - 3 - HexDump.rowWidth(bytesPerRow: 8) >= hexSocketsWidth {
                    left = width - 3 - HexDump.rowWidth(bytesPerRow: 8)
                }
                (socketsBox, logBox) = body.splitColumns(at: left)
            }
        }
        let inner = socketsBox.inset(by: 1)
        let listeners: Rect, connections: Rect, separatorY: Int
        switch zoom {
        case .listeners:
            listeners = inner
            connections = Rect(x: inner.x, y: inner.maxY, width: inner.width, height: 0)
            separatorY = -1
        case .connections:
            listeners = Rect(x: inner.x, y: inner.y, width: inner.width, height: 0)
            connections = inner
            separatorY = -1
        case .log:
            listeners = .zero
            connections = .zero
            separatorY = -1
        case nil:
            // Inside the sockets box: listener rows, a separator, connection rows.
            let maxListenerRows = max(1, (inner.height - 1) / 3)
            let listenerRows = min(max(1, listenerCount), maxListenerRows)
            listeners = Rect(x: inner.x, y: inner.y, width: inner.width, height: listenerRows)
            separatorY = inner.y + listenerRows
            connections = Rect(x: inner.x, y: separatorY + 1, width: inner.width, height: max(0, inner.maxY - separatorY - 1))
        }
        return Layout(socketsBox: socketsBox, listeners: listeners, separatorY: separatorY, connections: connections,
                      logBox: logBox, log: logBox.inset(top: 1, left: 2, bottom: 1, right: 1), prompt: prompt, status: status,
                      stacked: stacked, zoom: zoom)
    }

    /// The layout of this frame: the model's listeners and view, the screen's split and zoom.
    public static func of(_ model: ScreenModel, _ ui: UIState, width: Int, height: Int) -> Layout? {
        compute(width: width, height: height, listenerCount: model.table.listenerIDs.count, split: ui.split, zoom: ui.zoom,
                hexView: model.view.mode != .text)
    }

    static func clampedSplit(_ split: Int) -> Int { min(max(split, splitRange.lowerBound), splitRange.upperBound) }

    /// The sockets box's share now, in percent: what the split keys move from.
    public var splitPercent: Int {
        let body = stacked ? status.y - 1 : status.width
        let size = stacked ? socketsBox.height : socketsBox.width
        guard body > 0 else { return 40 }
        return Layout.clampedSplit((size * 100 + body / 2) / body)
    }
}
