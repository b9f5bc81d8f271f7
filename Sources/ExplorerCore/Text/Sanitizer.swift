// Sanitizer — the one policy that turns peer-controlled bytes into text that is safe to show.
//
// Policy (everything a peer sends passes through here before it reaches a terminal or a file):
// - printable ASCII 0x20–0x7E passes, except `\`, which doubles to `\\` so the output is
//   unambiguous (a literal `\x1b` typed by the peer reads `\\x1b`);
// - TAB, CR, LF become `\t`, `\r`, `\n`; every other C0 byte and DEL becomes `\xNN`
//   (two lowercase hex digits: `\x00`, `\x1b`, `\x7f`);
// - bytes that are not well-formed UTF-8 (lone continuation bytes, overlong forms, surrogates,
//   values above U+10FFFF, truncated sequences) become `\xNN`, one escape per byte — never U+FFFD,
//   so the exact bytes stay readable;
// - well-formed UTF-8 passes as text (CJK, emoji, accents, combining marks, private use), except the
//   scalars listed in `isHidden(_:)` — C1 controls, bidi controls, invisible and zero-width
//   characters, noncharacters, tag characters, variation selectors — which become `\u{XXXX}`:
//   uppercase hex, at least four digits, as in Swift and in sockpit's payload syntax
//   (`\u{009B}`, `\u{202E}`, `\u{E0041}`).
// The output therefore never contains a byte below 0x20, DEL, or any hidden scalar.
//
// ZWJ and variation selectors are escaped too, although emoji use them: terminals and wcwidth
// disagree on the width of such sequences (a ZWJ family is 2 columns or 6), which breaks pane
// borders; as escapes, every column count is exact.
// Two loops apply the policy: `append` (bulk, table-driven) and `scan` (tokens for `pieces`); the
// property tests check on random input that they always agree.

/// One run of sanitized output, for the screen: text to draw as is, an escape to draw dimmed, or
/// the `\n` escape after which the text view starts a new row.
public enum SanitizedPiece: Sendable, Equatable {
    /// Text that renders as itself (a peer's `\` appears here already doubled as `\\`).
    case text(String)
    /// One or more adjacent escapes as rendered, e.g. `\x1b` or `\r\x00`.
    case escape(String)
    /// A received LF: renders as the two characters `\n`, then the row ends.
    case lineBreak

    /// The characters this piece shows.
    public var rendered: String {
        switch self {
        case .text(let s), .escape(let s): return s
        case .lineBreak: return "\\n"
        }
    }
}

/// The sanitizer. All functions are pure; see the file header for the policy.
public enum Sanitizer {
    /// Renders `bytes` as one line: every LF appears as `\n`.
    public static func escape(_ bytes: some Collection<UInt8>) -> String {
        stringFromUTF8 { out in withContiguousBytes(bytes) { append($0, to: &out) } }
    }

