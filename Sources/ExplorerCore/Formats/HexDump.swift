// HexDump — `hexdump -C` style rows, for the hex view on screen and for bulk hex output.
//
// A row: the stream offset (lowercase hex, 8 digits, more when the offset needs them), two
// spaces, each byte as `xx ` with one extra space after half a row, then `|ascii|`:
//   00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|
// A short last row is padded so its `|` lines up; as in `hexdump -C` the ASCII column then holds only
// the bytes present. Every byte is shown: no `*` squeezing of repeated rows, because the offsets
// come from the stream (a row is not necessarily 16-aligned) and a log must show what was sent.

/// `hexdump -C` style formatting; pure functions, no state.
public enum HexDump {
    /// Bytes per row in the usual layout; 8 suits narrow panes.
    public static let defaultBytesPerRow = 16

    /// The number of rows `byteCount` bytes need: lets the screen scroll without formatting.
    public static func rowCount(byteCount: Int, bytesPerRow: Int = defaultBytesPerRow) -> Int {
        precondition(bytesPerRow > 0, "bytesPerRow must be positive")
        return (byteCount + bytesPerRow - 1) / bytesPerRow
    }

    /// The width in columns of a full row whose offset has `offsetDigits` digits (78 for 16 bytes).
    public static func rowWidth(bytesPerRow: Int = defaultBytesPerRow, offsetDigits: Int = 8) -> Int {
        offsetDigits + 2 + 3 * bytesPerRow + (bytesPerRow >= 2 ? 1 : 0) + 1 + 1 + bytesPerRow + 1
    }

    /// Formats `bytes` as rows, the first labelled `startOffset`. To show only some rows of a long
    /// chunk, pass the slice `bytes[k * bytesPerRow ..< …]` with `startOffset + k * bytesPerRow`.
    public static func rows(
        _ bytes: some Collection<UInt8>, startOffset: UInt64 = 0, bytesPerRow: Int = defaultBytesPerRow
    ) -> [String] {
        precondition(bytesPerRow > 0, "bytesPerRow must be positive")
        return withContiguousBytes(bytes) { raw in
            raw.withMemoryRebound(to: UInt8.self) { src in
                let width = rowWidth(bytesPerRow: bytesPerRow, offsetDigits: 16)
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width) { line in
                    var result: [String] = []
                    result.reserveCapacity(rowCount(byteCount: src.count, bytesPerRow: bytesPerRow))
                    var start = 0
                    while start < src.count {
                        let count = min(bytesPerRow, src.count - start)
                        let length = RowWriter.withTables { tables in
                            RowWriter.write(
                                src.baseAddress! + start, count: count, offset: startOffset &+ UInt64(start),
                                bytesPerRow: bytesPerRow, tables, to: line.baseAddress!)
                        }
                        result.append(String(decoding: UnsafeBufferPointer(rebasing: line[..<length]), as: UTF8.self))
                        start += count
                    }
                    return result
                }
            }
        }
    }

    /// Appends the rows for `bytes`, each ending in `\n`, to `out`: the fast path for bulk output.
    public static func append(
        _ bytes: UnsafeRawBufferPointer, startOffset: UInt64, bytesPerRow: Int = defaultBytesPerRow,
        into out: inout [UInt8]
    ) {
        precondition(bytesPerRow > 0, "bytesPerRow must be positive")
        guard !bytes.isEmpty else { return }
        let rows = rowCount(byteCount: bytes.count, bytesPerRow: bytesPerRow)
        let lastOffset = startOffset.addingReportingOverflow(UInt64(bytes.count - 1))
        let digits = lastOffset.overflow ? 16 : RowWriter.offsetDigits(lastOffset.partialValue)
        let maxLine = rowWidth(bytesPerRow: bytesPerRow, offsetDigits: digits) + 1
        out.appendInPlace(maxCount: rows * maxLine) { dst in
            bytes.withMemoryRebound(to: UInt8.self) { src in
                RowWriter.writeRows(src, startOffset: startOffset, bytesPerRow: bytesPerRow, to: dst)
            }
        }
    }
}

/// Writes rows with lookup tables and unaligned stores; the only place the layout lives.
private enum RowWriter {
    /// For each byte: its two hex digits and two spaces, stored as 4 bytes at once. The 4th byte is
    /// overwritten by the next entry, or is the space the layout needs after the last one.
    static let hexCells: [UInt32] = (0...255).map { b in
        let hi = UInt32(EscapeSpelling.hexDigit(UInt8(b >> 4), uppercase: false))
        let lo = UInt32(EscapeSpelling.hexDigit(UInt8(b & 0xF), uppercase: false))
        return (hi | lo << 8 | 0x20 << 16 | 0x20 << 24).littleEndian
    }

    /// For each byte: itself if printable ASCII, else `.`.
    static let asciiColumn: [UInt8] = (0...255).map { b in (0x20...0x7E).contains(b) ? UInt8(b) : UInt8(ascii: ".") }

    /// The table pointers, looked up once per call rather than once per row.
    struct Tables {
        let cells: UnsafePointer<UInt32>
        let ascii: UnsafePointer<UInt8>
    }

