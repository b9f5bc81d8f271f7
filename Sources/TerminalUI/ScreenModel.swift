// ScreenModel.swift — what the screen shows of the session, as plain values (a snapshot of the
// engine's state), and what only the screen knows (focus, scrolling, the prompt).

import ExplorerCore

/// The session as the panes see it. Built from the engine each frame; cheap to copy (the table
/// and the log are copy-on-write).
public struct ScreenModel: Sendable {
    public var table: SocketTable
    public var log: ByteLog
    public var view: LogViewState
    public var selected: SocketID?
    public var status: Status?
    public var timestamps: Settings.TimestampStyle
    /// Commands still running in the background (`connecting…`), newest last.
    public var pending: [String]
    /// Wall-clock µs the session started (relative timestamps).
    public var startTime: Int64
    /// True while a script (`-e`, `--script`, `source`) is running.
    public var scriptRunning: Bool
    /// True while `record FILE` streams to disk.
    public var recording: Bool
    /// The line ending `sendl` appends (`set eol`): a paste's line breaks become its escapes.
    public var eol: Settings.LineEnding
    /// Wall-clock µs of this frame, for what changes with time (closed connections leave the
    /// list after a while); nil = no clock (tests), nothing ages.
    public var now: Int64?
    /// The lesson in progress (`learn`), drawn above the prompt; nil when none runs.
    public var lesson: LessonView?

    public init(table: SocketTable = SocketTable(), log: ByteLog = ByteLog(), view: LogViewState = LogViewState(),
                selected: SocketID? = nil, status: Status? = nil, timestamps: Settings.TimestampStyle = .clock,
                pending: [String] = [], startTime: Int64 = 0, scriptRunning: Bool = false, recording: Bool = false,
                eol: Settings.LineEnding = .lf, now: Int64? = nil, lesson: LessonView? = nil) {
        self.table = table
        self.log = log
        self.view = view
        self.selected = selected
        self.status = status
        self.timestamps = timestamps
        self.pending = pending
        self.startTime = startTime
        self.scriptRunning = scriptRunning
        self.recording = recording
        self.eol = eol
        self.now = now
        self.lesson = lesson
    }

    /// `4 listeners, 3 connections open`, or nil when nothing is open.
    public var openSummary: String? {
        let listeners = table.listenerIDs.lazy.filter { self.table[$0]?.state.isOpen == true }.count
        let connections = table.openConnectionCount
        guard listeners + connections > 0 else { return nil }
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts: [String] = []
        if listeners > 0 { parts.append(count(listeners, "listener")) }
        if connections > 0 { parts.append(count(connections, "connection")) }
        return parts.joined(separator: ", ") + " open"
    }
}

/// Which part of the screen keys go to.
public enum Focus: Int, CaseIterable, Sendable {
    case prompt, listeners, connections, log

    /// Tab order: prompt → listeners → connections → log → prompt.
    public var next: Focus { Focus(rawValue: (rawValue + 1) % Focus.allCases.count)! }
    public var previous: Focus { Focus(rawValue: (rawValue + Focus.allCases.count - 1) % Focus.allCases.count)! }
}

/// Where the log pane is scrolled to: the entry at the bottom row and how many of its rows are
/// hidden below. nil = following the newest entry.
public struct LogScroll: Equatable, Sendable {
    public var bottomSequence: UInt64
    public var rowsHiddenBelow: Int

    public init(bottomSequence: UInt64, rowsHiddenBelow: Int = 0) {
        self.bottomSequence = bottomSequence
        self.rowsHiddenBelow = rowsHiddenBelow
    }
}

/// Everything only the screen knows.
public struct UIState: Sendable {
    public var focus: Focus = .prompt
    public var editor: LineEditor
    /// nil = follow the newest entry.
    public var logScroll: LogScroll?
    /// First visible row of each list, kept from frame to frame (`ScreenController.settle`), so
    /// that a list scrolls only when its selection would leave it, never on a click.
    public var listenersOffset = 0
    public var connectionsOffset = 0
    /// The help overlay, and its scroll position.
    public var helpVisible = false
    public var helpOffset = 0
    /// Ctrl-C on an empty prompt arms quitting; a second Ctrl-C quits.
    public var quitArmed = false
    /// Ctrl-D, `quit` or `exit` with sockets open asked "… quit? y/n": `y` (or Ctrl-D) quits.
    public var quitAsked = false
    /// The sockets box's share of the width (side by side) or height (stacked) in percent; nil =
    /// automatic. Shift-arrows move it; a later `set split` can set it.
    public var split: Int?
    /// The pane shown alone over the whole body (F4, or `\` outside the prompt), if any.
    public var zoom: Pane?
    /// What the Connections list does with closed and failed connections (a later `set showclosed`).
    public var closed = ClosedRows()
    /// The Connections list's order, kept between frames (`ScreenController.settle`).
    public var connectionOrder = ConnectionOrder()
    /// Colour each socket id in the log by its number (a later `set peercolors on`); sent and
    /// received bytes keep their colours.
    public var peerColors = false
    /// Completion candidates to show after an ambiguous Tab.
    public var candidates: [String] = []
    /// A message of the screen's own (e.g. "press Ctrl-C again to quit"), shown instead of the status.
    public var notice: String?
    public var theme: Theme
    /// Lists a directory for Tab completion of paths (see `CompletionSource.listPaths`). The
    /// program sets the real lister; the default lists nothing, so TerminalUI touches no files.
    public var listPaths: @Sendable (String) -> [String] = { _ in [] }

    public init(editor: LineEditor = LineEditor(), theme: Theme = .colored) {
        self.editor = editor
        self.theme = theme
    }
}
