// The one place that owns the terminal: start, input, drawing, size, restore.
import CNCurses
import Glibc
import TerminalUI

/// Why the screen could not start. The caller prints it and suggests `--headless`.
public enum TerminalSessionError: Error, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, CI).
    case notATerminal(stream: String)
    /// `TERM` is unset or empty.
    case noTerminalType
    /// ncurses does not know the terminal type.
    case unknownTerminal(String)
    /// `start` was called while the screen is already up.
    case alreadyStarted

    public var description: String {
        switch self {
        case .notATerminal(let stream): "\(stream) is not a terminal"
        case .noTerminalType: "TERM is not set, so the terminal type is unknown"
        case .unknownTerminal(let type): "cannot use terminal type '\(type)'"
        case .alreadyStarted: "the terminal session is already started"
        }
    }
}

/// The full-screen terminal: the only code that calls ncurses.
///
/// Single-threaded by design: every method must be called from the thread running the event
/// loop (ncurses is not thread-safe), which is why this is a non-Sendable class.
///
/// Input is raw (`raw()`, not `cbreak()`): Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys, so Ctrl-C can
/// clear the prompt and ask before quitting, and no keystroke can stop or kill the program
/// behind the user's back. A SIGINT sent with `kill` still reaches the program's own handler,
/// which the caller installs *before* `start` (otherwise ncurses installs one that exits).
public final class TerminalSession {
    /// The file descriptor to watch for input (put it in the epoll set).
    public let inputFD: Int32 = 0
    /// Whether colours are in use (false under `NO_COLOR` or on a colourless terminal): pick
    /// `Theme.colored` or `Theme.monochrome` from it.
    public private(set) var hasColor = false

    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var painter = CellPainter(colorEnabled: false)
    private var decoder: KeyDecoder?
    private var paste = PasteAssembler()
    private var cursorVisible: Bool?
    /// The canvas drawn last: rows that did not change are not painted again.
    private var drawn: Canvas?

    public init() {}

    /// True when the environment asks for no colour: `NO_COLOR` set to a non-empty value.
    public static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// Takes over the terminal: alternate screen, raw input, keypad, mouse, colours.
    ///
    /// - Parameters:
    ///   - color: use colours if the terminal has them; pass `!TerminalSession.noColorRequested`.
    ///   - captureStandardError: hold whatever is written to stderr while the screen is up and
    ///     print it after `restore` (or a crash), instead of letting it smear the screen.
    /// - Throws: `TerminalSessionError` when standard input/output is not a terminal or the
    ///   terminal type is unusable; nothing has been changed then.
    public func start(color: Bool = !TerminalSession.noColorRequested, captureStandardError: Bool = true) throws(TerminalSessionError) {
        guard screen == nil else { throw .alreadyStarted }
        guard isatty(0) == 1 else { throw .notATerminal(stream: "standard input") }
        guard isatty(1) == 1 else { throw .notATerminal(stream: "standard output") }
        guard let type = getenv("TERM").map({ String(cString: $0) }), !type.isEmpty else { throw .noTerminalType }
        Self.useUTF8Locale()
        var modes = termios()
        _ = tcgetattr(0, &modes)
        guard let screen = sp_newterm(nil) else { throw .unknownTerminal(type) }
        self.screen = screen
        set_term(screen)
        let window = sp_stdscr()!
        self.window = window
        configureInput(window)
        // Bracketed paste: the terminal marks pasted text, so its line breaks are not Enter.
        Self.writeToTerminal(Self.bracketedPasteOn)
        hasColor = color && has_colors() && start_color() != ERR
        if hasColor { use_default_colors() }
        painter = CellPainter(colorEnabled: hasColor)
        decoder = KeyDecoder()
        cursorVisible = nil
        TerminalGuard.arm(savedModes: modes, captureStandardError: captureStandardError)
    }

    /// Gives the terminal back (leaves the alternate screen, restores modes, prints any captured
    /// stderr). Idempotent: safe to call twice, and also runs from `atexit`. Not for signal
    /// handlers: use `restoreFromSignalHandler()` there.
    public func restore() {
        guard let screen else { return }
        Self.writeToTerminal(Self.bracketedPasteOff)
        TerminalGuard.disarm()
        delscreen(screen)
        self.screen = nil
        window = nil
    }

    /// The async-signal-safe restore (raw reset sequence + the termios saved before start), for a
    /// program's own fatal-signal path. Crash signals are already covered by `start`.
    public static func restoreFromSignalHandler() {
        TerminalGuard.restoreFromSignal()
    }

