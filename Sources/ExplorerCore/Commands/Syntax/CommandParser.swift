// CommandParser — turns one command line into a `Command`: finds the command word in the registry and
// lets that command's type parse the rest; a `ParseError` names the command and its usage.

/// Parses the command language of PRODUCT.md §2.
///
/// Lexical rules, in one place:
/// - Command words, keywords (`tcp`, `rd`, `off`, `hex`, …) and option keys are case-insensitive;
///   hosts, paths, payloads and `set`/`sockopt` values keep their case.
/// - Words are separated by blanks; double quotes group a word (`"my file.txt"`), with payload escapes.
/// - A word `letters=value` is an option, allowed anywhere among a command's words.
/// - Payload commands (`send`, `sendl`, `reply`, `banner`, `expect`, `find`) read the rest of the line
///   as payload syntax (see `PayloadParser`); their first word is a target only if it is exactly `#N`,
///   `.` or `*`.
/// - A line is a comment when its first non-blank character is `#` and the next one is not a digit
///   (`# note`, `#!shebang`, a lone `#`). There are no trailing comments: `send a # b` sends `a # b`.
public enum CommandParser {
    /// Parses one line into a command; nil for a blank line or a comment.
    public static func parse(_ line: String) throws(ParseError) -> Command? {
        let text = LineText(line)
        let end = text.bytes.count
        let start = text.skipBlanks(from: 0, to: end)
        guard start < end else { return nil }
        var wordEnd = start
        while wordEnd < end, !LineText.isBlank(text.bytes[wordEnd]) { wordEnd += 1 }
        let word = text.text(start..<wordEnd)
        if text.bytes[start] == UInt8(ascii: "#") {
            guard start + 1 < end, (0x30...0x39).contains(text.bytes[start + 1]) else { return nil }
            throw ParseError(
                "a line cannot start with a target (\(MessageText.visible(word))): put the command first, "
                    + "e.g. send \(MessageText.visible(word)) …; a comment is # followed by a non-digit")
        }
        guard let type = CommandRegistry.lookup(word) else {
            let hint = Suggestion.hint(for: word, in: CommandCatalog.allWords)
            throw ParseError("unknown command \(MessageText.quoted(word))\(hint)")
        }
        do throws(ParseError) {
            return Command(try type.parse(ArgumentCursor(line: text, from: wordEnd)))
        } catch {
            throw error.inCommand(type.info.word, usage: type.info.usage)
        }
    }
}
