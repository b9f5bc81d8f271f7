// Lesson.swift — what a guided lesson is (`learn NAME`): steps to type, why, a condition the
// session's events must meet, and at the end what the kernel did and the seed's matching lines.
// The lessons themselves are data in Lessons+TCP.swift and Lessons+More.swift.

import SocketKit

/// The language of a lesson's texts.
public enum LessonLanguage: String, Sendable, CaseIterable {
    case en, zh

    /// Chinese when the locale says so (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, the first one
    /// set and not empty, starts with `zh`), English otherwise.
    public static func preferred(environment: [String: String]) -> LessonLanguage {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        return locale?.lowercased().hasPrefix("zh") == true ? .zh : .en
    }
}

/// A text in both languages.
public struct Localized: Equatable, Sendable {
    public let en: String
    public let zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    public subscript(_ language: LessonLanguage) -> String {
        language == .en ? en : zh
    }
}

/// The states a lesson waits for. The step commands of PRODUCT.md §7 add `created` and `bound`
/// to the engine's states; the lead maps the engine's own onto these.
public enum LessonSocketState: String, Sendable, CaseIterable {
    case created, bound, listening, connecting, established, closed
}

/// What must happen in the session for a step to count as done. The lead evaluates it against
/// the engine's events through `LessonProgress`.
public enum StepCondition: Equatable, Sendable {
    /// A socket (of this transport, when given) reached this state.
    case reached(LessonSocketState, Transport?)
    /// A connection is waiting in a listener's backlog (the Listeners pane counts it).
    case pending
    /// A listener accepted a connection.
    case accepted
    /// A socket sent bytes containing these (in one chunk or across several); empty means any bytes.
    case sent(containing: [UInt8])
    /// A socket received bytes containing these; empty means any bytes.
    case received(containing: [UInt8])
    /// A command with this name (`banner`, `errno`) finished with `ok:`.
    case succeeded(String)
    /// A command with this name finished with `error:` (the lesson shows the kernel refusing).
    case failed(String)
    /// The trace showed a call of this name (`accept4`).
    case traced(String)

    /// `sent(containing:)` from text.
    public static func sent(_ text: String) -> StepCondition { .sent(containing: Array(text.utf8)) }
    /// `received(containing:)` from text.
    public static func received(_ text: String) -> StepCondition { .received(containing: Array(text.utf8)) }
}

/// One step of a lesson.
public struct LessonStep: Equatable, Sendable {
    /// What to type in this sockpit, in order (PRODUCT.md §2 and §7 syntax). Empty when the step
    /// happens elsewhere (a client in another terminal), which `why` then says.
    public let commands: [String]
    /// Why, in one or two sentences, naming the seed's call.
    public let why: Localized
    /// When the step is done.
    public let done: StepCondition

    public init(_ commands: [String], _ done: StepCondition, en: String, zh: String) {
        self.commands = commands
        self.done = done
        why = Localized(en: en, zh: zh)
    }
}

/// A guided lesson built on one of the seed's programs.
public struct Lesson: Equatable, Sendable {
    /// One word, typed after `learn`: `server`.
    public let name: String
    public let title: Localized
    /// One line for the `learn` listing.
    public let summary: Localized
    /// How to get the peer the lesson needs, or nil when it needs none.
    public let peer: Localized?
    public let steps: [LessonStep]
    /// At the end: what the kernel did.
    public let kernel: Localized
    /// At the end: the seed's matching lines, verbatim (without their indentation).
    public let seedLines: [String]
}

/// Why `Lessons.find` found nothing.
public struct LessonLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

/// Every lesson, in the order `learn` lists them.
public enum Lessons {
    public static let all: [Lesson] = [server, client, reverse, select, udp, http, scan]

    /// The lesson called `name` (any case), or nil.
    public static func named(_ name: String) -> Lesson? {
        let lower = name.lowercased()
        return all.first { $0.name == lower }
    }

    /// Like `named`, but says what exists and suggests the closest name.
    public static func find(_ name: String) throws(LessonLookupError) -> Lesson {
        if let lesson = named(name) { return lesson }
        let hint = Suggestion.hint(for: name, in: all.map(\.name))
        throw LessonLookupError(description: "learn: no lesson \(MessageText.quoted(name))\(hint); "
            + "lessons: \(all.map(\.name).joined(separator: ", "))")
    }
}
