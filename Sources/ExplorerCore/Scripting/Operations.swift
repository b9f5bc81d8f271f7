// Operations — commands that take time (connect, wait, expect, sleep, recv all, http, scan,
// resolve): a condition polled after every wake-up, with a deadline. A script waits for each one
// before its next line; at the prompt they finish in the background.

import SocketKit

/// A command still in progress.
final class Operation {
    let label: String
    let origin: CommandOrigin
    /// Monotonic µs; nil = no deadline.
    let deadline: Int64?
    /// Returns the final status once the command is done, nil while it is not.
    let poll: () -> Status?
    /// The status when the deadline passes first.
    let timedOut: () -> Status
    /// When the operation wants to be polled next even if nothing happens (monotonic µs; a replay's
    /// next chunk); nil: after I/O or at its deadline.
    var nextWake: () -> Int64? = { nil }

    init(label: String, origin: CommandOrigin, timeout: Int64?, poll: @escaping () -> Status?, timedOut: @escaping () -> Status) {
        self.label = label
        self.origin = origin
        self.deadline = timeout.map { MonotonicClock.now() + $0 }
        self.poll = poll
        self.timedOut = timedOut
    }
}

/// The result of starting a command.
enum Outcome {
    case done(Status)
    case pending(Operation, progress: String)

    /// The same outcome with a different progress message.
    func relabeled(progress: String) -> Outcome {
        if case .pending(let operation, _) = self { return .pending(operation, progress: progress) }
        return self
    }
}

/// Where a command came from, which decides whether slow commands block (script) or return at
/// once and finish in the background (prompt).
public enum CommandOrigin: Equatable, Sendable {
    case prompt
    case script
}

/// One line of a script, with where it came from (for error messages).
public struct ScriptLine: Equatable, Sendable {
    public var text: String
    /// `session.txt:3`, or empty for `-e` and the prompt.
    public var location: String
    public init(_ text: String, location: String = "") {
        self.text = text
        self.location = location
    }
}

/// What the scripting part asks of the engine.
protocol ScriptingDelegate: AnyObject {
    /// Runs one line.
    func execute(_ line: ScriptLine, origin: CommandOrigin) -> Outcome
    /// A command finished with `status`.
    func finish(_ status: Status, origin: CommandOrigin)
    /// True once `quit` ran: no further line starts.
    var quitRequested: Bool { get }
}

/// The engine's part that runs scripts one line at a time and tracks the commands in progress.
final class Scripting {
    private var operations: [Operation] = []
    private var lines: [ScriptLine] = []
    private var next = 0
    /// The operation the script waits for before its next line.
    private var waiting: Operation?
    private var keepGoing = false
    /// Set when a line failed and the rest was dropped.
    private(set) var aborted = false
    weak var delegate: ScriptingDelegate?

    /// True when no script line is waiting or running.
    var isIdle: Bool { next >= lines.count && waiting == nil }

    /// True while any command is still in progress.
    var hasPendingOperations: Bool { !operations.isEmpty }

    /// Labels of commands in progress (the screen shows them).
    var pendingLabels: [String] { operations.map(\.label) }

    /// The soonest operation deadline.
    var nextDeadline: Int64? { (operations.compactMap(\.deadline) + operations.compactMap { $0.nextWake() }).min() }

    // MARK: Operations

    /// Starts tracking an operation, first checking whether it is already done.
    func begin(_ operation: Operation, progress: String) -> Outcome {
        if let status = operation.poll() { return .done(status) }
        operations.append(operation)
        return .pending(operation, progress: progress)
    }

    /// Polls every operation; completes those that are done or past their deadline.
    func checkOperations() {
        guard !operations.isEmpty else { return }
        let now = MonotonicClock.now()
        for operation in operations {
            if let status = operation.poll() {
                complete(operation, status)
            } else if let deadline = operation.deadline, deadline <= now {
                complete(operation, operation.timedOut())
            }
        }
    }

    private func complete(_ operation: Operation, _ status: Status) {
        operations.removeAll { $0 === operation }
        if waiting === operation {
            waiting = nil
            lineFinished(status)
        }
        delegate?.finish(status, origin: operation.origin)
    }

    // MARK: Scripts

    /// Queues lines to run as a script (each finishes before the next starts).
    func enqueue(_ more: [ScriptLine], keepGoing: Bool) {
        self.keepGoing = keepGoing
        if isIdle {
            lines = more
            next = 0
        } else {
            lines.append(contentsOf: more)
        }
    }

    /// `source` inside a script: the file's lines run before the rest.
    func insertNext(_ more: [ScriptLine]) {
        lines.replaceSubrange(next..<next, with: more)
    }

    /// Runs script lines until one has to wait. Returns true when any line ran.
    @discardableResult
    func runLines() -> Bool {
        guard let delegate else { return false }
        var ran = false
        while !delegate.quitRequested, waiting == nil, next < lines.count {
            let line = lines[next]
            next += 1
            ran = true
            switch delegate.execute(line, origin: .script) {
            case .done(let status):
                delegate.finish(status, origin: .script)
                lineFinished(status)
            case .pending(let operation, _):
                waiting = operation
            }
        }
        return ran
    }

    private func lineFinished(_ status: Status) {
        if !status.ok && !keepGoing {
            lines.removeAll()
            next = 0
            aborted = true
        }
    }
}
