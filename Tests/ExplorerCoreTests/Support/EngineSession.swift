// EngineSession.swift — drives a real Engine in the test's thread the way headless mode does:
// queue script lines, step the loop until the script is done (bounded in time), read the log.

import ExplorerCore
import Foundation

/// One engine plus everything it said: log lines (headless text form) and command statuses.
final class EngineSession {
    let engine: Engine
    private(set) var lines: [String] = []
    private(set) var entries: [LogEntry] = []
    private(set) var statuses: [Status] = []
    private var formatter: LogLineFormatter

    init(settings: Settings = Settings()) throws {
        engine = try Engine(settings: settings)
        formatter = LogLineFormatter(timestamps: .off, start: engine.startTime)
        engine.logObservers.append { [unowned self] entry in
            self.entries.append(entry)
            self.lines.append(self.formatter.text(entry))
        }
        engine.statusObserver = { [unowned self] status, _ in self.statuses.append(status) }
    }

    /// Runs `commands` as a script (stopping at the first error, as headless mode does) and
    /// returns their statuses. Bounded: gives up after `timeout` seconds.
    @discardableResult
    func run(_ commands: String..., keepGoing: Bool = false, timeout: Double = 15) -> [Status] {
        run(commands, keepGoing: keepGoing, timeout: timeout)
    }

    @discardableResult
    func run(_ commands: [String], keepGoing: Bool = false, timeout: Double = 15) -> [Status] {
        let before = statuses.count
        engine.enqueueScript(commands.map { ScriptLine($0) }, keepGoing: keepGoing)
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            engine.step(maxWaitMilliseconds: 20)
        } while !engine.scriptIdle && Date() < deadline && !engine.quitRequested
        var answered = Array(statuses[before...])
        // A script still running at the deadline answers with a failure, so no check passes on it.
        if !engine.scriptIdle && !engine.quitRequested { answered.append(.error("the script did not finish within \(timeout) s")) }
        return answered
    }

    /// Steps the loop until `condition` holds or `timeout` passes; returns whether it held.
    @discardableResult
    func pump(until condition: () -> Bool, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() >= deadline { return false }
            engine.step(maxWaitMilliseconds: 20)
        }
        return true
    }

    /// The last status.
    var lastStatus: Status? { statuses.last }

    /// The port the socket `id` is bound to.
    func port(of id: Int) -> UInt16 { engine.table[SocketID(id)]?.local?.port ?? 0 }

    func entry(_ id: Int) -> SocketEntry? { engine.table[SocketID(id)] }

    /// All bytes received (or sent) on socket `id`, in order.
    func bytes(_ kind: LogKind, on id: Int) -> [UInt8] {
        entries.filter { $0.kind == kind && $0.socket == SocketID(id) }.flatMap(\.bytes)
    }

    /// Log lines that mention `text`.
    func lines(containing text: String) -> [String] { lines.filter { $0.contains(text) } }

    deinit {
        // The observers point back at this session, which is going away.
        engine.logObservers.removeAll()
        engine.statusObserver = nil
        engine.closeAll()
    }
}