    /// Appends the one-line rendering of `bytes` to `out` as UTF-8: the fast path for bulk output.
    /// Plain ASCII goes eight bytes at a time; any other byte renders from one table with one
    /// store, so the only unpredictable branches left are at UTF-8 lead bytes.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let stride = 8
        let roomPerStride = stride * EscapeSpelling.maxLength
        let scratchSize = min(bytes.count * maxExpansion, 1 << 16) + roomPerStride
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scratchSize) { scratch in
            bytes.withMemoryRebound(to: UInt8.self) { src in
                ByteRenderings.table.withUnsafeBufferPointer { table in
                    let base = src.baseAddress!
                    let dst = scratch.baseAddress!
                    let limit = scratch.count - roomPerStride
                    var o = 0
                    var i = 0
                    while i < src.count {
                        if o > limit {
                            out.append(contentsOf: UnsafeBufferPointer(start: dst, count: o))
                            o = 0
                        }
                        if i + stride <= src.count {
                            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                            if isPlainASCII(word) {
                                UnsafeMutableRawPointer(dst + o).storeBytes(of: word, as: UInt64.self)
                                o += stride
                                i += stride
                                continue
                            }
                        }
                        // Not plain ASCII: the next `stride` bytes one by one (or a little more,
                        // when a sequence crosses the end), before trying a whole word again.
                        let stop = min(i + stride, src.count)
                        while i < stop {
                            let b = base[i]
                            let entry = table[Int(b)]
                            let length = Int(truncatingIfNeeded: entry >> 32)
                            if length != 0 {
                                UnsafeMutableRawPointer(dst + o).storeBytes(
                                    of: UInt32(truncatingIfNeeded: entry).littleEndian, as: UInt32.self)
                                o += length
                                i += 1
                            } else {
                                let (written, consumed) = renderFromLead(base + i, available: src.count - i, to: dst + o)
                                o += written
                                i += consumed
                            }
                        }
                    }
                    out.append(contentsOf: UnsafeBufferPointer(start: dst, count: o))
                }
            }
        }
    }

    /// Renders what starts at a possible lead byte: a visible scalar as is, a hidden one as
    /// `\u{…}`, an ill-formed byte as `\xNN`. Returns bytes written and bytes consumed.
    private static func renderFromLead(
        _ p: UnsafePointer<UInt8>, available: Int, to dst: UnsafeMutablePointer<UInt8>
    ) -> (written: Int, consumed: Int) {
        guard case .scalar(let scalar, let length) = UTF8Step.decode(p, available: available) else {
            return (EscapeSpelling.write(byte: p[0], to: dst), 1)
        }
        if isHidden(scalar) { return (EscapeSpelling.write(scalar: scalar, to: dst), length) }
        dst.update(from: p, count: length)
        return (length, length)
    }

    /// True if all eight bytes of `word` pass unchanged: 0x20–0x7E and not `\` (SWAR tests from
    /// "Bit Twiddling Hacks": `hasless`, `hasmore`, `haszero`; each exact for "any byte").
    @inline(__always)
    private static func isPlainASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (word &- ones &* 0x20) & ~word & highs
        let above7E = ((word &+ ones) | word) & highs
        let backslash = word ^ (ones &* 0x5C)
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        return below20 | above7E | hasBackslash == 0
    }

    /// Splits the rendering of `bytes` into pieces for the screen. Adjacent text merges into one
    /// `.text`, adjacent escapes into one `.escape`; each LF is its own `.lineBreak`.
    public static func pieces(_ bytes: some Collection<UInt8>) -> [SanitizedPiece] {
        var sink = PieceSink()
        withContiguousBytes(bytes) { raw in
            raw.withMemoryRebound(to: UInt8.self) { scan($0, into: &sink) }
        }
        sink.finish()
        return sink.pieces
    }

    /// Sanitizes a peer-controlled string (a host name, an error text) into one safe line.
    public static func clean(_ s: String) -> String {
        escape(s.utf8)
    }

    /// True for the well-formed scalars that pass UTF-8 validation but are escaped anyway, because
    /// they are invisible, reorder text, or act as controls (the screen must show what is there).
    public static func isHidden(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x0080...0x009F,  // C1 controls (0x9B is CSI on some terminals)
             0x00AD,  // soft hyphen
             0x061C,  // Arabic letter mark
             0x180E,  // Mongolian vowel separator
             0x200B...0x200F,  // zero-width space, ZWNJ, ZWJ, LRM, RLM
             0x2028...0x202E,  // line/paragraph separator, bidi embeddings and overrides
             0x2060...0x2069,  // word joiner, invisible operators, bidi isolates
             0xFE00...0xFE0F,  // variation selectors
             0xFEFF,  // zero-width no-break space / BOM
             0xFFF9...0xFFFB,  // interlinear annotation controls
             0xFDD0...0xFDEF,  // noncharacters
             0xE0000...0xE007F,  // tag characters
             0xE0100...0xE01EF:  // variation selectors supplement
            return true
        default:
            return scalar & 0xFFFE == 0xFFFE  // noncharacters U+xFFFE and U+xFFFF in every plane
        }
    }

    /// The largest output, in bytes, for one input byte (`\xNN`, or C1 as `\u{0080}` from 2 bytes).
    static let maxExpansion = 4
}

// MARK: - The scanner

/// Receives a sanitized rendering token by token; the scanner decides, sinks only format.
protocol SanitizedTokenSink {
    /// Bytes that render as themselves (printable ASCII but `\`, and visible UTF-8).
    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int)
    /// A single byte rendered as an escape: `\\`, `\t`, `\r`, or `\xNN`. Never LF.
    mutating func escapedByte(_ byte: UInt8)
    /// A hidden scalar, rendered `\u{XXXX}`.
    mutating func escapedScalar(_ scalar: UInt32)
    /// An LF byte.
    mutating func lineBreak()
}

extension Sanitizer {
    /// Walks `input` once and reports maximal runs of plain text and each escape to `sink`.
    @inline(__always)
    static func scan<Sink: SanitizedTokenSink>(_ input: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard let base = input.baseAddress else { return }
        let n = input.count
        var i = 0
        var runStart = 0
        while i < n {
            let b = base[i]
            if b &- 0x20 < 0x5F && b != 0x5C {  // printable ASCII other than backslash
                i += 1
                continue
            }
            if b >= 0x80, case .scalar(let scalar, let length) = UTF8Step.decode(base + i, available: n - i) {
                if isHidden(scalar) {
                    if runStart < i { sink.text(base + runStart, count: i - runStart) }
                    sink.escapedScalar(scalar)
                    runStart = i + length
                }
                i += length
                continue
            }
            if runStart < i { sink.text(base + runStart, count: i - runStart) }
            if b == 0x0A {
                sink.lineBreak()
            } else {
                sink.escapedByte(b)  // C0, DEL, backslash, or a byte of ill-formed UTF-8
            }
            i += 1
            runStart = i
        }
        if runStart < n { sink.text(base + runStart, count: n - runStart) }
    }
}

