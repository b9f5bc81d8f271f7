// Learn — `learn [LESSON|N] [lang=en|zh]`, `learn next|step|stop`: the guided lessons (PRODUCT.md
// §7). A lesson's steps advance when the session shows they happened (Engine+Lessons.swift).

import Glibc

/// `learn`: list the lessons, start one, or move in the one in progress.
struct LearnCommand: SessionCommand {
    enum Action: Equatable, Sendable {
        case list
        case start(String)
        /// Count the current step as done.
        case next
        /// Show the current step again.
        case step
        case stop
    }

    var action: Action
    /// nil: from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG` starting with `zh`), else English.
    var language: LessonLanguage?

    static let info = CommandInfo(
        "learn", usage: "learn [LESSON|N|next|step|stop] [lang=en|zh]",
        summary: "guided lessons on the seed's programs: each step says what to type and advances when it happened",
        arguments: [ArgumentInfo("LESSON|N|next|step|stop", .keyword(Lessons.all.map(\.name) + ["next", "step", "stop"]), optional: true)],
        options: [OptionInfo("lang", value: "en|zh", choices: LessonLanguage.allCases.map(\.rawValue),
                             summary: "the lesson's language (default: zh when LANG starts with zh, else en)")],
        examples: ["learn", "learn server", "learn 2 lang=zh", "learn next", "learn stop"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> LearnCommand {
        var words = try WordArguments(args, options: ["lang"])
        var language: LessonLanguage?
        if let value = words.option("lang") {
            language = try ValueSyntax.keyword(value, LessonLanguage.self, option: words.optionText("lang"))
        }
        guard let word = words.next() else { return LearnCommand(action: .list, language: language) }
        try words.finish()
        switch word.keyword {
        case "next": return LearnCommand(action: .next, language: language)
        case "step": return LearnCommand(action: .step, language: language)
        case "stop": return LearnCommand(action: .stop, language: language)
        default: break
        }
        if EndpointSyntax.isDigits(word.text) {
            guard word.text.count <= 3, let number = Int(word.text), Lessons.all.indices.contains(number - 1) else {
                throw ParseError("no lesson \(MessageText.visible(word.text)): lessons are 1–\(Lessons.all.count)")
            }
            return LearnCommand(action: .start(Lessons.all[number - 1].name), language: language)
        }
        do throws(LessonLookupError) {
            return LearnCommand(action: .start(try Lessons.find(word.text).name), language: language)
        } catch {
            throw ParseError(error.description)
        }
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let current = engine.lessonView
        let language = self.language ?? current?.language ?? LearnCommand.localeLanguage()
        switch action {
        case .list:
            var lines = LessonText.listing(language)
            if let current, !current.isFinished {
                lines.append("in progress: \(current.lesson.name), step \(current.completed + 1)/\(current.lesson.steps.count)")
            }
            engine.output(lines)
            return .done(.ok("\(Lessons.all.count) lessons in the log"))
        case .start(let name):
            guard let lesson = Lessons.named(name) else { throw CommandError("learn: no lesson \(name)") }
            engine.startLesson(lesson, language: language)
            // A script (headless) gets every step at once; at the prompt the screen shows one at a time.
            engine.output(origin == .script ? LessonText.all(lesson, language)
                : LessonText.introduction(lesson, language) + [""] + LessonText.step(lesson, 0, language))
            return .done(.ok("lesson \(lesson.name) started: \(lesson.steps.count) steps (learn next skips one, learn stop ends it)"))
        case .next:
            guard engine.skipLessonStep() else { throw CommandError("learn next: no lesson in progress (learn lists them)") }
            return .done(.ok("skipped a step of \(current?.lesson.name ?? "the lesson")"))
        case .step:
            guard let current, !current.isFinished else { throw CommandError("learn step: no lesson in progress (learn lists them)") }
            engine.output(LessonText.step(current.lesson, current.completed, language))
            return .done(.ok("\(current.lesson.name): step \(current.completed + 1)/\(current.lesson.steps.count)"))
        case .stop:
            guard let lesson = engine.stopLesson() else { throw CommandError("learn stop: no lesson in progress") }
            return .done(.ok("lesson \(lesson.name) stopped"))
        }
    }

    /// The language the locale asks for.
    static func localeLanguage() -> LessonLanguage {
        var environment: [String: String] = [:]
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = getenv(key) { environment[key] = String(cString: value) }
        }
        return LessonLanguage.preferred(environment: environment)
    }
}
