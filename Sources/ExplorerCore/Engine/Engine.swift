// Engine.swift — the session runtime: owns the socket table, the byte log and the epoll loop;
// turns readiness into log entries and state, and runs commands. One thread, no locks.

import Glibc
import SocketKit

/// Where a command came from, which decides whether slow commands block (script) or return at
/// once and finish in the background (prompt).
public enum CommandOrigin: Equatable, Sendable {
    case prompt
    case script
}

/// The live session. Everything runs on the thread that calls `step`.
public final class Engine {
    // MARK: What the screen and headless output read

    public internal(set) var table = SocketTable()
    public internal(set) var log: ByteLog
    public internal(set) var settings: Settings
    public internal(set) var view = LogViewState()
    /// The `.` target: the highlighted row on the screen.
    public internal(set) var selected: SocketID?
    /// The last command's answer.
    public internal(set) var status: Status?
    /// Bumped on every change the screen might show; the screen redraws when it moves.
    public private(set) var changeCount: UInt64 = 0
    /// Set by `quit` (or the end of a headless script); the program loop stops.
    public internal(set) var quitRequested = false
    /// Commands that failed so far (headless exit status).
    public internal(set) var failedCommands = 0
    /// Wall-clock start of the session (for relative timestamps).
    public let startTime: Int64

    // MARK: Hooks

    /// Called with every entry appended to the log (headless printer, tests).
    public var logObservers: [(LogEntry) -> Void] = []
    /// Called with every command's final status and where the command came from.
    public var statusObserver: ((Status, CommandOrigin) -> Void)?
    /// Called when a command asks to leave the screen for the help text etc. (unused headless).
    public var helpRequested: ((String?) -> Void)?

    // MARK: Internals

    let system = SystemCalls()
    let loop: EventLoop
    let wakePipe: WakePipe
    let resolver: BackgroundResolver
    var records: [SocketID: SocketRecord] = [:]
    /// Sockets with a connect deadline: the loop's timers look at these, not at every socket.
    var connecting: Set<SocketID> = []
    /// Recently closed sockets' records, so `expect` and `wait data` still see what arrived last.
    var closedRecords: [SocketID: SocketRecord] = [:]
    var operations: [Operation] = []
    var script = ScriptQueue()
    var externalInputs: [UInt64: () -> Void] = [:]
    var signalHandler: ((Int32) -> Void)?
    var recorder: LogFileWriter?
    var tracing = false
    var scans: [Int: PortScan] = [:]
    var nextScanID = 1
    var nextTicket: UInt64 = 1
    var pendingResolutions: [UInt64: (Result<[SocketAddress], SystemError>) -> Void] = [:]
    var rateSampleDue: Int64?
    var spareDescriptor: Int32 = -1
    /// Reused receive buffer (64 KiB): one read never allocates more than the bytes it keeps.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)

    static let wakeToken: UInt64 = .max
    static let scanTokenBit: UInt64 = 1 << 62
    static let externalTokenBit: UInt64 = 1 << 61

    public init(settings: Settings = Settings()) throws(SystemError) {
        self.settings = settings
        self.log = ByteLog(capacity: settings.logcap)
        self.loop = try EventLoop(system: system)
        // A peer names its own Unix socket path: keep it as the sanitizer renders it.
        system.unixPathText = { Sanitizer.escape($0) }
        self.wakePipe = try WakePipe()
        self.resolver = BackgroundResolver(wakePipe: wakePipe)
        self.startTime = WallClock.now()
        SignalHandling.ignoreBrokenPipe()
        try loop.add(wakePipe.readFD, .readable, token: Engine.wakeToken)
        spareDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        system.tracer = nil
    }

    deinit {
        for record in records.values where record.fd >= 0 { Glibc.close(record.fd) }
        for scan in scans.values { scan.closeAll() }
        if spareDescriptor >= 0 { Glibc.close(spareDescriptor) }
        readBuffer.deallocate()
    }

    // MARK: Change tracking

    func markChanged() { changeCount &+= 1 }

    /// Updates one socket's entry and marks the screen dirty.
    func update(_ id: SocketID, _ change: (inout SocketEntry) -> Void) {
        table.update(id, change)
        markChanged()
    }

    func insert(_ entry: SocketEntry) {
        table.insert(entry)
        markChanged()
    }

    func allocateID() -> SocketID { table.allocateID() }

    /// The screen scrolled away from (false) or back to (true) the newest entries.
    public func setFollowing(_ on: Bool) {
        view.follow = on
    }

    /// Makes `id` the selected socket (`.`).
    public func select(_ id: SocketID?) {
        selected = id
        markChanged()
    }

    // MARK: The log

    /// Appends an entry, tells the observers and the recorder.
    @discardableResult
    func append(_ entry: LogEntry) -> LogEntry {
        var entry = entry
        if !entry.kind.isData { entry.text = Sanitizer.guarded(entry.text) }
        let stored = log.append(entry)
        for observer in logObservers { observer(stored) }
        if let recorder, !recorder.write(stored) { recordingFailed() }
        markChanged()
        return stored
    }