// MARK: - Rendering escapes

/// Writes escapes as ASCII bytes; the only place their spelling lives.
enum EscapeSpelling {
    /// The longest escape: `\u{10FFFF}`.
    static let maxLength = 10

    /// Writes the escape for one byte (`\\`, `\t`, `\n`, `\r`, `\xNN`) and returns its length.
    @inline(__always)
    static func write(byte b: UInt8, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p[0] = UInt8(ascii: "\\")
        switch b {
        case 0x5C: p[1] = UInt8(ascii: "\\"); return 2
        case 0x09: p[1] = UInt8(ascii: "t"); return 2
        case 0x0A: p[1] = UInt8(ascii: "n"); return 2
        case 0x0D: p[1] = UInt8(ascii: "r"); return 2
        default:
            p[1] = UInt8(ascii: "x")
            p[2] = hexDigit(b >> 4, uppercase: false)
            p[3] = hexDigit(b & 0x0F, uppercase: false)
            return 4
        }
    }

    /// Writes `\u{XXXX}` (uppercase, at least four digits) and returns its length.
    static func write(scalar: UInt32, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 4
        while digits < 8 && scalar >> UInt32(4 * digits) != 0 { digits += 1 }
        p[0] = UInt8(ascii: "\\")
        p[1] = UInt8(ascii: "u")
        p[2] = UInt8(ascii: "{")
        for k in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: scalar >> UInt32(4 * (digits - 1 - k))) & 0x0F
            p[3 + k] = hexDigit(nibble, uppercase: true)
        }
        p[3 + digits] = UInt8(ascii: "}")
        return digits + 4
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8, uppercase: Bool) -> UInt8 {
        v < 10 ? 0x30 &+ v : (uppercase ? 0x37 : 0x57) &+ v
    }
}

// MARK: - Sinks

/// The rendering of each byte on its own, for `Sanitizer.append`: up to 4 output bytes (little
/// endian) in the low half, their count in the high half; count 0 marks the bytes that can start a
/// multi-byte sequence (C2–F4), which need decoding. Spelled by `EscapeSpelling` like every escape.
private enum ByteRenderings {
    static let table: [UInt64] = (0...255).map { (value: Int) -> UInt64 in
        let b = UInt8(value)
        if b &- 0x20 < 0x5F && b != 0x5C { return UInt64(b) | 1 << 32 }
        if (0xC2...0xF4).contains(b) { return 0 }
        var spelled: UInt64 = 0
        let length = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: EscapeSpelling.maxLength) { tmp in
            let n = EscapeSpelling.write(byte: b, to: tmp.baseAddress!)
            for k in 0..<n { spelled |= UInt64(tmp[k]) << UInt64(8 * k) }
            return n
        }
        return spelled | UInt64(length) << 32
    }
}

/// Collects `SanitizedPiece`s, merging neighbours of the same kind.
private struct PieceSink: SanitizedTokenSink {
    var pieces: [SanitizedPiece] = []
    var pendingText: [UInt8] = []
    var pendingEscape: [UInt8] = []

    mutating func finish() {
        flushText()
        flushEscape()
    }

    mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        pieces.append(.text(String(decoding: pendingText, as: UTF8.self)))
        pendingText.removeAll(keepingCapacity: true)
    }

    mutating func flushEscape() {
        guard !pendingEscape.isEmpty else { return }
        pieces.append(.escape(String(decoding: pendingEscape, as: UTF8.self)))
        pendingEscape.removeAll(keepingCapacity: true)
    }

    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int) {
        flushEscape()
        pendingText.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    mutating func escapedByte(_ byte: UInt8) {
        if byte == 0x5C {  // a peer's backslash is text, merely doubled
            flushEscape()
            Self.appendSpelled(to: &pendingText) { EscapeSpelling.write(byte: byte, to: $0) }
        } else {
            flushText()
            Self.appendSpelled(to: &pendingEscape) { EscapeSpelling.write(byte: byte, to: $0) }
        }
    }

    mutating func escapedScalar(_ scalar: UInt32) {
        flushText()
        Self.appendSpelled(to: &pendingEscape) { EscapeSpelling.write(scalar: scalar, to: $0) }
    }

    mutating func lineBreak() {
        finish()
        pieces.append(.lineBreak)
    }

    private static func appendSpelled(to buffer: inout [UInt8], _ spell: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: EscapeSpelling.maxLength) { tmp in
            let n = spell(tmp.baseAddress!)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[..<n]))
        }
    }
}
