// Copying Canvas cells into ncurses: wide characters, colour pairs and attributes.
import CNCurses
import Glibc
import TerminalUI

/// Paints cells on an ncurses window. Owns the colour-pair cache: pairs are allocated on demand
/// for each (foreground, background) seen and reused afterwards.
struct CellPainter {
    private let colorEnabled: Bool
    private let paletteSize: Int
    private let maxPairs: Int
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    /// setcchar's input: base character, up to 4 combining marks, terminating 0.
    private var wide = [wchar_t](repeating: 0, count: 6)
    /// The last style looked up and its ncurses look: neighbouring cells mostly share a style.
    private var lastLook: (style: Style, attributes: attr_t, pair: Int16)?

    private struct PairKey: Hashable {
        var fg: Int32
        var bg: Int32
    }

    /// `colorEnabled` false draws attributes only (NO_COLOR, monochrome terminals).
    init(colorEnabled: Bool) {
        self.colorEnabled = colorEnabled
        paletteSize = colorEnabled ? Int(sp_colors()) : 0
        maxPairs = colorEnabled ? min(Int(sp_color_pairs()), Int(Int16.max)) : 0
    }

    /// Draws `cell` at (`x`, `y`); `room` is the number of screen columns left on the row.
    mutating func paint(_ cell: Cell, x: Int32, y: Int32, room: Int, on window: UnsafeMutablePointer<WINDOW>) {
        // Printable ASCII, most cells: one column for wcwidth and CharWidth alike.
        if let ascii = cell.character.asciiValue, ascii >= 0x20, ascii < 0x7F {
            let (attributes, pair) = look(of: cell.style)
            putSingle(Int32(ascii), attributes: attributes, pair: pair, x: x, y: y, on: window)
            return
        }
        var width = CharWidth.of(cell.character)
        var character = cell.character
        if width < 0 || width > room { character = " "; width = 1 }  // never true for a valid Canvas
        let (attributes, pair) = look(of: cell.style)
        let scalars = character.unicodeScalars
        let base = Int32(bitPattern: scalars.first!.value)
        // ncurses measures with wcwidth; where it disagrees with CharWidth, draw a stand-in of the
        // canvas's width instead so the columns after it stay where the canvas put them.
        let libcWidth = Int(wcwidth(base))
        if libcWidth == width {
            var count = 0
            for scalar in scalars where count < 5 && (count == 0 || wcwidth(Int32(bitPattern: scalar.value)) == 0) {
                wide[count] = Int32(bitPattern: scalar.value)
                count += 1
            }
            wide[count] = 0
            put(count: count, attributes: attributes, pair: pair, x: x, y: y, on: window)
        } else if libcWidth == 1 && width == 2 {
            putSingle(base, attributes: attributes, pair: pair, x: x, y: y, on: window)
            putSingle(0x20, attributes: attributes, pair: pair, x: x + 1, y: y, on: window)
        } else {
            for column in 0..<Int32(width) {
                putSingle(column == 0 ? 0x3F : 0x20, attributes: attributes, pair: pair, x: x + column, y: y, on: window)
            }
        }
    }

    private mutating func putSingle(_ value: Int32, attributes: attr_t, pair: Int16, x: Int32, y: Int32,
                                    on window: UnsafeMutablePointer<WINDOW>) {
        wide[0] = value
        wide[1] = 0
        put(count: 1, attributes: attributes, pair: pair, x: x, y: y, on: window)
    }

    private mutating func put(count: Int, attributes: attr_t, pair: Int16, x: Int32, y: Int32, on window: UnsafeMutablePointer<WINDOW>) {
        var cc = cchar_t()
        let ok = wide.withUnsafeBufferPointer { setcchar(&cc, $0.baseAddress, attributes, pair, nil) }
        if ok == ERR && count > 1 {
            wide[1] = 0  // a cluster ncurses refuses: keep the base character
            _ = wide.withUnsafeBufferPointer { setcchar(&cc, $0.baseAddress, attributes, pair, nil) }
        }
        // Fails (but draws) in the bottom-right cell, where the cursor cannot advance: ignored.
        _ = mvwadd_wch(window, y, x, &cc)
    }

    /// ncurses attributes and colour pair for a style.
    private mutating func look(of style: Style) -> (attr_t, Int16) {
        if let lastLook, lastLook.style == style { return (lastLook.attributes, lastLook.pair) }
        let found = computeLook(of: style)
        lastLook = (style, found.0, found.1)
        return found
    }

    private mutating func computeLook(of style: Style) -> (attr_t, Int16) {
        var attributes = sp_a_normal()
        if style.bold { attributes |= sp_a_bold() }
        if style.dim { attributes |= sp_a_dim() }
        if style.reverse { attributes |= sp_a_reverse() }
        if style.underline { attributes |= sp_a_underline() }
        guard colorEnabled, style.fg != .default || style.bg != .default else { return (attributes, 0) }
        var fg = Int32(style.fg.ansiIndex), bg = Int32(style.bg.ansiIndex)
        // 8-colour terminals: bright colours become their base colour (bold for the foreground).
        if fg >= paletteSize { fg -= 8; attributes |= sp_a_bold() }
        if bg >= paletteSize { bg -= 8 }
        return (attributes, pair(fg: fg, bg: bg))
    }

    private mutating func pair(fg: Int32, bg: Int32) -> Int16 {
        let key = PairKey(fg: fg, bg: bg)
        if let known = pairs[key] { return known }
        guard Int(nextPair) < maxPairs, init_pair(nextPair, Int16(fg), Int16(bg)) != ERR else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }
}