    /// Logs an event about `socket` (or a global one).
    func event(_ socket: SocketID?, _ kind: LogKind, _ text: String, peer: SocketAddress? = nil) {
        append(LogEntry(time: WallClock.now(), socket: socket, kind: kind, text: text, peer: peer))
    }

    /// Logs command output lines (info, resolve, help…).
    func output(_ lines: [String], socket: SocketID? = nil) {
        let now = WallClock.now()
        for line in lines { append(LogEntry(time: now, socket: socket, kind: .output, text: line)) }
    }

    // MARK: Status

    func finish(_ status: Status, origin: CommandOrigin) {
        var status = status
        status.message = Sanitizer.guarded(status.message)
        if !status.ok { failedCommands += 1 }
        self.status = status
        statusObserver?(status, origin)
        markChanged()
    }

    // MARK: Tracing

    func setTracing(_ on: Bool) {
        tracing = on
        if on {
            system.tracer = { [unowned self] record in
                let socket = self.socketID(forTrace: record)
                self.append(LogEntry(time: WallClock.now(), socket: socket, kind: .trace, text: record.description))
            }
        } else {
            system.tracer = nil
        }
    }

    private func socketID(forTrace record: TraceRecord) -> SocketID? {
        let first = record.arguments.prefix { $0 != "," }
        guard let fd = Int32(first) else { return nil }
        return records.values.first { $0.fd == fd }?.id
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
        var next: Int64? = rateSampleDue
        func consider(_ time: Int64?) {
            guard let time else { return }
            next = next.map { min($0, time) } ?? time
        }
        for operation in operations { consider(operation.deadline) }
        for id in connecting { consider(records[id]?.connectDeadline) }
        for scan in scans.values { consider(scan.nextDeadline) }
        return next
    }

    /// Waits for I/O up to `maxWaitMilliseconds` (or the next deadline, whichever is sooner; −1 =
    /// no limit of the caller's), handles everything ready, runs due timers and the script.
    /// Returns true when the wait was interrupted by a signal (the screen drains its keys then).
    @discardableResult
    public func step(maxWaitMilliseconds: Int32 = -1) -> Bool {
        // Lines that just ran may have finished the script (or quit): the caller must get a chance
        // to look before this step blocks, so poll instead of waiting.
        let ranLines = runScript()
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
        for ready in result.events { dispatch(ready) }
        runTimers()
        checkOperations()
        runScript()
        return result.interrupted
    }

    private func dispatch(_ ready: ReadyEvent) {
        let token = ready.token
        if token == Engine.wakeToken {
            for signal in wakePipe.drain() { signalHandler?(signal) }
            for answer in resolver.takeAnswers() {
                pendingResolutions.removeValue(forKey: answer.ticket)?(answer.result)
            }
        } else if token & Engine.scanTokenBit != 0 {
            handleScanEvent(token: token, ready)
        } else if token & Engine.externalTokenBit != 0 {
            externalInputs[token]?()
        } else if let record = records[SocketID(Int(token))] {
            handle(ready, for: record)
        }
    }

    func runTimers() {
        let now = MonotonicClock.now()
        for id in Array(connecting) {
            if let record = records[id], (record.connectDeadline ?? .max) <= now { connectTimedOut(record) }
        }
        for scan in Array(scans.values) { scan.expire(now: now, engine: self) }
        if let due = rateSampleDue, due <= now { sampleRates(now: now) }
    }

    // MARK: Resolution off the loop

    /// Resolves `host` on the worker thread (numeric hosts answer at once) and calls `done` on the loop.
    func resolve(host: String, port: UInt16, transport: Transport, _ done: @escaping (Result<[SocketAddress], SystemError>) -> Void) {
        if let numeric = SocketAddress(numericHost: host, port: port) {
            done(.success([numeric]))
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        pendingResolutions[ticket] = done
        if tracing {
            append(LogEntry(time: WallClock.now(), socket: nil, kind: .trace, text: "getaddrinfo(\"\(Sanitizer.clean(host))\") on the resolver thread"))
        }
        resolver.start(ticket: ticket, host: host, port: port, transport: transport)
    }

    // MARK: Rates

    func noteTraffic() {
        if rateSampleDue == nil { rateSampleDue = MonotonicClock.now() + 1_000_000 }
    }

    private func sampleRates(now: Int64) {
        var active = false
        for record in records.values {
            guard let entry = table[record.id] else { continue }
            let elapsed = Double(max(1, now - record.lastSampleTime)) / 1_000_000
            let rateIn = Double(entry.bytesIn - record.lastSampleIn) / elapsed
            let rateOut = Double(entry.bytesOut - record.lastSampleOut) / elapsed
            if rateIn != entry.rateIn || rateOut != entry.rateOut {
                table.update(record.id) { $0.rateIn = rateIn; $0.rateOut = rateOut }
            }
            if rateIn > 0 || rateOut > 0 { active = true }
            record.lastSampleIn = entry.bytesIn
            record.lastSampleOut = entry.bytesOut
            record.lastSampleTime = now
        }
        // Keep sampling while anything moves, plus one more tick to bring rates back to zero.
        rateSampleDue = active ? now + 1_000_000 : nil
        markChanged()
    }
}
