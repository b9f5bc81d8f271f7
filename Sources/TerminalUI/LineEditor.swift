// The prompt's line editor: readline keys over an array of Characters, pure and testable.

/// A single-line editor with readline keys, a kill buffer and history browsing.
///
/// Pure: it turns a `Key` into a new state and an `Action` for the caller (submit, complete,
/// quit…). It never draws; `visible(width:)` says what to show.
public struct LineEditor: Sendable {
    /// Longest line accepted, in Characters. Typing or yanking past it is refused (the excess is
    /// dropped and `handle` returns `.refused`) rather than silently truncating later, so what the
    /// user sees is exactly what will run; 4096 covers any real command and keeps redraws cheap.
    public static let maxLength = 4096

    /// What the caller should do after a key.
    public enum Action: Equatable, Sendable {
        /// Handled (or ignored); redraw.
        case none
        /// Enter: run this line. The editor is already cleared and the line added to history.
        case submit(String)
        /// Tab: run completion and apply it with `replace(text:cursor:)`.
        case complete
        /// Ctrl-C on a non-empty line: the line was cleared.
        case cancel
        /// Ctrl-C on an empty line: the user may want to quit (ask first).
        case interrupt
        /// Ctrl-D on an empty line: quit.
        case endOfInput
        /// Input was refused because the line is at `maxLength`.
        case refused
        /// Not an editing key (F1, PgUp, Escape, a mouse click…): the caller routes it elsewhere.
        case unhandled
    }

    /// The line being edited.
    public private(set) var text: [Character] = []
    /// Insertion point, `0...text.count`.
    public private(set) var cursor = 0
    /// Submitted lines; the caller loads and saves it.
    public var history: History
    /// What Ctrl-K/U/W removed last, for Ctrl-Y.
    public private(set) var killBuffer: [Character] = []
    /// The history entry shown, or `nil` while editing the draft.
    private var historyIndex: Int?
    /// The line being typed before ↑ started browsing, restored by ↓ past the newest entry.
    private var draft: [Character] = []

    public init(history: History = History()) {
        self.history = history
    }

    /// The line as a String.
    public var line: String { String(text) }

    /// Replaces the whole line (used to apply a completion); the cursor is clamped to the text.
    public mutating func replace(text newText: String, cursor newCursor: Int) {
        text = Array(newText.prefix(Self.maxLength))
        cursor = min(max(0, newCursor), text.count)
    }

    /// Applies one key.
    public mutating func handle(_ key: Key) -> Action {
        switch key {
        case .char(let c): return insert([c])
        case .enter: return submit()
        case .tab: return .complete
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .backspace, .ctrl("h"):
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete:
            if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("d"):
            if text.isEmpty { return .endOfInput }
            if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("k"): kill(cursor..<text.count)
        case .ctrl("u"): kill(0..<cursor)
        case .ctrl("w"): kill(whitespaceWordStart(before: cursor)..<cursor)
        case .ctrl("y"): return insert(killBuffer)
        case .ctrl("c"):
            if text.isEmpty { return .interrupt }
            clear()
            return .cancel
        case .up, .ctrl("p"): recall(older: true)
        case .down, .ctrl("n"): recall(older: false)
        default: return .unhandled
        }
        return .none
    }

    /// Inserts text as if typed (a paste); refuses what would exceed `maxLength`.
    public mutating func insert(_ string: String) -> Action { insert(Array(string)) }

    /// What to draw in a field `width` columns wide: the slice of the line around the cursor and
    /// the cursor's column within it.
    ///
    /// Stateless, so it cannot drift: the view scrolls in steps of half the width, only when the
    /// cursor would leave it, and always leaves the cursor's own cell (the one after the text)
    /// visible. Widths are measured in columns, so CJK text scrolls correctly; a wide character
    /// that would straddle the right edge is left out.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 0 else { return ("", 0) }
        let widths = text.map { max(0, CharWidth.of($0)) }
        let cursorColumn = widths[0..<cursor].reduce(0, +)
        var start = 0
        if cursorColumn >= width {
            let step = max(1, width / 2)
            let startColumn = ((cursorColumn - width) / step + 1) * step
            var column = 0
            while start < cursor && column < startColumn {
                column += widths[start]
                start += 1
            }
        }
        var shown = "", used = 0, index = start
        while index < text.count, used + widths[index] <= width {
            shown.append(text[index])
            used += widths[index]
            index += 1
        }
        return (shown, widths[start..<cursor].reduce(0, +))
    }

    private mutating func insert(_ characters: [Character]) -> Action {
        let printable = characters.filter { CharWidth.of($0) >= 0 }
        let room = Self.maxLength - text.count
        let accepted = printable.prefix(max(0, room))
        text.insert(contentsOf: accepted, at: cursor)
        cursor += accepted.count
        return accepted.count < printable.count ? .refused : .none
    }

    private mutating func submit() -> Action {
        let submitted = line
        history.add(submitted)
        clear()
        return .submit(submitted)
    }

    private mutating func clear() {
        text = []
        cursor = 0
        historyIndex = nil
        draft = []
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killBuffer = Array(text[range])
        text.removeSubrange(range)
        cursor = range.lowerBound
    }

    /// ↑ (older) / ↓ (newer). Leaving the draft saves it; coming back restores it. Edits made to a
    /// recalled entry are not kept when moving on, as in most shells' default.
    private mutating func recall(older: Bool) {
        let target: Int?
        switch (historyIndex, older) {
        case (nil, true): target = history.isEmpty ? nil : history.count - 1
        case (nil, false): return
        case (let i?, true): target = max(0, i - 1)
        case (let i?, false): target = i + 1 < history.count ? i + 1 : nil
        }
        if historyIndex == nil {
            guard target != nil else { return }
            draft = text
        }
        historyIndex = target
        text = target.map { Array(history[$0]) } ?? draft
        cursor = text.count
    }

    /// Start of the whitespace-delimited word before `position` (Ctrl-W, like readline's
    /// unix-word-rubout, so `@path/to/file` goes in one stroke).
    private func whitespaceWordStart(before position: Int) -> Int {
        var i = position
        while i > 0 && text[i - 1].isWhitespace { i -= 1 }
        while i > 0 && !text[i - 1].isWhitespace { i -= 1 }
        return i
    }

    /// Start of the alphanumeric word before `position` (Ctrl-←, Alt-b).
    private func wordStart(before position: Int) -> Int {
        var i = position
        while i > 0 && !isWordCharacter(text[i - 1]) { i -= 1 }
        while i > 0 && isWordCharacter(text[i - 1]) { i -= 1 }
        return i
    }

    /// End of the alphanumeric word after `position` (Ctrl-→, Alt-f).
    private func wordEnd(after position: Int) -> Int {
        var i = position
        while i < text.count && !isWordCharacter(text[i]) { i += 1 }
        while i < text.count && isWordCharacter(text[i]) { i += 1 }
        return i
    }

    private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
}
