// Turning what wget_wch returns into TerminalUI's Key.
import CNCurses
import TerminalUI

/// Maps ncurses input codes to `Key`. A value, so the codes of modified arrows (which terminfo
/// assigns at run time) are looked up once at start.
struct KeyDecoder {
    /// Codes ncurses gives Ctrl-← / Ctrl-→ / Alt-← / Alt-→ on this terminal (0 when undefined).
    private let wordLeftCodes: Set<Int32>
    private let wordRightCodes: Set<Int32>
    /// Ctrl-End (`kEND5`), when the terminal describes it.
    private let ctrlEndCodes: Set<Int32>
    /// The codes sockpit gives the bracketed-paste markers (`define_key` in `init`).
    static let pasteBeginCode = KEY_MAX + 1
    static let pasteEndCode = KEY_MAX + 2

    /// Looks up the extended key capabilities (`kLFT5` = Ctrl-←, `kLFT3` = Alt-← …) of the
    /// current terminal. Call after `newterm` with keypad enabled.
    init() {
        func code(_ capability: String) -> Int32? {
            guard let sequence = tigetstr(capability), Int(bitPattern: sequence) > 0 else { return nil }
            let code = key_defined(sequence)
            return code > 0 ? code : nil
        }
        wordLeftCodes = Set(["kLFT5", "kLFT3"].compactMap(code))
        wordRightCodes = Set(["kRIT5", "kRIT3"].compactMap(code))
        ctrlEndCodes = Set(["kEND5"].compactMap(code))
        // No terminfo capability names the paste markers: teach ncurses the xterm sequences.
        _ = define_key("\u{1B}[200~", Self.pasteBeginCode)
        _ = define_key("\u{1B}[201~", Self.pasteEndCode)
    }

    /// A character wget_wch returned with `OK`.
    func decode(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))  // 1 → "a"
        case 0..<32, 128..<160: return nil  // Ctrl-@, Ctrl-\ …, C1: nothing to do
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A key code wget_wch returned with `KEY_CODE_YES`.
    func decode(keyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_SLEFT: return .shiftLeft
        case KEY_SRIGHT: return .shiftRight
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_RESIZE: return .resize
        case sp_key_f(1)...sp_key_f(63): return .function(Int(code - sp_key_f(0)))
        case _ where wordLeftCodes.contains(code): return .wordLeft
        case _ where wordRightCodes.contains(code): return .wordRight
        case _ where ctrlEndCodes.contains(code): return .ctrlEnd
        default: return nil
        }
    }

    /// A mouse event, or nil for what sockpit does not use (releases, motion).
    func decode(mouse event: MEVENT) -> Key? {
        let state = event.bstate
        let button: MouseButton
        if state & sp_button1_pressed() != 0 {
            button = .left
        } else if state & sp_button2_pressed() != 0 {
            button = .middle
        } else if state & sp_button3_pressed() != 0 {
            button = .right
        } else if state & sp_button4_pressed() != 0 {
            button = .wheelUp
        } else if state & sp_button5_pressed() != 0 {
            button = .wheelDown
        } else {
            return nil
        }
        return .mouse(x: Int(event.x), y: Int(event.y), button: button)
    }

    /// Folds Escape followed, in the same burst, by a character into an Alt chord: the terminal
    /// sends Alt-b as ESC b, and a human cannot type ESC then b within the 25 ms escape delay.
    /// Alt-b/Alt-f are word moves; other Alt chords are dropped rather than misread as typing.
    static func foldAltChords(_ keys: [Key]) -> [Key] {
        var out: [Key] = []
        var index = 0
        while index < keys.count {
            if keys[index] == .escape, index + 1 < keys.count, case .char(let c) = keys[index + 1] {
                if c == "b" { out.append(.wordLeft) } else if c == "f" { out.append(.wordRight) }
                index += 2
                continue
            }
            out.append(keys[index])
            index += 1
        }
        return out
    }
}
