// ScreenApp.swift — sockpit with its screen: the one loop that waits on stdin, signals and every
// socket, feeds keys to the screen controller, runs commands, and draws at most one frame per
// 16 ms, only when something visible changed.

import CursesBackend
import ExplorerCore
import Glibc
import SocketKit
import TerminalUI

final class ScreenApp {
    /// The shortest time between two frames (≈ 60 fps).
    static let frameInterval: Int64 = 16_000
    /// How long `-e`/`--script` may run before the first frame is drawn anyway.
    static let scriptHeadStart: Int64 = 2_000_000

    private let engine: Engine
    private let session = TerminalSession()
    private var ui: UIState
    private var caughtSignal: Int32?
    private var quit = false
    private var uiChanged = true
    private var drawnChangeCount: UInt64 = .max
    private var nextFrameAt: Int64 = 0
    /// When the next closed connection leaves the list (monotonic µs), as of the last frame.
    private var closedRowLeavesAt: Int64?
    private var seenSearchGeneration = 0
    private var sawFollow = true
    private let history = HistoryKeeper(path: HistoryFile.defaultPath())
    #if DEBUG
    /// Test-only, and only in debug builds (the tests use those): `SOCKPIT_TEST_CRASH=1` makes
    /// sockpit trap right after drawing its first frame, so the end-to-end tests can prove that a
    /// crash gives the terminal back before the backtrace (TerminalGuard). Read once at start;
    /// nothing else looks at it.
    private let crashAfterFirstFrame = getenv("SOCKPIT_TEST_CRASH").map { String(cString: $0) == "1" } ?? false
    #endif

    init(engine: Engine) {
        self.engine = engine
        ui = UIState(editor: LineEditor(history: history.load()))
        ui.listPaths = Completer.listDirectory
    }

    /// Lines to run before the user types, each batch after the previous one finished: the init
    /// file's (which keeps going past errors), then `-e`/`--script`'s.
    struct ScriptBatch {
        var lines: [ScriptLine]
        var keepGoing: Bool
    }

    private var scripts: [ScriptBatch] = []

    /// Runs the screen until quit; returns the exit status. `notice` shows on the status line
    /// until the first key (an init file that could not be read).
    static func run(scripts: [ScriptBatch], notice: String? = nil) -> Int32 {
        guard isatty(0) == 1, isatty(1) == 1 else {
            FileOutput.standardError.write("sockpit: no terminal here (standard input or output is not a tty); use --headless to run without the screen, e.g. sockpit --headless -e 'help'\n")
            return 2
        }
        let engine: Engine
        do { engine = try Engine() } catch {
            FileOutput.standardError.write("error: \(error)\n")
            return 1
        }
        let app = ScreenApp(engine: engine)
        app.ui.notice = notice
        return app.run(scripts: scripts.filter { !$0.lines.isEmpty })
    }

    private func run(scripts: [ScriptBatch]) -> Int32 {
        // Our handlers go in before ncurses starts, so it does not install its own (which would exit 1).
        engine.handleSignals([SIGINT, SIGTERM, SIGHUP]) { [unowned self] signal in self.caughtSignal = signal }
        self.scripts = scripts
        feedScripts()
        let deadline = MonotonicClock.now() + ScreenApp.scriptHeadStart
        while !engine.scriptIdle && caughtSignal == nil && !engine.quitRequested && MonotonicClock.now() < deadline {
            engine.step(maxWaitMilliseconds: 50)
            feedScripts()
        }
        do {
            try session.start()
        } catch {
            FileOutput.standardError.write("sockpit: \(error)\n")
            engine.closeAll()
            return 2
        }
        ui.theme = session.hasColor ? .colored : .monochrome
        engine.helpRequested = { [unowned self] name in
            if name == nil { self.ui.helpVisible = true; self.ui.helpOffset = 0 }
        }
        do {
            try engine.watchInput(session.inputFD) { [unowned self] in self.readKeys() }
        } catch {
            session.restore()
            FileOutput.standardError.write("error: \(error)\n")
            return 1
        }
        loop()
        engine.closeAll(recordDrainLimit: caughtSignal == nil ? 10_000_000 : 500_000)
        session.restore()
        history.saveIfChanged(ui.editor.history)
        if let caughtSignal { return 128 + caughtSignal }
        return 0
    }