    static func withTables<R>(_ body: (Tables) -> R) -> R {
        hexCells.withUnsafeBufferPointer { cells in
            asciiColumn.withUnsafeBufferPointer { ascii in
                body(Tables(cells: cells.baseAddress!, ascii: ascii.baseAddress!))
            }
        }
    }

    /// Hex digits in an offset label: 8, or more when the offset needs them.
    static func offsetDigits(_ offset: UInt64) -> Int {
        max(8, (64 - offset.leadingZeroBitCount + 3) / 4)
    }

    /// Writes every row of `src`, each followed by `\n`, and returns the number of bytes written.
    static func writeRows(
        _ src: UnsafeBufferPointer<UInt8>, startOffset: UInt64, bytesPerRow: Int,
        to dst: UnsafeMutablePointer<UInt8>
    ) -> Int {
        withTables { tables in
            let base = src.baseAddress!
            var used = 0
            var start = 0
            while start < src.count {
                let count = min(bytesPerRow, src.count - start)
                let offset = startOffset &+ UInt64(start)
                if count == 16 && bytesPerRow == 16 && offset >> 32 == 0 {
                    used += writeFullRow16(base + start, offset: UInt32(offset), tables, to: dst + used)
                } else {
                    used += write(base + start, count: count, offset: offset, bytesPerRow: bytesPerRow, tables, to: dst + used)
                    dst[used] = UInt8(ascii: "\n")
                    used += 1
                }
                start += count
            }
            return used
        }
    }

    /// Writes the row for `count` (1...bytesPerRow) bytes at `src`, without a newline, and returns
    /// its length. `dst` must have room for `HexDump.rowWidth(bytesPerRow:offsetDigits: 16)` + 1.
    /// This is the reference layout; `writeFullRow16` is its unrolled special case.
    static func write(
        _ src: UnsafePointer<UInt8>, count: Int, offset: UInt64, bytesPerRow: Int, _ tables: Tables,
        to dst: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let digits = offsetDigits(offset)
        for k in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: offset >> UInt64(4 * (digits - 1 - k))) & 0xF
            dst[k] = EscapeSpelling.hexDigit(nibble, uppercase: false)
        }
        var p = dst + digits
        p[0] = 0x20
        p[1] = 0x20
        p += 2
        let half = bytesPerRow / 2
        let raw = UnsafeMutableRawPointer(p)
        var column = 0
        for k in 0..<count {
            if k == half && half > 0 { column += 1 }  // the mid gap: already a space
            raw.storeBytes(of: tables.cells[Int(src[k])], toByteOffset: column, as: UInt32.self)
            column += 3
        }
        let hexWidth = 3 * bytesPerRow + (half > 0 ? 1 : 0)
        if count < bytesPerRow {  // pad a short row so `|` lines up
            (p + column).initialize(repeating: 0x20, count: hexWidth - column)
        }
        p += hexWidth
        p[0] = 0x20
        p[1] = UInt8(ascii: "|")
        p += 2
        for k in 0..<count { p[k] = tables.ascii[Int(src[k])] }
        p[count] = UInt8(ascii: "|")
        return p + count + 1 - dst
    }

    /// A full 16-byte row at an offset below 4 GiB, with its newline: always 79 bytes.
    @inline(__always)
    static func writeFullRow16(
        _ src: UnsafePointer<UInt8>, offset: UInt32, _ tables: Tables, to dst: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let out = UnsafeMutableRawPointer(dst)
        let cells = tables.cells
        // Offset: four overlapping cells; the last one also writes the two spaces after it.
        out.storeBytes(of: cells[Int(offset >> 24)], toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: cells[Int(offset >> 16 & 0xFF)], toByteOffset: 2, as: UInt32.self)
        out.storeBytes(of: cells[Int(offset >> 8 & 0xFF)], toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: cells[Int(offset & 0xFF)], toByteOffset: 6, as: UInt32.self)
        let words = (UnsafeRawPointer(src).loadUnaligned(as: UInt64.self).littleEndian,
                     UnsafeRawPointer(src).loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
        var ascii: (UInt64, UInt64) = (0, 0)
        for k in 0..<8 {
            let a = Int(truncatingIfNeeded: words.0 >> UInt64(8 * k)) & 0xFF
            let b = Int(truncatingIfNeeded: words.1 >> UInt64(8 * k)) & 0xFF
            out.storeBytes(of: cells[a], toByteOffset: 10 + 3 * k, as: UInt32.self)
            out.storeBytes(of: cells[b], toByteOffset: 35 + 3 * k, as: UInt32.self)
            ascii.0 |= UInt64(tables.ascii[a]) << UInt64(8 * k)
            ascii.1 |= UInt64(tables.ascii[b]) << UInt64(8 * k)
        }
        dst[60] = UInt8(ascii: "|")
        out.storeBytes(of: ascii.0.littleEndian, toByteOffset: 61, as: UInt64.self)
        out.storeBytes(of: ascii.1.littleEndian, toByteOffset: 69, as: UInt64.self)
        dst[77] = UInt8(ascii: "|")
        dst[78] = UInt8(ascii: "\n")
        return 79
    }
}
