// PasteAssembler.swift — a bracketed paste (`ESC [200~ … ESC [201~`) gathered into one
// `Key.paste`, so a pasted line break never submits the prompt.

import TerminalUI

/// Collects the characters between the paste markers. A paste larger than one read arrives over
/// several; what came so far is handed out at the end of each batch of keys (the editor inserts
/// the pieces one after the other), except a final CR, which may be half of a CR LF.
struct PasteAssembler {
    /// Characters kept of one paste (the prompt holds 4,096; the rest is counted, not kept).
    static let limit = 1 << 16
    /// A paste whose end marker has not come this long after its last character is over: a lost
    /// marker must not swallow the keyboard.
    static let silence: Int64 = 1_000_000

    private(set) var active = false
    private var text = ""
    private var kept = 0
    private var lastInput: Int64 = 0

    mutating func begin(now: Int64) {
        active = true
        text = ""
        kept = 0
        lastInput = now
    }

    mutating func add(_ character: Character, now: Int64) {
        lastInput = now
        guard kept < Self.limit else { return }
        text.append(character)
        kept += 1
    }

    /// The end marker: the rest of the paste.
    mutating func end() -> Key? {
        active = false
        defer { text = "" }
        return text.isEmpty ? nil : .paste(text)
    }

    /// Start of a batch of input: a paste silent for `silence` (its end marker lost) is over, so
    /// what is typed now is keys again.
    mutating func batchStarts(now: Int64) -> Key? {
        active && now - lastInput >= Self.silence ? end() : nil
    }

    /// End of a batch of input: what arrived so far (a final CR is kept for the next batch).
    mutating func batchEnded() -> Key? {
        guard active else { return nil }
        var ready = text
        var carry = ""
        if ready.last == "\r" { carry = "\r"; ready.removeLast() }
        text = carry
        return ready.isEmpty ? nil : .paste(ready)
    }
}
