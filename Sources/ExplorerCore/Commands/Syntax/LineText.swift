// LineText — a command line as UTF-8 bytes: blanks, quote-aware words and 1-based columns for messages.

/// A command line as bytes, shared by the command and payload parsers.
///
/// Both parsers work on byte indices into the same line so that every message can name the column
/// where the problem starts, counted from the start of the whole line as the user sees it.
struct LineText {
    let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Space, tab and the line-break family: a script saved with CRLF must not leak `\r` into words.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// 1-based column of `index`, counting Unicode scalars (UTF-8 continuation bytes do not advance it).
    func column(at index: Int) -> Int {
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] where byte & 0xC0 != 0x80 {
            column += 1
        }
        return column
    }

    /// The text of `range`; ranges always start and end on ASCII boundaries, so this never mangles UTF-8.
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The first index at or after `index` (before `end`) that is not blank.
    func skipBlanks(from index: Int, to end: Int) -> Int {
        var index = index
        while index < end, LineText.isBlank(bytes[index]) { index += 1 }
        return index
    }

    /// `end` moved back over trailing blanks, but not before `start`.
    func trimBlanks(from start: Int, to end: Int) -> Int {
        var end = end
        while end > start, LineText.isBlank(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// Where the word starting at `start` ends: at the first blank outside double quotes.
    ///
    /// Inside quotes a backslash protects the next byte, so `"a \" b"` is one word. An unterminated
    /// quote runs to `end`; the parser that decodes the word reports it.
    func wordEnd(from start: Int, to end: Int) -> Int {
        var index = start
        var quoted = false
        while index < end {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    quoted = false
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if LineText.isBlank(byte) {
                break
            }
            index += 1
        }
        return min(index, end)
    }

    /// The next word at or after `index`, or nil if only blanks remain before `end`.
    func word(from index: Int, to end: Int) -> Word? {
        let start = skipBlanks(from: index, to: end)
        guard start < end else { return nil }
        let stop = wordEnd(from: start, to: end)
        return Word(range: start..<stop, text: text(start..<stop))
    }

    /// All words of `range`, in order.
    func words(in range: Range<Int>) -> [Word] {
        var words: [Word] = []
        var index = range.lowerBound
        while let word = word(from: index, to: range.upperBound) {
            words.append(word)
            index = word.range.upperBound
        }
        return words
    }
}

/// A blank-separated word of a command line, with where it sits in the line.
struct Word {
    let range: Range<Int>
    let text: String

    /// `text` with ASCII letters lowercased, for keywords and option names (case-insensitive).
    var keyword: String { text.lowercased() }

    /// True for a quoted word, which is never a keyword, an option or a target.
    var isQuoted: Bool { text.hasPrefix("\"") }
}
