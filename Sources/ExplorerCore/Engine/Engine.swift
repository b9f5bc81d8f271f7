// Engine.swift — the session: composes the engine's parts (the socket registry, the data path, the
// log, scripting, recording, name resolution, port scans) around one epoll loop, dispatches
// readiness to them, and is what the screen, headless mode and the commands talk to.

import Glibc
import SocketKit

/// The live session. Everything runs on the thread that calls `step`; no part is shared.
///
/// The engine holds no socket, byte or script state of its own: each part owns one thing and
/// is reached through its methods. What the engine does itself is compose them: the lifecycle of
/// a socket (listen, accept, connect, close) is the engine calling the registry, the data path
/// and the log in turn, in the extension files beside this one.
public final class Engine {
    // MARK: The parts

    let system = SystemCalls()
    let loop: EventLoop
    let changes = ChangeCounter()
    /// Open and recently closed sockets, their records and epoll registration, the selection.
    let sockets: SocketRegistry
    /// Reading, delivering, replying, transmitting, flushing; rates.
    let data: DataPath
    /// The bounded log and who sees each entry.
    let journal: SessionLog
    /// Script lines and commands in progress.
    let scripting = Scripting()
    /// What `wait`, `expect` and `http` keep of each socket's traffic.
    let waits = Waits()
    /// Files written between wake-ups (the record file, saves in progress).
    let files: FileWriting
    /// `record FILE`.
    let recording: Recording
    /// getaddrinfo off the loop.
    let resolution: Resolution
    /// `scan` probes.
    let scanner: PortScanner
    /// `relay` listeners and the numbering of intercepted chunks (legs keep theirs in their records).
    let relays = Relays()
    /// Step mode's explanations and the lesson in progress.
    let stepping = Stepping()

    // MARK: What the screen and headless output read

    /// Every socket as the user sees it.
    public var table: SocketTable { sockets.table }
    /// The kept log entries.
    public var log: ByteLog { journal.entries }
    public internal(set) var settings: Settings
    public internal(set) var view = LogViewState()
    /// The `.` target: the highlighted row on the screen.
    public var selected: SocketID? { sockets.selected }
    /// The last command's answer.
    public internal(set) var status: Status?
    /// Bumped on every change the screen might show; the screen redraws when it moves.
    public var changeCount: UInt64 { changes.value }
    /// Set by `quit` (or the end of a headless script); the program loop stops.
    public internal(set) var quitRequested = false
    /// Commands that failed so far (headless exit status).
    public internal(set) var failedCommands = 0
    /// Wall-clock start of the session (for relative timestamps).
    public let startTime: Int64

    // MARK: Hooks

    /// Called with every entry appended to the log (headless printer, tests).
    public var logObservers: [(LogEntry) -> Void] {
        get { journal.observers }
        set { journal.observers = newValue }
    }
    /// Called with every command's final status and where the command came from.
    public var statusObserver: ((Status, CommandOrigin) -> Void)?
    /// Called when a command asks to leave the screen for the help text etc. (unused headless).
    public var helpRequested: ((String?) -> Void)?
    /// Set by the screen: puts bytes on the terminal's clipboard (`copy`, OSC 52); nil headless.
    public var clipboard: (([UInt8]) -> Void)?
    /// Set by the screen: the log entry it points at (F6's match, the bottom entry while scrolled).
    public var pointedEntry: (() -> LogEntry?)?

    // MARK: Loop plumbing

    let wakePipe: WakePipe
    private var externalInputs: [UInt64: () -> Void] = [:]
    private var signalHandler: ((Int32) -> Void)?
    private(set) var tracing = false
    /// Output streams of the program (headless stdout into a pipe).
    var outputs: [EngineOutput] = []
    /// True while the record file is behind.
    var recordBehind = false
    /// Bytes the outputs had taken when their last refill of read allowances was given.
    var outputProgressMark: UInt64 = 0
    /// A descriptor kept in reserve, so a listener out of descriptors can still refuse cleanly.
    var spareDescriptor: Int32 = -1
    /// Handshake deadlines and the key log (Engine/TLS).
    var tlsBook = TLSBookkeeping()

