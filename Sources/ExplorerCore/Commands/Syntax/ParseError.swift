// ParseError — the one error value of the command language (commands, payloads, settings), and how it quotes user text.

/// A mistake in a command line, a payload or a setting, as a value for the status line.
///
/// The parts are kept apart so a screen can show the short `detail` and offer the `usage` elsewhere;
/// `message` joins them into the one line the product contract asks for.
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. `port 70000 out of range 0–65535` or `unknown escape \q`.
    public var detail: String
    /// The command (or `set NAME`) whose arguments were wrong; nil when the command word itself failed.
    public var command: String?
    /// The command's usage line, so the user sees at once how to write it.
    public var usage: String?

    /// Creates an error; `command` and `usage` are usually filled in by `CommandParser`.
    public init(_ detail: String, command: String? = nil, usage: String? = nil) {
        self.detail = detail
        self.command = command
        self.usage = usage
    }

    /// The status-line text: `listen: port 70000 out of range 0–65535 — usage: listen …`.
    public var message: String {
        var text = detail
        if let command { text = "\(command): \(text)" }
        if let usage { text += " — usage: \(usage)" }
        return text
    }

    public var description: String { message }

    /// This error attributed to `command`, unless an inner parser already named one.
    func inCommand(_ command: String, usage: String?) -> ParseError {
        guard self.command == nil else { return self }
        return ParseError(detail, command: command, usage: usage)
    }
}

/// Renders user text inside error messages.
///
/// A message goes straight to the status line, so a control byte, an escape sequence or a bidi override
/// typed (or read from a script) must come back as a visible escape, never raw. What counts as unsafe
/// and how it is spelled are the `Sanitizer`'s (`\x1b`, `\u{202E}`), so a message and the log never
/// disagree. One difference, on purpose: a backslash stays single, because the text quoted here is
/// the user's own payload syntax (`unknown escape \q`), not a peer's bytes that must stay
/// unambiguous. Long text is shortened so the reason still fits on one line.
enum MessageText {
    /// Longest stretch of user text quoted in a message, in Unicode scalars.
    static let maxQuoted = 40

    /// `text` between double quotes, made safe and shortened: `"abc"`, `"a\x1b[2J…"`.
    static func quoted(_ text: some StringProtocol) -> String {
        "\"" + visible(text) + "\""
    }

    /// `text` made safe for one status line and shortened to `maxQuoted` scalars.
    static func visible(_ text: some StringProtocol) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == maxQuoted {
                out += "…"
                break
            }
            out += visible(scalar)
            count += 1
        }
        return out
    }

    /// One scalar: as it is, or the sanitizer's escape when a terminal would act on it.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        let single = String(scalar)
        return Sanitizer.isDisplaySafe(single) ? single : Sanitizer.clean(single)
    }
}