    /// The screen's size in cells; (0, 0) before `start`.
    public func size() -> (width: Int, height: Int) {
        guard let window else { return (0, 0) }
        return (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Every key waiting, in order. Drains ncurses' own buffer until it is empty, so call it
    /// whenever `inputFD` is readable *and* after an interrupted wait (SIGWINCH arrives that way:
    /// `.resize`, with the new size already applied).
    public func readKeys() -> [Key] {
        guard let window, let decoder else { return [] }
        var keys: [Key] = []
        let now = Self.monotonicNow()
        if let stale = paste.batchStarts(now: now) { keys.append(stale) }
        while true {
            var value: wint_t = 0
            let status = wget_wch(window, &value)
            if status == ERR { break }
            if status == KEY_CODE_YES && Int32(value) == KeyDecoder.pasteBeginCode {
                paste.begin(now: now)
                continue
            }
            if status == KEY_CODE_YES && Int32(value) == KeyDecoder.pasteEndCode {
                if let pasted = paste.end() { keys.append(pasted) }
                continue
            }
            if paste.active {
                // Inside a paste every character is text (CR, LF and tab included); a key code
                // ncurses thought it saw in the pasted bytes is dropped.
                if status != KEY_CODE_YES, let scalar = Unicode.Scalar(value) { paste.add(Character(scalar), now: now) }
                continue
            }
            let key: Key?
            if status == KEY_CODE_YES {
                if Int32(value) == KEY_MOUSE {
                    var event = MEVENT()
                    key = getmouse(&event) == OK ? decoder.decode(mouse: event) : nil
                } else {
                    key = decoder.decode(keyCode: Int32(value))
                }
            } else {
                key = decoder.decode(character: value)
            }
            if let key { keys.append(key) }
        }
        if let pasted = paste.batchEnded() { keys.append(pasted) }
        return KeyDecoder.foldAltChords(keys)
    }

    /// DEC private mode 2004 on and off.
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Sends an OSC 52 clipboard sequence (`Clipboard.sequence`) to the terminal.
    public func copyToClipboard(_ sequence: String) {
        guard screen != nil else { return }
        Self.writeToTerminal(sequence)
    }

    /// Writes a mode sequence straight to the terminal (ncurses has no capability for these).
    private static func writeToTerminal(_ sequence: String) {
        _ = fflush(nil)
        var bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
    }

    private static func monotonicNow() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
    }

    /// Copies `canvas` to the screen and updates the terminal once. ncurses compares with what the
    /// terminal shows and sends only the difference; rows equal to the previous frame's are not
    /// even handed to ncurses (painting a cell costs more than comparing it, and at 60 frames a
    /// second during a flood that is most of a frame). A canvas smaller than the screen leaves
    /// the rest blank; a larger one is clipped.
    public func draw(_ canvas: Canvas) {
        guard let window else { return }
        let (screenWidth, screenHeight) = size()
        let previous = drawn.flatMap { $0.width == canvas.width && $0.height == canvas.height ? $0 : nil }
        if previous == nil { werase(window) }
        drawn = canvas
        for y in 0..<min(canvas.height, screenHeight) {
            if let previous, previous.row(y) == canvas.row(y) { continue }
            for x in 0..<min(canvas.width, screenWidth) {
                let cell = canvas[x: x, y: y]
                if cell.isContinuation { continue }
                painter.paint(cell, x: Int32(x), y: Int32(y), room: screenWidth - x, on: window)
            }
        }
        placeCursor(canvas.cursor, window: window, width: screenWidth, height: screenHeight)
        wnoutrefresh(window)
        doupdate()
    }

    /// Makes the next `draw` repaint the whole terminal (Ctrl-L, after something scribbled on it).
    public func forceRedraw() {
        guard let window else { return }
        clearok(window, true)
        drawn = nil
    }

    private func placeCursor(_ cursor: (x: Int, y: Int)?, window: UnsafeMutablePointer<WINDOW>, width: Int, height: Int) {
        let visible = cursor.map { $0.x >= 0 && $0.x < width && $0.y >= 0 && $0.y < height } ?? false
        if visible != cursorVisible {
            _ = curs_set(visible ? 1 : 0)
            cursorVisible = visible
        }
        if visible, let cursor { wmove(window, Int32(cursor.y), Int32(cursor.x)) }
    }

    private func configureInput(_ window: UnsafeMutablePointer<WINDOW>) {
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)  // the default 1 s makes Escape (and everything after it) feel stuck
        // Presses only, reported at once: click detection (mouseinterval) would delay every click.
        mouseinterval(0)
        setMouse(true)
    }

    /// Mouse reporting on (clicks and the wheel come as keys) or off (`set mouse off`: the
    /// terminal's own text selection works again).
    public func setMouse(_ on: Bool) {
        let buttons = sp_button1_pressed() | sp_button2_pressed() | sp_button3_pressed()
            | sp_button4_pressed() | sp_button5_pressed()
        _ = mousemask(on ? buttons : 0, nil)
    }

    /// `setlocale(LC_ALL, "")`, then C.UTF-8 for LC_CTYPE when the user's locale is not UTF-8:
    /// ncurses' wide functions and wcwidth only handle CJK and emoji in a UTF-8 locale.
    static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }
}