    /// Hands the engine the next batch once the previous one is done (each batch has its own
    /// keep-going rule, and the engine's queue has one).
    private func feedScripts() {
        guard engine.scriptIdle, !scripts.isEmpty else { return }
        let next = scripts.removeFirst()
        engine.enqueueScript(next.lines, keepGoing: next.keepGoing)
    }

    private func loop() {
        while !quit && !engine.quitRequested && caughtSignal == nil {
            let dirty = uiChanged || engine.changeCount != drawnChangeCount
            var wakeAt = dirty ? nextFrameAt : nil
            for due in [history.dueAt, closedRowLeavesAt].compactMap({ $0 }) { wakeAt = min(wakeAt ?? due, due) }
            let wait = wakeAt.map { Int32(min(Int64(Int32.max), max(0, ($0 - MonotonicClock.now() + 999) / 1000))) } ?? -1
            if engine.step(maxWaitMilliseconds: wait) {
                readKeys() // interrupted: SIGWINCH delivers .resize through ncurses' queue
            }
            engine.flushRecording()
            history.saveIfDue(ui.editor.history)
            feedScripts()
            if let leaves = closedRowLeavesAt, leaves <= MonotonicClock.now() { uiChanged = true }
            syncWithEngine()
            if (uiChanged || engine.changeCount != drawnChangeCount) && MonotonicClock.now() >= nextFrameAt {
                draw()
            }
        }
    }

    private func model() -> ScreenModel {
        ScreenModel(table: engine.table, log: engine.log, view: engine.view, selected: engine.selected, status: engine.status,
                    timestamps: engine.settings.timestamps, pending: engine.pendingLabels, startTime: engine.startTime,
                    scriptRunning: !engine.scriptIdle || !scripts.isEmpty, recording: engine.isRecording, eol: engine.settings.eol,
                    now: WallClock.now(), lesson: engine.lessonView)
    }

    /// When (monotonic µs) the next closed connection leaves the Connections list, so the loop
    /// wakes up to redraw without it.
    private func closedRowLeaves() -> Int64? {
        guard engine.table.openConnectionCount < engine.table.connectionIDs.count else { return nil }
        let now = WallClock.now()
        return ui.connectionOrder.nextHideTime(ui.closed, now: now).map { MonotonicClock.now() + max(0, $0 - now) }
    }

    private func draw() {
        let size = session.size()
        let model = model()
        ScreenController.settle(ui: &ui, model: model, width: size.width, height: size.height)
        closedRowLeavesAt = closedRowLeaves()
        let canvas = ScreenRenderer.render(model, ui: ui, width: size.width, height: size.height)
        session.draw(canvas)
        #if DEBUG
        if crashAfterFirstFrame {
            fatalError("SOCKPIT_TEST_CRASH=1: crashing on purpose after the first frame")
        }
        #endif
        drawnChangeCount = engine.changeCount
        uiChanged = false
        nextFrameAt = MonotonicClock.now() + ScreenApp.frameInterval
    }

    /// `find` jumps to the newest match; `follow` (or End) returns to the bottom.
    private func syncWithEngine() {
        if engine.view.searchGeneration != seenSearchGeneration {
            seenSearchGeneration = engine.view.searchGeneration
            if let needle = engine.view.search, let anchor = LogPane.findLatestMatch(model(), needle: needle) {
                ui.logScroll = anchor
                uiChanged = true
            }
        }
        if engine.view.follow && !sawFollow {
            ui.logScroll = nil
            uiChanged = true
        }
        sawFollow = engine.view.follow
        if ui.logScroll != nil && engine.view.follow {
            engine.setFollowing(false)
            sawFollow = false
        } else if ui.logScroll == nil && !engine.view.follow {
            // PgDn reached the bottom: following again, as `follow` would say.
            engine.setFollowing(true)
            sawFollow = true
        }
    }

    private func readKeys() {
        let keys = session.readKeys()
        guard !keys.isEmpty else { return }
        let size = session.size()
        for key in keys {
            let actions = ScreenController.handle(key, ui: &ui, model: model(), width: size.width, height: size.height)
            for action in actions { perform(action) }
        }
        history.observe(ui.editor.history)
        uiChanged = true
    }

    private func perform(_ action: ScreenAction) {
        switch action {
        case .run(let line):
            engine.submit(line)
        case .select(let id):
            engine.select(id)
        case .quit:
            quit = true
        case .redraw:
            session.forceRedraw()
        }
    }
}
