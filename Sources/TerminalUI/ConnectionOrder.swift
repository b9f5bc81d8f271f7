// ConnectionOrder.swift — the Connections list in the order it is shown: open connections first,
// then the closed and failed ones (drawn dimmed), each group in id order. Closed ones leave the
// list a while after closing (`ClosedRows.linger`), at once while `showClosed` is off, or when the
// user hides them (F5). The order is kept between frames and rebuilt only when a connection
// opened or closed, so 10,000 connections do not cost 10,000 lookups per frame.

import ExplorerCore

/// What the screen does with closed and failed connections.
public struct ClosedRows: Equatable, Sendable {
    /// Show closed and failed connections below the open ones (a later `set showclosed`).
    public var showClosed = true
    /// How long a closed connection stays listed, in µs.
    public var linger: Int64 = 60_000_000
    /// Connections closed before this wall-clock time (µs) are hidden (F5 hid them).
    public var hiddenBefore: Int64?
    /// F5 showed the hidden ones again at this time: they stay for another `linger` from it.
    public var revealedAt: Int64?

    public init() {}

    /// True when a connection closed at `closedAt` is listed at `now` (nil: no clock, as in tests).
    func shows(closedAt: Int64, now: Int64?) -> Bool {
        guard showClosed else { return false }
        if let hiddenBefore, closedAt < hiddenBefore { return false }
        guard let now else { return true }
        return now - max(closedAt, revealedAt ?? .min) < linger
    }
}

/// Connection ids split into open and closed, in id order.
public struct ConnectionOrder: Equatable, Sendable {
    public struct Closed: Equatable, Sendable {
        public var id: SocketID
        /// When it closed (wall-clock µs; when it opened if the engine did not say).
        public var closedAt: Int64
    }

    public private(set) var open: [SocketID] = []
    public private(set) var closed: [Closed] = []
    /// What the table looked like when built. A connection never reopens, so the same count of
    /// connections, of open ones and the same newest id mean the same split.
    private var key = Key(count: -1, open: -1, newest: nil)

    private struct Key: Equatable, Sendable {
        var count: Int
        var open: Int
        var newest: SocketID?
    }

    public init() {}

    public init(_ table: SocketTable) {
        refresh(table)
    }

    /// True when built from a table with these connections.
    public func matches(_ table: SocketTable) -> Bool { key == Self.key(table) }

    /// Rebuilds the split if a connection opened or closed since.
    public mutating func refresh(_ table: SocketTable) {
        let now = Self.key(table)
        guard now != key else { return }
        key = now
        open = []
        closed = []
        open.reserveCapacity(table.openConnectionCount)
        for id in table.connectionIDs {
            guard let entry = table[id] else { continue }
            if entry.state.isOpen {
                open.append(id)
            } else {
                closed.append(Closed(id: id, closedAt: entry.closedAt ?? entry.openedAt))
            }
        }
    }

    private static func key(_ table: SocketTable) -> Key {
        Key(count: table.connectionIDs.count, open: table.openConnectionCount, newest: table.connectionIDs.last)
    }

    /// The rows to show: the open ones, then the closed ones `rules` lets through at `now`.
    public func visible(_ rules: ClosedRows, now: Int64?) -> [SocketID] {
        open + closed.lazy.filter { rules.shows(closedAt: $0.closedAt, now: now) }.map(\.id)
    }

    /// How many closed connections are not shown.
    public func hiddenCount(_ rules: ClosedRows, now: Int64?) -> Int {
        closed.count - closed.lazy.filter { rules.shows(closedAt: $0.closedAt, now: now) }.count
    }

    /// When the next listed closed connection leaves the list (wall-clock µs), so the program
    /// can wake up to redraw then; nil when none will.
    public func nextHideTime(_ rules: ClosedRows, now: Int64) -> Int64? {
        closed.lazy.filter { rules.shows(closedAt: $0.closedAt, now: now) }
            .map { max($0.closedAt, rules.revealedAt ?? .min) + rules.linger }.min()
    }
}
