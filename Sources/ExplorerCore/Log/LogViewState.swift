// LogViewState — what the screen shows of the log: the view, the filter, the search, following.

/// What the screen shows of the log; set by `view`, `filter`, `find`, `follow`, `clear`.
public struct LogViewState: Equatable, Sendable {
    public var mode: LogView = .text
    /// What `filter` keeps: a socket, a direction, matching content, kinds (empty: everything).
    public var logFilter = LogFilter()
    /// Only this socket's entries (and its children's for a listener); nil = any socket.
    public var filter: SocketID? {
        get { logFilter.socket }
        set { logFilter.socket = newValue }
    }
    /// Highlight / jump target for `find`.
    public var search: LogSearch?
    /// Bumped by every `find`, so the screen knows to jump to the next match.
    public var searchGeneration = 0
    /// True while the log follows new entries; scrolling turns it off, `follow` or End back on.
    public var follow = true
    public init() {}
}

/// The log pane's rendering of data.
public enum LogView: String, CaseIterable, Sendable {
    case text, hex, both
}
