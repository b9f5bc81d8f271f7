// What the keyboard and mouse can say, independent of how the terminal encoded it.

/// A mouse button or wheel direction.
public enum MouseButton: Hashable, Sendable {
    case left, middle, right, wheelUp, wheelDown
}

/// One decoded input event.
public enum Key: Hashable, Sendable {
    /// A printable character (never a control character).
    case char(Character)
    case enter, tab, backTab, backspace, delete
    case left, right, up, down
    case home, end, pageUp, pageDown, insert
    case escape
    /// Ctrl plus a letter, as a lowercase letter: `.ctrl("a")`. Ctrl-H, Ctrl-I, Ctrl-J, Ctrl-M and
    /// Ctrl-[ are indistinguishable from Backspace, Tab, Enter and Escape on a terminal and arrive
    /// as those cases instead.
    case ctrl(Character)
    /// Ctrl-← / Alt-b: one word left.
    case wordLeft
    /// Ctrl-→ / Alt-f: one word right.
    case wordRight
    /// Shift plus an arrow (they move the split between the socket panes and the log).
    case shiftLeft, shiftRight, shiftUp, shiftDown
    /// Ctrl-End: follow the log from anywhere.
    case ctrlEnd
    /// F1…F12 as `.function(1)`…
    case function(Int)
    /// A click or wheel step at a zero-based cell.
    case mouse(x: Int, y: Int, button: MouseButton)
    /// A bracketed paste: the pasted text as it came, line breaks included. It is inserted into
    /// the prompt, never run line by line.
    case paste(String)
    /// The terminal changed size; ask the backend for the new size.
    case resize
}
