// LessonPane.swift — the lesson in progress (`learn NAME`), drawn above the prompt across the whole
// width, over the bottom rows of the panes: the current step (what to type, why) and what it waits
// for; at the end, what the kernel did. A pure function of the lesson's view into the canvas. CJK
// text is laid out by the lesson texts' own wrapping (two columns a character).

import ExplorerCore

public enum LessonPane {
    /// The most rows the pane takes of the body, so the panes behind it stay usable.
    static func maximumHeight(bodyHeight: Int) -> Int { max(4, bodyHeight / 2) }

    /// The box's rectangle for a lesson above `prompt`, in a body of `bodyHeight` rows.
    static func rect(lines: Int, prompt: Rect, bodyHeight: Int) -> Rect {
        let height = min(lines + 2, maximumHeight(bodyHeight: bodyHeight))
        return Rect(x: 0, y: prompt.y - height, width: prompt.width, height: height)
    }

    /// Draws `lesson` just above `prompt`; nothing when there is no room.
    public static func render(_ lesson: LessonView, above prompt: Rect, theme: Theme, into canvas: inout Canvas) {
        let width = prompt.width - 4
        guard width >= 20, prompt.y >= 4 else { return }
        let (title, lines, waiting) = content(lesson, width: width)
        let box = rect(lines: lines.count + (waiting == nil ? 0 : 1), prompt: prompt, bodyHeight: prompt.y)
        canvas.fill(box, style: theme.text)
        canvas.box(box, title: title, style: theme.borderFocused, titleStyle: theme.title)
        let inner = box.inset(by: 1)
        var shown = Array(lines.prefix(inner.height - (waiting == nil ? 0 : 1)))
        if shown.count < lines.count, let last = shown.indices.last { shown[last] = "  …" }
        for (row, line) in shown.enumerated() {
            let style = line.hasPrefix("  " + words.type[lesson.language]) ? theme.prompt : theme.text
            canvas.put(line, x: inner.x + 1, y: inner.y + row, style: style, maxWidth: inner.width - 1)
        }
        if let waiting {
            canvas.put(waiting, x: inner.x + 1, y: inner.maxY - 1, style: theme.hint, maxWidth: inner.width - 1)
        }
    }

    /// The box's title, its lines, and the "waiting for" line (nil once the lesson is over).
    static func content(_ lesson: LessonView, width: Int) -> (title: String, lines: [String], waiting: String?) {
        let language = lesson.language
        let steps = lesson.lesson.steps
        guard !lesson.isFinished else {
            let end = LessonText.end(lesson.lesson, language, width: width)
            return (words.finished[language] + lesson.lesson.name, Array(end.dropFirst()) + [words.stop[language]], nil)
        }
        let lines = LessonText.step(lesson.lesson, lesson.completed, language, width: width)
        let title = lines.first ?? lesson.lesson.name
        let waiting = "  " + words.waiting[language] + condition(steps[lesson.completed].done, language)
        return (title, Array(lines.dropFirst()), waiting)
    }

    /// What a step waits for, in a few words.
    static func condition(_ condition: StepCondition, _ language: LessonLanguage) -> String {
        let en = language == .en
        switch condition {
        case .reached(let state, let transport):
            let kind = transport.map { $0.rawValue + " " } ?? ""
            return en ? "a \(kind)socket to be \(state.rawValue)" : "一个 \(kind)socket 进入 \(state.rawValue) 状态"
        case .pending:
            return en ? "a connection waiting in the backlog" : "backlog 里出现一个等待的连接"
        case .accepted:
            return en ? "a connection to be accepted" : "接受（accept）一个连接"
        case .sent(let bytes):
            return bytes.isEmpty ? (en ? "bytes going out" : "发出数据") : en ? "\(quoted(bytes)) going out" : "发出 \(quoted(bytes))"
        case .received(let bytes):
            return bytes.isEmpty ? (en ? "bytes coming in" : "收到数据") : en ? "\(quoted(bytes)) coming in" : "收到 \(quoted(bytes))"
        case .succeeded(let name):
            return en ? "\(name) to succeed" : "\(name) 执行成功"
        case .failed(let name):
            return en ? "\(name) to fail: the kernel refusing" : "\(name) 失败：内核拒绝"
        case .traced(let call):
            return en ? "the trace to show \(call)" : "跟踪里出现 \(call)"
        }
    }

    /// Lesson texts are sockpit's own, but escapes keep a line ending visible.
    private static func quoted(_ bytes: [UInt8]) -> String { "\"" + Sanitizer.escape(bytes) + "\"" }

    private enum words {
        static let type = Localized(en: "type", zh: "输入")
        static let waiting = Localized(en: "waiting for: ", zh: "等待：")
        static let finished = Localized(en: "done: ", zh: "完成：")
        static let stop = Localized(en: "learn stop closes this; learn lists the lessons", zh: "输入 learn stop 关闭；learn 列出所有课程")
    }
}