    static let wakeToken: UInt64 = .max
    static let scanTokenBit: UInt64 = 1 << 62
    static let externalTokenBit: UInt64 = 1 << 61
    static let fileTokenBit: UInt64 = 1 << 60

    public init(settings: Settings = Settings()) throws(SystemError) {
        self.settings = settings
        self.loop = try EventLoop(system: system)
        let wakePipe = try WakePipe()
        self.wakePipe = wakePipe
        self.journal = SessionLog(capacity: settings.logcap, changes: changes)
        self.sockets = SocketRegistry(loop: loop, system: system, changes: changes)
        self.data = DataPath(sockets: sockets, log: journal, system: system)
        self.files = FileWriting(loop: loop, wake: { [wakePipe] in wakePipe.wake() })
        self.recording = Recording(log: journal, files: files, system: system)
        self.resolution = Resolution(wakePipe: wakePipe, log: journal)
        self.scanner = PortScanner(loop: loop, system: system, log: journal, resolution: resolution)
        self.startTime = WallClock.now()
        // A peer names its own Unix socket path: keep it as the sanitizer renders it.
        system.unixPathText = { Sanitizer.escape($0) }
        SignalHandling.ignoreBrokenPipe()
        try loop.add(wakePipe.readFD, .readable, token: Engine.wakeToken)
        spareDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        data.delegate = self
        data.relaying = self
        journal.observers.append { [unowned self] entry in self.observeForLessons(entry) }
        data.bounds = QueueBounds(perSocket: settings.queuecap, total: settings.queuetotal)
        scripting.delegate = self
        sockets.forgotten = { [unowned self] record in self.waits.release(record) }
        recording.sockets = { [unowned self] id in self.table[id] }
        recording.failed = { [unowned self] reason in self.status = .error(Sanitizer.guarded("recording stopped: \(reason)")) }
        data.outputMeter = { [unowned self] in
            self.outputs.reduce((given: self.recording.writer?.bytesGiven ?? 0, unwritten: self.recording.writer?.unwritten ?? 0)) {
                (given: $0.given + $1.bytesGiven, unwritten: max($0.unwritten, $1.unwritten))
            }
        }
        recording.behind = { [unowned self] behind in
            self.recordBehind = behind
            self.updateBackPressure()
        }
        keyLogFromEnvironment()
    }

    deinit {
        scanner.closeAll()
        if spareDescriptor >= 0 { Glibc.close(spareDescriptor) }
    }

    // MARK: Forwarded to the parts

    func markChanged() { changes.bump() }

    /// Updates one socket's entry and marks the screen dirty.
    func update(_ id: SocketID, _ change: (inout SocketEntry) -> Void) { sockets.update(id, change) }

    /// Logs an event about `socket` (or a global one).
    func event(_ socket: SocketID?, _ kind: LogKind, _ text: String, peer: SocketAddress? = nil) {
        journal.event(socket, kind, text, peer: peer)
    }

    /// Logs command output lines (info, resolve, help…).
    func output(_ lines: [String], socket: SocketID? = nil) { journal.output(lines, socket: socket) }

    /// The engine record for an open socket, or a clear error.
    func openRecord(_ id: SocketID) throws(CommandError) -> SocketRecord { try sockets.openRecord(id) }

    /// The screen scrolled away from (false) or back to (true) the newest entries.
    public func setFollowing(_ on: Bool) {
        view.follow = on
    }

    /// Makes `id` the selected socket (`.`).
    public func select(_ id: SocketID?) { sockets.select(id) }

    // MARK: Status

    func finish(_ status: Status, origin: CommandOrigin) {
        var status = status
        status.message = Sanitizer.guarded(status.message)
        if !status.ok { failedCommands += 1 }
        // The status line may cut a long error; the log keeps it whole (a script's errors are
        // already in its output).
        if !status.ok && origin == .prompt { event(nil, .error, status.message) }
        self.status = status
        statusObserver?(status, origin)
        markChanged()
    }

    // MARK: Tracing

