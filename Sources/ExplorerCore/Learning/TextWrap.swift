// TextWrap.swift — wraps the learning texts (English and Chinese) to a column budget, for a
// fixed-width screen and for headless output.
//
// ExplorerCore cannot see TerminalUI's exact width table, so this measures conservatively: ASCII
// is one column and every other character two. Chinese characters and full-width punctuation are
// two columns on every terminal; the few narrow non-ASCII characters (`·`, `→`) only make a line
// shorter than it could be, never longer than the budget.

enum TextWrap {
    /// Columns `text` may take at most (ASCII 1, anything else 2).
    static func width(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
    }

    /// `text` followed by spaces up to `width` columns, or by one space when it is that wide already.
    static func pad(_ text: String, _ width: Int) -> String {
        let used = self.width(text)
        return used >= width ? text + " " : text + String(repeating: " ", count: width - used)
    }

    /// `text` in lines of at most `width` columns, each after `indent` (counted in the budget),
    /// the first after `firstIndent` when given. English breaks at spaces; Chinese between any
    /// two characters, but never before closing punctuation (`，。：；、）」`) or after an opening
    /// one. A single word longer than the budget stays whole on its own line.
    static func wrap(_ text: String, width limit: Int, indent: String = "", firstIndent: String? = nil) -> [String] {
        var lines: [String] = []
        var line = firstIndent ?? indent
        var lineHasText = false
        let tokens = self.tokens(text)
        for (index, token) in tokens.enumerated() {
            if token == " " {
                continue
            }
            let spaced = lineHasText && index > 0 && tokens[index - 1] == " "
            let addition = (spaced ? " " : "") + token
            if lineHasText && width(line) + width(addition) > limit {
                lines.append(line)
                line = indent + token
            } else {
                line += addition
            }
            lineHasText = true
        }
        if lineHasText || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Splits into words (runs of ASCII non-blanks), single spaces, and single wide characters with
    /// the punctuation that must stay beside them.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { tokens.append(word); word = "" }
        }
        for character in text {
            if character == " " || character == "\n" {
                flush()
                if tokens.last != " " { tokens.append(" ") }
            } else if character.isASCII {
                word.append(character)
            } else if closing.contains(character), !word.isEmpty || !tokens.isEmpty {
                if word.isEmpty, let last = tokens.popLast() { word = last }
                word.append(character)
            } else {
                let opensPrevious = word.last.map(opening.contains) ?? false
                if !opensPrevious { flush() }
                word.append(character)
                if opening.contains(character) { continue }
                flush()
            }
        }
        flush()
        return tokens
    }

    private static let closing: Set<Character> = ["，", "。", "：", "；", "、", "）", "」", "』", "！", "？", "…", "》"]
    private static let opening: Set<Character> = ["（", "「", "『", "《"]
}
