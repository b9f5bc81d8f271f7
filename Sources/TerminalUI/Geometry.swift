// Rectangles on the character grid: the only geometry the panes need for layout.

/// A rectangle of terminal cells. `x`/`y` are the top-left column/row; width and height are never
/// negative (the initialiser clamps them), so an impossible layout degrades to an empty rectangle
/// instead of trapping.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Creates a rectangle; a negative width or height becomes 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    /// True when the rectangle holds no cell.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// The number of cells.
    public var area: Int { width * height }

    public var description: String { "Rect(x: \(x), y: \(y), w: \(width), h: \(height))" }

    /// True when the cell at (`px`, `py`) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The cells both rectangles cover; `.zero`-sized (at the clamped corner) when they do not meet.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrinks every side by `amount` (a box's inner area is `inset(by: 1)`).
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// Shrinks each side separately; never produces a negative size.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    /// Splits into a left part `columns` wide (clamped to `0...width`) and the rest on the right.
    public func splitColumns(at columns: Int) -> (left: Rect, right: Rect) {
        let w = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: w, height: height),
                Rect(x: x + w, y: y, width: width - w, height: height))
    }

    /// Splits into top `rows` high (clamped to `0...height`) and the rest below.
    public func splitRows(at rows: Int) -> (top: Rect, bottom: Rect) {
        let h = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: h),
                Rect(x: x, y: y + h, width: width, height: height - h))
    }

    /// Splits by a fraction of the width (0…1, rounded to the nearest column) for the left part.
    public func splitColumns(fraction: Double) -> (left: Rect, right: Rect) {
        splitColumns(at: Self.portion(of: width, fraction: fraction))
    }

    /// Splits by a fraction of the height (0…1, rounded to the nearest row) for the top part.
    public func splitRows(fraction: Double) -> (top: Rect, bottom: Rect) {
        splitRows(at: Self.portion(of: height, fraction: fraction))
    }

    private static func portion(of length: Int, fraction: Double) -> Int {
        let f = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        return Int((Double(length) * f).rounded())
    }
}
