// Engine+Lessons.swift — `learn`: the lesson in progress, fed the session's own events (the log's
// entries, the step commands' states, the backlog, each command's outcome) through
// `LessonProgress`; each completed step logs the next one, the last one the lesson's end. The
// screen reads `lessonView` and draws it above the prompt.

import SocketKit

/// What the screen shows of the lesson in progress.
public struct LessonView: Equatable, Sendable {
    public let lesson: Lesson
    /// Steps done; the current one is `lesson.steps[completed]` while `completed < steps.count`.
    public let completed: Int
    public let language: LessonLanguage

    public var isFinished: Bool { completed >= lesson.steps.count }

    public init(lesson: Lesson, completed: Int, language: LessonLanguage) {
        self.lesson = lesson
        self.completed = completed
        self.language = language
    }
}

extension Engine {
    /// The lesson in progress, for the screen; nil when none runs.
    public var lessonView: LessonView? {
        stepping.lesson.map { LessonView(lesson: $0.lesson, completed: $0.completed, language: stepping.language) }
    }

    /// `learn NAME`: starts `lesson` from its first step.
    func startLesson(_ lesson: Lesson, language: LessonLanguage) {
        stepping.lesson = LessonProgress(lesson)
        stepping.language = language
        markChanged()
    }

    /// `learn next`: counts the current step as done without it happening (a peer the learner
    /// runs elsewhere, a step they want to skip).
    func skipLessonStep() -> Bool {
        guard var progress = stepping.lesson, !progress.isFinished else { return false }
        progress.skip()
        stepping.lesson = progress
        announceLessonStep(progress)
        return true
    }

    /// `learn stop`.
    func stopLesson() -> Lesson? {
        defer { stepping.lesson = nil; markChanged() }
        return stepping.lesson?.lesson
    }

    /// Tells the lesson in progress that `event` happened; a completed step logs what comes next.
    func noteLesson(_ event: LessonEvent) {
        guard var progress = stepping.lesson, !progress.isFinished else { return }
        let advanced = progress.observe(event)
        stepping.lesson = progress
        if advanced { announceLessonStep(progress) }
    }

    private func announceLessonStep(_ progress: LessonProgress) {
        let language = stepping.language
        let lesson = progress.lesson
        var lines = [language == .en ? "✓ \(lesson.name): step \(progress.completed)/\(lesson.steps.count) done"
                                     : "✓ \(lesson.name)：第 \(progress.completed)/\(lesson.steps.count) 步完成"]
        lines += progress.isFinished ? LessonText.end(lesson, language) : LessonText.step(lesson, progress.completed, language)
        output(lines)
        markChanged()
    }

    /// The lesson's view of one log entry, if it is one a lesson waits for.
    func lessonEvent(for entry: LogEntry) -> LessonEvent? {
        guard let id = entry.socket else { return nil }
        let transport = table[id]?.transport ?? .tcp
        switch entry.kind {
        case .listening: return .state(socket: id.value, .listening, transport)
        case .connected: return .state(socket: id.value, .established, transport)
        case .closed: return .state(socket: id.value, .closed, transport)
        case .accepted: return table[id]?.parent.map { .accepted(listener: $0.value, socket: id.value) }
        case .send: return .sent(socket: id.value, entry.bytes)
        case .recv: return .received(socket: id.value, entry.bytes)
        default: return nil
        }
    }

    /// Watches the log for the lesson (installed once, by the engine).
    func observeForLessons(_ entry: LogEntry) {
        guard stepping.lesson != nil else { return }
        if entry.kind == .trace {
            let call = entry.text.prefix { $0 != "(" }
            if !call.isEmpty { noteLesson(.traced(String(call))) }
            return
        }
        if let event = lessonEvent(for: entry) { noteLesson(event) }
    }

    /// A command finished: the lesson hears its name and whether it succeeded. A slow command's
    /// operation is wrapped so its final status is heard when it comes.
    func noteCommandOutcome(_ name: String, _ outcome: Outcome) {
        if case .done(let status) = outcome, stepping.lesson != nil { noteLesson(.command(name, succeeded: status.ok)) }
    }

    /// `begin` for lessons: the operation's final status reaches the lesson under its command's name.
    func watchedForLesson(_ operation: Operation) -> Operation {
        guard let name = stepping.runningCommand else { return operation }
        let remaining = operation.deadline.map { max(0, $0 - MonotonicClock.now()) }
        return Operation(label: operation.label, origin: operation.origin, timeout: remaining, poll: { [weak self] in
            let status = operation.poll()
            if let status { self?.noteLesson(.command(name, succeeded: status.ok)) }
            return status
        }) { [weak self] in
            let status = operation.timedOut()
            self?.noteLesson(.command(name, succeeded: status.ok))
            return status
        }
    }
}