    func setTracing(_ on: Bool) {
        tracing = on
        resolution.tracing = on
        if on {
            system.tracer = { [unowned self] record in
                let socket = self.socketID(forTrace: record)
                // read/write on a file (the headless output) is no socket call of the seed's.
                let fileCall = socket == nil && (record.call == "write" || record.call == "read")
                let explained = self.stepping.explaining && !fileCall ? TraceExplainer.explain(record)?.suffix ?? "" : ""
                self.journal.append(LogEntry(time: WallClock.now(), socket: socket, kind: .trace, text: TraceText.line(record) + explained))
            }
        } else {
            system.tracer = nil
        }
    }

    private func socketID(forTrace record: TraceRecord) -> SocketID? {
        let first = record.arguments.prefix { $0 != "," }
        guard let fd = Int32(first) else { return nil }
        return sockets.socket(withDescriptor: fd)
    }

    // MARK: The loop

    /// Watches an extra descriptor (stdin) and calls `onReadable` when it is readable.
    public func watchInput(_ fd: Int32, onReadable: @escaping () -> Void) throws(SystemError) {
        let token = Engine.externalTokenBit | UInt64(fd)
        externalInputs[token] = onReadable
        try loop.add(fd, .readable, token: token)
    }

    /// Stops watching an extra descriptor.
    public func unwatchInput(_ fd: Int32) {
        externalInputs[Engine.externalTokenBit | UInt64(fd)] = nil
        loop.remove(fd)
    }

    /// Routes these signals into the loop; `handler` runs on the loop thread.
    public func handleSignals(_ signals: [Int32], _ handler: @escaping (Int32) -> Void) {
        signalHandler = handler
        SignalHandling.route(signals, to: wakePipe)
    }

    /// The next moment (monotonic µs) something is due, or nil when only I/O can wake us.
    public func nextDeadline() -> Int64? {
        let candidates: [Int64?] = [
            data.rateSampleDue, scripting.nextDeadline, scanner.nextDeadline, files.nextDeadline,
            sockets.connecting.compactMap { sockets.record($0)?.attempt?.deadline }.min(), nextTLSDeadline, relays.nextDeadline,
        ]
        return candidates.compactMap { $0 }.min()
    }

    /// Waits for I/O up to `maxWaitMilliseconds` (or the next deadline, whichever is sooner; −1 =
    /// no limit of the caller's), handles everything ready, runs due timers and the script.
    /// Returns true when the wait was interrupted by a signal (the screen drains its keys then).
    @discardableResult
    public func step(maxWaitMilliseconds: Int32 = -1) -> Bool {
        // Lines that just ran may have finished the script (or quit): the caller must get a chance
        // to look before this step blocks, so poll instead of waiting.
        let ranLines = scripting.runLines()
        var timeout = ranLines ? 0 : maxWaitMilliseconds
        if let deadline = nextDeadline() {
            let remaining = max(0, (deadline - MonotonicClock.now() + 999) / 1000)
            let capped = Int32(min(remaining, Int64(Int32.max)))
            timeout = timeout < 0 ? capped : min(timeout, capped)
        }
        if quitRequested { timeout = 0 }
        let result: (events: [ReadyEvent], interrupted: Bool)
        do {
            result = try loop.wait(timeoutMilliseconds: timeout)
        } catch {
            event(nil, .error, "\(error)")
            return false
        }
        // The keyboard, signals and answers first; then the sockets, while this wake-up's read
        // budget lasts (the rest are reported again next time, in turn).
        data.startStep()
        for ready in result.events where ready.token >= Engine.fileTokenBit { dispatch(ready) }
        for ready in result.events where ready.token < Engine.fileTokenBit {
            if data.stepBudgetSpent { break }
            dispatch(ready)
        }
        data.serviceBufferedTLS()
        files.service()
        recording.flush()
        if !outputs.isEmpty || recordBehind { updateBackPressure() }
        runTimers()
        scripting.checkOperations()
        scripting.runLines()
        return result.interrupted
    }

