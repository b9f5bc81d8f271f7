// DisplaySafety.swift — the last check before the engine keeps text for people to read: event
// texts, statuses, failure reasons and Unix paths are shown as they are only when nothing in them
// can act on a terminal; otherwise they go through the Sanitizer.

import SocketKit

extension Sanitizer {
    /// True when `text` can reach a terminal as it is: no C0 control, no DEL, and no scalar the
    /// sanitizer escapes (`isHidden`: C1 controls, bidi controls, invisible characters, …).
    public static func isDisplaySafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return value >= 0x20 && value != 0x7F && !isHidden(value)
        }
    }

    /// `text` unchanged when it is display-safe, else its sanitized rendering.
    ///
    /// Messages are built from pieces, most of them cleaned where they enter (a peer's bytes, a
    /// host name) and some not (an errno text, a path inside a system error's context). This is
    /// the guard for the second kind: whatever slipped through is escaped once here. A message that
    /// holds an already escaped piece *and* a raw control gets that piece's backslashes doubled —
    /// still exact and safe, only noisier, and only for text that was hostile to begin with.
    public static func guarded(_ text: String) -> String {
        isDisplaySafe(text) ? text : clean(text)
    }
}

extension SocketAddress {
    /// The address as the engine keeps it for display. Unix paths the kernel reports are already
    /// sanitized on the way in (`SystemCalls.unixPathText`); a path the user typed is cleaned here.
    /// Use only for addresses that are shown, never for ones passed to a system call.
    var displaySafe: SocketAddress {
        guard case .unix(let path) = self else { return self }
        return .unix(path: Sanitizer.clean(path))
    }
}
