// LessonProgress.swift — where a learner is in a lesson: fed the session's events in order, it
// completes a step when an event meets the step's condition. Pure: the engine translates its own
// events into `LessonEvent`s and asks what to show next.
//
// Matching is sequential: a step is completed by the first matching event after the event that
// completed the step before it, and one event completes at most one step. So a reply that arrives
// right after `write` completes the `read` step at once (the session did show it), while an event
// from before the step never counts for it.

import SocketKit

/// Something that happened in the session, as a lesson sees it.
public enum LessonEvent: Equatable, Sendable {
    /// Socket `socket` (its id number) of this transport reached `state`.
    case state(socket: Int, LessonSocketState, Transport)
    /// A connection waits in the backlog of listener `listener`.
    case pending(listener: Int)
    /// Listener `listener` accepted connection `socket`.
    case accepted(listener: Int, socket: Int)
    /// Bytes went out of (`sent`) or came into (`received`) socket `socket`.
    case sent(socket: Int, [UInt8])
    case received(socket: Int, [UInt8])
    /// A command (`banner`, `errno`) finished, with `ok:` or with `error:`.
    case command(String, succeeded: Bool)
    /// The trace showed a call of this name.
    case traced(String)
}

/// A learner's place in one lesson.
public struct LessonProgress: Sendable {
    public let lesson: Lesson
    /// How many steps are done; the current step is `steps[completed]`.
    public private(set) var completed = 0
    /// The end of each socket's bytes since the current step began, kept only as long as the
    /// step's pattern needs (its length less one), so a pattern split across chunks still matches.
    private var tails: [Tail: [UInt8]] = [:]
    /// Insertion order of `tails`, to forget the oldest sockets first.
    private var tailOrder: [Tail] = []

    public init(_ lesson: Lesson) {
        self.lesson = lesson
    }

    /// The step to show, or nil when the lesson is over.
    public var current: LessonStep? {
        completed < lesson.steps.count ? lesson.steps[completed] : nil
    }

    public var isFinished: Bool { completed >= lesson.steps.count }

    /// Feeds one event; true when it completed the current step.
    @discardableResult
    public mutating func observe(_ event: LessonEvent) -> Bool {
        guard let step = current, meets(step.done, event) else { return false }
        completed += 1
        tails = [:]
        tailOrder = []
        return true
    }

    /// Counts the current step as done without its event (`learn next`).
    public mutating func skip() {
        guard !isFinished else { return }
        completed += 1
        tails = [:]
        tailOrder = []
    }

    private mutating func meets(_ condition: StepCondition, _ event: LessonEvent) -> Bool {
        switch (condition, event) {
        case (.reached(let wanted, let transport), .state(_, let state, let kind)):
            return state == wanted && (transport == nil || transport == kind)
        case (.pending, .pending), (.accepted, .accepted):
            return true
        case (.sent(let pattern), .sent(let socket, let bytes)):
            return contains(pattern, bytes, Tail(socket: socket, sent: true))
        case (.received(let pattern), .received(let socket, let bytes)):
            return contains(pattern, bytes, Tail(socket: socket, sent: false))
        case (.succeeded(let name), .command(let ran, let ok)):
            return ok && ran.lowercased() == name
        case (.failed(let name), .command(let ran, let ok)):
            return !ok && ran.lowercased() == name
        case (.traced(let name), .traced(let call)):
            return call == name
        default:
            return false
        }
    }

    /// Whether `pattern` occurs in this socket's bytes since the step began, the new chunk included.
    private mutating func contains(_ pattern: [UInt8], _ chunk: [UInt8], _ key: Tail) -> Bool {
        if pattern.isEmpty { return !chunk.isEmpty }
        let seen = (tails[key] ?? []) + chunk
        if seen.count >= pattern.count {
            for start in 0...(seen.count - pattern.count) where seen[start] == pattern[0] {
                if seen[start ..< start + pattern.count].elementsEqual(pattern) { return true }
            }
        }
        if tails[key] == nil {
            tailOrder.append(key)
            if tailOrder.count > Self.maxSockets { tails[tailOrder.removeFirst()] = nil }
        }
        tails[key] = Array(seen.suffix(pattern.count - 1))
        return false
    }

    /// Sockets whose bytes are remembered at once; more (a flood of peers) forgets the oldest.
    static let maxSockets = 64

    private struct Tail: Hashable, Sendable {
        let socket: Int
        let sent: Bool
    }
}
