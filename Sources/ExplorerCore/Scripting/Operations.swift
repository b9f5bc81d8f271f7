// Operations.swift — commands that take time (connect, wait, expect, sleep, recv all, http, scan,
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

extension Engine {
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
        if script.waiting === operation { script.waiting = nil; scriptLineFinished(status) }
        finish(status, origin: operation.origin)
    }

    /// Starts tracking an operation, first checking whether it is already done.
    func begin(_ operation: Operation, progress: String) -> Outcome {
        if let status = operation.poll() { return .done(status) }
        operations.append(operation)
        return .pending(operation, progress: progress)
    }

    /// True while any command is still in progress.
    public var hasPendingOperations: Bool { !operations.isEmpty }

    /// Labels of commands in progress (the screen shows them).
    public var pendingLabels: [String] { operations.map(\.label) }
}

// MARK: - Scripts

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

/// Lines waiting to run, one at a time.
struct ScriptQueue {
    var lines: [ScriptLine] = []
    var next = 0
    var waiting: Operation?
    var keepGoing = false
    /// Set when a line failed and the rest was dropped.
    var aborted = false

    var isIdle: Bool { next >= lines.count && waiting == nil }

    mutating func pop() -> ScriptLine? {
        guard next < lines.count else { return nil }
        defer { next += 1 }
        return lines[next]
    }

    /// `source` inside a script: the file's lines run before the rest.
    mutating func insertNext(_ more: [ScriptLine]) {
        lines.replaceSubrange(next..<next, with: more)
    }

    mutating func dropRemaining() {
        lines.removeAll()
        next = 0
    }
}

extension Engine {
    /// Queues lines to run as a script (each finishes before the next starts).
    public func enqueueScript(_ lines: [ScriptLine], keepGoing: Bool) {
        script.keepGoing = keepGoing
        if script.isIdle {
            script.lines = lines
            script.next = 0
        } else {
            script.lines.append(contentsOf: lines)
        }
    }

    /// True when no script line is waiting or running.
    public var scriptIdle: Bool { script.isIdle }
    /// True when a script line failed and the rest of the script was dropped.
    public var scriptAborted: Bool { script.aborted }

    /// Runs script lines until one has to wait. Returns true when any line ran.
    @discardableResult
    func runScript() -> Bool {
        var ran = false
        while !quitRequested, script.waiting == nil, let line = script.pop() {
            ran = true
            switch execute(line, origin: .script) {
            case .done(let status):
                finish(status, origin: .script)
                scriptLineFinished(status)
            case .pending(let operation, _):
                script.waiting = operation
            }
        }
        return ran
    }

    fileprivate func scriptLineFinished(_ status: Status) {
        if !status.ok && !script.keepGoing {
            script.dropRemaining()
            script.aborted = true
        }
    }

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

    /// Parses and runs a line; a failure anywhere becomes an error status.
    func execute(_ line: ScriptLine, origin: CommandOrigin) -> Outcome {
        let outcome = run(line.text, origin: origin)
        guard !line.location.isEmpty, case .done(let status) = outcome, !status.ok else { return outcome }
        return .done(.error("\(line.location): \(status.message)"))
    }
}
