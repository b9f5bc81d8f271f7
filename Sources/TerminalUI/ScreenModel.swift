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

    public init(table: SocketTable = SocketTable(), log: ByteLog = ByteLog(), view: LogViewState = LogViewState(),
                selected: SocketID? = nil, status: Status? = nil, timestamps: Settings.TimestampStyle = .clock,
                pending: [String] = [], startTime: Int64 = 0, scriptRunning: Bool = false, recording: Bool = false) {
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
