// PasteText.swift — what a bracketed paste puts into the prompt: the text as typed, except that
// its line breaks become the payload escape of the `eol` setting and other invisible characters
// become escapes too, so a pasted request is one command line the user can read and edit.

import ExplorerCore

public enum PasteText {
    /// `text` for the prompt. CR LF, LF and CR each become `\n` (eol lf) or `\r\n` (eol crlf); a
    /// tab becomes `\t`; other control and invisible characters become `\xNN` (ASCII) or
    /// `\u{XXXX}`. Everything else, backslashes included, is kept as typed, so a pasted command
    /// line with escapes of its own still means what it says.
    public static func escaped(_ text: String, eol: Settings.LineEnding) -> String {
        let lineBreak = eol == .crlf ? "\\r\\n" : "\\n"
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\r":
                if scalars.first == "\n" { scalars.removeFirst() }
                out += lineBreak
            case "\n":
                out += lineBreak
            case "\t":
                out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || Sanitizer.isHidden(scalar.value) {
                    out += Sanitizer.escape(Array(String(scalar).utf8))  // the sanitizer's spelling: \x1b, \u{200D}
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
