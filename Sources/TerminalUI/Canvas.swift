// The in-memory screen every pane draws into and the backend copies to the terminal.

/// One terminal cell.
///
/// A wide character (CJK, emoji) occupies two cells: the left holds the character, the right is a
/// *continuation* cell that holds nothing drawable and is skipped by `Canvas.lines` and the backend.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// True for the right half of a wide character.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A space in the default style.
    public static let blank = Cell()
}

/// A grid of cells plus where the terminal cursor should be. A value type, so tests build one,
/// render into it and compare whole screens.
///
/// Invariants kept by every mutation: a continuation cell always follows a wide character, and no
/// control character is ever stored (they are replaced by `?`, see `put`).
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]
    /// Where the backend shows the terminal cursor (the prompt); `nil` hides it.
    public var cursor: (x: Int, y: Int)?

    /// A blank canvas; negative sizes become 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// A canvas holding these lines in the plain style, as wide as the widest line (for tests).
    public init(lines: [String]) {
        self.init(width: lines.map { CharWidth.of($0) }.max() ?? 0, height: lines.count)
        for (row, line) in lines.enumerated() { put(line, x: 0, y: row) }
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
            && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }

    /// The text of each row, continuation cells skipped, so a CJK row reads naturally and is as
    /// many characters shorter than `width` as it has wide characters.
    public var lines: [String] {
        (0..<height).map { row in
            var s = ""
            for col in 0..<width where !cells[row * width + col].isContinuation {
                s.append(cells[row * width + col].character)
            }
            return s
        }
    }

    /// The cells of row `y` (must be inside the canvas), for comparing frames row by row.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        precondition(y >= 0 && y < height, "row \(y) outside \(width)×\(height)")
        return cells[y * width ..< (y + 1) * width]
    }

    /// The rectangle covering the whole canvas.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y` (must be inside the canvas).
    public subscript(x x: Int, y y: Int) -> Cell {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) outside \(width)×\(height)")
        return cells[y * width + x]
    }

    /// Writes `text` at (`x`, `y`) and returns how many columns it advanced from `x`, so a caller can
    /// continue at `x + result`.
    ///
    /// Clips at the canvas edges and after `maxWidth` columns, by column width: a wide character
    /// that does not fit entirely is replaced by a space. Writing over half of a wide character
    /// blanks its other half. Control characters become `?` (in the given style) so a stray byte
    /// is visible but can never move the terminal's cursor; zero-width characters that stand
    /// alone (not attached to a base) are dropped. Text is expected to be sanitized already.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain,
                             maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var col = x
        for original in text {
            var ch = original
            var w = CharWidth.of(ch)
            if w < 0 { ch = "?"; w = 1 }
            if w == 0 { continue }
            if col + w > limit {
                if col < limit { place(" ", width: 1, x: col, y: y, style: style); col += 1 }
                break
            }
            if col >= 0 {
                place(ch, width: w, x: col, y: y, style: style)
            } else if col + w > 0 {
                place(" ", width: 1, x: 0, y: y, style: style)  // wide char cut by the left edge
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Fills `rect` (clipped to the canvas) with `character` in `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain, with character: Character = " ") {
        let area = rect.intersection(bounds)
        let w = CharWidth.of(character)
        guard !area.isEmpty, w >= 1 else { return }
        for row in area.y..<area.maxY {
            var col = area.x
            while col + w <= area.maxX {
                place(character, width: w, x: col, y: row, style: style)
                col += w
            }
            if col < area.maxX { place(" ", width: 1, x: col, y: row, style: style) }
        }
    }

    /// Draws a line-drawing box around `rect` with an optional title in the top border:
    /// `┌ Title ─────┐`, `│`, `└─────┘`. The title is cut with `…` when it does not fit and never
    /// overwrites a corner. Rectangles smaller than 2×2 draw nothing.
    public mutating func box(_ rect: Rect, title: String? = nil, style: Style = .plain, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        rule(y: rect.y, x: rect.x, width: rect.width, ends: ("┌", "┐"), title: title, style: style,
             titleStyle: titleStyle)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", x: rect.x, y: row, style: style)
            put("│", x: rect.maxX - 1, y: row, style: style)
        }
        rule(y: rect.maxY - 1, x: rect.x, width: rect.width, ends: ("└", "┘"), title: nil, style: style,
             titleStyle: nil)
    }

    /// Draws a separator across `rect`'s full width at row `y`, joining the box's sides:
    /// `├ Title ─────┤`.
    public mutating func separator(y: Int, in rect: Rect, title: String? = nil, style: Style = .plain,
                                   titleStyle: Style? = nil) {
        guard rect.width >= 2 else { return }
        rule(y: y, x: rect.x, width: rect.width, ends: ("├", "┤"), title: title, style: style,
             titleStyle: titleStyle)
    }

    /// `text` cut to at most `width` columns, ending in `…` when something was cut.
    public static func truncate(_ text: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        if CharWidth.of(text) <= width { return text }
        var out = "", used = 0
        for ch in text {
            let w = max(0, CharWidth.of(ch))
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// A horizontal border line: corner, optional ` Title `, dashes, corner.
    private mutating func rule(y: Int, x: Int, width: Int, ends: (Character, Character), title: String?,
                               style: Style, titleStyle: Style?) {
        put(String(ends.0), x: x, y: y, style: style)
        fill(Rect(x: x + 1, y: y, width: width - 2, height: 1), style: style, with: "─")
        put(String(ends.1), x: x + width - 1, y: y, style: style)
        // Room between the corners for " title ": the spaces need 2 columns, the title at least 1.
        let room = width - 4
        guard let title, !title.isEmpty, room >= 1 else { return }
        put(" ", x: x + 1, y: y, style: style)
        let used = put(Canvas.truncate(title, toWidth: room), x: x + 2, y: y, style: titleStyle ?? style)
        put(" ", x: x + 2 + used, y: y, style: style)
    }

    /// Stores one character of width `w` (1 or 2) at (x, y), first breaking any wide character it
    /// overlaps so no orphaned half remains.
    private mutating func place(_ ch: Character, width w: Int, x: Int, y: Int, style: Style) {
        guard x >= 0, x + w <= width, y >= 0, y < height else { return }
        for col in x..<(x + w) { breakWide(x: col, y: y) }
        cells[y * width + x] = Cell(ch, style: style)
        if w == 2 { cells[y * width + x + 1] = Cell(" ", style: style, isContinuation: true) }
    }

    /// If (x, y) is half of a wide character, turns the other half into a space of the same style.
    private mutating func breakWide(x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation {
            if x > 0 { cells[i - 1] = Cell(" ", style: cells[i - 1].style) }
            cells[i] = Cell(" ", style: cells[i].style)
        } else if x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
    }
}
