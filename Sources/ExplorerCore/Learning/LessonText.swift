// LessonText.swift — lessons as lines for a fixed-width screen and for headless output: the `learn`
// listing, a lesson's introduction, one step (what to type, why), and its end (what the kernel did,
// the seed's lines). No tabs; every line fits the width given, CJK counted as two columns.

/// The lines `learn` shows.
public enum LessonText {
    /// The default width: an 80-column terminal less a pane's border and margin.
    public static let width = 76

    /// `learn` with no lesson: one line per lesson.
    public static func listing(_ language: LessonLanguage, width: Int = width) -> [String] {
        var lines = [words.listingHeader[language]]
        for lesson in Lessons.all {
            lines += TextWrap.wrap(lesson.title[language] + words.colon[language] + lesson.summary[language], width: width,
                                   indent: String(repeating: " ", count: 11), firstIndent: "  " + TextWrap.pad(lesson.name, 9))
        }
        return lines
    }

    /// The lesson's title, what it assumes, and how to get its peer.
    public static func introduction(_ lesson: Lesson, _ language: LessonLanguage, width: Int = width) -> [String] {
        var lines = ["\(lesson.name) · \(lesson.title[language])"]
        lines += TextWrap.wrap(words.freshSession[language], width: width, indent: "  ", firstIndent: "  ")
        if let peer = lesson.peer {
            lines += TextWrap.wrap(peer[language], width: width, indent: "  ", firstIndent: "  ")
        }
        return lines
    }

    /// Step `index` (from 0): its number, what to type, why.
    public static func step(_ lesson: Lesson, _ index: Int, _ language: LessonLanguage, width: Int = width) -> [String] {
        guard lesson.steps.indices.contains(index) else { return [] }
        let step = lesson.steps[index]
        let number = "\(index + 1)/\(lesson.steps.count)"
        var lines = [language == .en ? "\(lesson.name) · step \(number)" : "\(lesson.name) · 第 \(number) 步"]
        let labelWidth = 8
        for (position, command) in step.commands.enumerated() {
            // Commands are never wrapped: they must be typed as shown.
            lines.append(position == 0 ? "  " + TextWrap.pad(words.type[language], labelWidth - 2) + command
                                       : String(repeating: " ", count: labelWidth) + command)
        }
        lines += TextWrap.wrap(step.why[language], width: width, indent: String(repeating: " ", count: labelWidth),
                               firstIndent: "  " + TextWrap.pad(words.why[language], labelWidth - 2))
        return lines
    }

    /// The end of a lesson: what the kernel did, and the seed's lines.
    public static func end(_ lesson: Lesson, _ language: LessonLanguage, width: Int = width) -> [String] {
        var lines = [words.done[language] + lesson.name, words.kernel[language]]
        lines += TextWrap.wrap(lesson.kernel[language], width: width, indent: "  ", firstIndent: "  ")
        lines.append(words.seed[language])
        for line in lesson.seedLines {
            lines += TextWrap.width(line) + 2 <= width ? ["  " + line]
                : TextWrap.wrap(line, width: width, indent: "      ", firstIndent: "  ")
        }
        return lines
    }

    /// Everything, for headless `learn NAME`: the introduction, every step, the end.
    public static func all(_ lesson: Lesson, _ language: LessonLanguage, width: Int = width) -> [String] {
        var lines = introduction(lesson, language, width: width)
        for index in lesson.steps.indices {
            lines.append("")
            lines += step(lesson, index, language, width: width)
        }
        lines.append("")
        return lines + end(lesson, language, width: width)
    }

    private enum words {
        static let listingHeader = Localized(
            en: "lessons (learn NAME starts one; add lang=zh for Chinese):",
            zh: "课程（输入 learn 名称 开始；加 lang=en 看英文）：")
        static let freshSession = Localized(
            en: "The steps assume a fresh session, where your first socket is #1; if yours got another number, "
                + "use that.",
            zh: "以下步骤假设这是一个新会话，你创建的第一个 socket 是 #1；如果编号不同，请换成你的编号。")
        static let colon = Localized(en: ": ", zh: "：")
        static let type = Localized(en: "type", zh: "输入")
        static let why = Localized(en: "why", zh: "说明")
        static let done = Localized(en: "done: ", zh: "完成：")
        static let kernel = Localized(en: "what the kernel did", zh: "内核做了什么")
        static let seed = Localized(en: "the seed's lines", zh: "教程里对应的代码")
    }
}
