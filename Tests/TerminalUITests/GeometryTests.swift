// Tests for Rect: insets, splits, intersection, containment.
import Testing
@testable import TerminalUI

@Suite struct GeometryTests {
    let r = Rect(x: 2, y: 1, width: 10, height: 6)

    @Test func negativeSizesClampToZero() {
        #expect(Rect(x: 0, y: 0, width: -3, height: 2) == Rect(x: 0, y: 0, width: 0, height: 2))
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).isEmpty)
    }

    @Test func insetShrinksEverySide() {
        #expect(r.inset(by: 1) == Rect(x: 3, y: 2, width: 8, height: 4))
        #expect(r.inset(top: 1, left: 2) == Rect(x: 4, y: 2, width: 8, height: 5))
        #expect(r.inset(by: 4) == Rect(x: 6, y: 5, width: 2, height: 0))
    }

    @Test func splitColumnsAndRows() {
        let (left, right) = r.splitColumns(at: 4)
        #expect(left == Rect(x: 2, y: 1, width: 4, height: 6))
        #expect(right == Rect(x: 6, y: 1, width: 6, height: 6))
        let (top, bottom) = r.splitRows(at: 2)
        #expect(top == Rect(x: 2, y: 1, width: 10, height: 2))
        #expect(bottom == Rect(x: 2, y: 3, width: 10, height: 4))
    }

    @Test func splitsClampOutOfRangeAmounts() {
        #expect(r.splitColumns(at: 50).right == Rect(x: 12, y: 1, width: 0, height: 6))
        #expect(r.splitRows(at: -1).top == Rect(x: 2, y: 1, width: 10, height: 0))
    }

    @Test func splitByFractionRounds() {
        #expect(r.splitColumns(fraction: 0.4).left.width == 4)
        #expect(r.splitColumns(fraction: 0.45).left.width == 5)
        #expect(r.splitRows(fraction: 0.5).top.height == 3)
        #expect(r.splitRows(fraction: 2).bottom.height == 0)
    }

    @Test func intersectionAndContains() {
        #expect(r.intersection(Rect(x: 10, y: 0, width: 5, height: 3)) == Rect(x: 10, y: 1, width: 2, height: 2))
        #expect(r.intersection(Rect(x: 40, y: 40, width: 5, height: 3)).isEmpty)
        #expect(r.contains(x: 2, y: 1))
        #expect(r.contains(x: 11, y: 6))
        #expect(!r.contains(x: 12, y: 6))
        #expect(!r.contains(x: 5, y: 0))
    }
}
