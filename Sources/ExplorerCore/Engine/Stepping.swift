// Stepping — the engine's part for step mode (PRODUCT.md §7) and lessons: whether trace lines are
// explained, the system calls the last step command made (for a bare `explain`), and the lesson in
// progress with its language. It only keeps state; Engine+Steps.swift and Engine+Lessons.swift
// make the calls and feed the lesson.

import SocketKit

/// Step-mode and lesson state of one session.
final class Stepping {
    /// `explain on`: each trace line also shows the seed's PHP call and the C prototype.
    var explaining = false
    /// The calls the last step command made, oldest first (at most `maxCalls`).
    private(set) var lastCalls: [TraceRecord] = []
    /// The lesson in progress, if any.
    var lesson: LessonProgress?
    var language: LessonLanguage = .en
    /// The name of the command running now, so its outcome can be told to the lesson.
    var runningCommand: String?

    /// A step command makes a handful of calls; more (a flood of polls) keeps the first ones.
    static let maxCalls = 16

    /// A step command starts: its calls replace the last one's.
    func startCalls() { lastCalls = [] }

    func note(_ call: TraceRecord) {
        if lastCalls.count < Self.maxCalls { lastCalls.append(call) }
    }
}