    private func dispatch(_ ready: ReadyEvent) {
        let token = ready.token
        if token == Engine.wakeToken {
            for signal in wakePipe.drain() { signalHandler?(signal) }
            resolution.deliverAnswers()
        } else if token & Engine.scanTokenBit != 0 {
            scanner.handle(token: token)
        } else if token & Engine.externalTokenBit != 0 {
            externalInputs[token]?()
        } else if token & Engine.fileTokenBit != 0 {
            return  // a file became writable: `files.service()` writes to it this step
        } else if let record = sockets.record(SocketID(Int(token))) {
            handle(ready, for: record)
        }
    }

    /// One socket is ready: a connect finished, a listener has peers, or bytes can move.
    private func handle(_ ready: ReadyEvent, for record: SocketRecord) {
        guard let entry = table[record.id] else { return }
        switch entry.state {
        case .connecting:
            connectReady(record)
        case .closed, .failed, .resolving:
            return
        default:
            if entry.role == .listener {
                if entry.acceptMode == .manual { refreshPendingAccepts(record) } else { acceptReady(record) }
            } else if record.tls?.isHandshaking == true {
                driveTLSHandshake(record)
            } else {
                data.handle(ready, for: record)
            }
        }
    }

    private func runTimers() {
        let now = MonotonicClock.now()
        for id in Array(sockets.connecting) {
            if let record = sockets.record(id), (record.attempt?.deadline ?? .max) <= now { connectTimedOut(record) }
        }
        scanner.expire(now: now)
        expireIdleRelayLegs(now: now)
        expireTLSHandshakes(now: now)
        data.sampleRatesIfDue(now: now)
    }

    /// Resolves `host` on the worker thread (numeric hosts answer at once) and calls `done` on the loop.
    func resolve(host: String, port: UInt16, transport: Transport, _ done: @escaping (Result<[SocketAddress], SystemError>) -> Void) {
        resolution.resolve(host: host, port: port, transport: transport, done)
    }

    /// Starts tracking an operation, first checking whether it is already done.
    func begin(_ operation: Operation, progress: String) -> Outcome {
        scripting.begin(stepping.lesson == nil ? operation : watchedForLesson(operation), progress: progress)
    }
}

extension Engine: DataPathDelegate {
    func received(_ bytes: [UInt8], on record: SocketRecord) {
        waits.note(bytes, on: record)
        if let parentID = table[record.id]?.parent, let parent = sockets.record(parentID) {
            waits.note(bytes, onListener: parent)
        }
    }

    func finished(_ record: SocketRecord) {
        closeNow(record, reason: "closed")
    }
}

extension Engine: ScriptingDelegate {
    /// Parses and runs a line; a failure anywhere becomes an error status naming the script line.
    func execute(_ line: ScriptLine, origin: CommandOrigin) -> Outcome {
        let outcome = run(line.text, origin: origin)
        guard !line.location.isEmpty, case .done(let status) = outcome, !status.ok else { return outcome }
        return .done(.error("\(line.location): \(status.message)"))
    }
}

extension Engine {
    // MARK: Scripts, as the screen and headless mode drive them

    /// Queues lines to run as a script (each finishes before the next starts).
    public func enqueueScript(_ lines: [ScriptLine], keepGoing: Bool) {
        scripting.enqueue(lines, keepGoing: keepGoing)
    }

    /// True when no script line is waiting or running.
    public var scriptIdle: Bool { scripting.isIdle }
    /// True when a script line failed and the rest of the script was dropped.
    public var scriptAborted: Bool { scripting.aborted }
    /// True while any command is still in progress.
    public var hasPendingOperations: Bool { scripting.hasPendingOperations }
    /// Labels of commands in progress (the screen shows them).
    public var pendingLabels: [String] { scripting.pendingLabels }

    /// Runs one line typed at the prompt. Slow commands return at once and finish in the background.
    public func submit(_ text: String) {
        switch execute(ScriptLine(text), origin: .prompt) {
        case .done(let status):
            finish(status, origin: .prompt)
        case .pending(_, let progress):
            status = .ok(Sanitizer.guarded(progress))
            markChanged()
        }
    }

    /// Bytes still queued for sending on any socket.
    public var queuedOutboundBytes: Int { data.queuedOutboundBytes }
}
