// Layout.swift — where each pane goes for a terminal size: side by side from 80 columns, stacked
// when narrower, and a "terminal too small" message below the minimum.

/// The rectangles of one frame.
public struct Layout: Equatable, Sendable {
    /// The box holding the Listeners and Connections panes (they share it, split by a separator).
    public var socketsBox: Rect
    /// The rows of the Listeners section inside the box (without borders).
    public var listeners: Rect
    /// The row of the `├ Connections ─┤` separator.
    public var separatorY: Int
    public var connections: Rect
    public var logBox: Rect
    /// The log's rows: inside the box, one column in from its left border (as the lists' `▶`
    /// column keeps their text off theirs).
    public var log: Rect
    public var prompt: Rect
    public var status: Rect
    public var stacked: Bool

    /// Smallest usable terminal.
    public static let minimumWidth = 40
    public static let minimumHeight = 12
    /// From this width the panes sit side by side.
    public static let sideBySideWidth = 80

    /// The layout for a terminal of this size with `listenerCount` listeners, or nil when too small.
    public static func compute(width: Int, height: Int, listenerCount: Int) -> Layout? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        let prompt = Rect(x: 0, y: height - 2, width: width, height: 1)
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyHeight = height - 2
        let stacked = width < sideBySideWidth
        let socketsBox: Rect
        let logBox: Rect
        if stacked {
            // Sockets on top (about 40%), the log below: the log keeps the full width.
            let top = max(6, bodyHeight * 2 / 5)
            socketsBox = Rect(x: 0, y: 0, width: width, height: top)
            logBox = Rect(x: 0, y: top, width: width, height: bodyHeight - top)
        } else {
            let left = min(max(38, width * 2 / 5), 64)
            socketsBox = Rect(x: 0, y: 0, width: left, height: bodyHeight)
            logBox = Rect(x: left, y: 0, width: width - left, height: bodyHeight)
        }
        // Inside the sockets box: listener rows, a separator, connection rows.
        let inner = socketsBox.inset(by: 1)
        let maxListenerRows = max(1, (inner.height - 1) / 3)
        let listenerRows = min(max(1, listenerCount), maxListenerRows)
        let listeners = Rect(x: inner.x, y: inner.y, width: inner.width, height: listenerRows)
        let separatorY = inner.y + listenerRows
        let connections = Rect(x: inner.x, y: separatorY + 1, width: inner.width, height: max(0, inner.maxY - separatorY - 1))
        return Layout(socketsBox: socketsBox, listeners: listeners, separatorY: separatorY, connections: connections,
                      logBox: logBox, log: logBox.inset(top: 1, left: 2, bottom: 1, right: 1), prompt: prompt, status: status,
                      stacked: stacked)
    }
}
