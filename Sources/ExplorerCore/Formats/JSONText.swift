// JSONText — the byte-level pieces of JSON lines output: string quoting (RFC 8259) and Base64 (RFC 4648).

/// JSON string quoting.
public enum JSONText {
    /// Appends `bytes` as a quoted JSON string: `"` and `\` are escaped, control characters become
    /// `\n` `\r` `\t` `\b` `\f` or `\u00XX` (lowercase hex), well-formed UTF-8 passes through.
    /// Ill-formed UTF-8 becomes U+FFFD, one per bad byte, because JSON text must be valid UTF-8;
    /// sockpit quotes sanitized text here, and carries exact bytes as Base64 beside it.
    public static func appendQuoted(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        bytes.withMemoryRebound(to: UInt8.self) { src in
            guard let base = src.baseAddress else { return }
            var i = 0
            var runStart = 0
            while i < src.count {
                let b = base[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 {
                    i += 1
                    continue
                }
                if b >= 0x80, case .scalar(_, let length) = UTF8Step.decode(base + i, available: src.count - i) {
                    i += length
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
                appendEscape(for: b, to: &out)
                i += 1
                runStart = i
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: src.count - runStart))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as a quoted JSON string.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        withContiguousBytes(text.utf8) { appendQuoted($0, to: &out) }
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        stringFromUTF8 { appendQuoted(text, to: &$0) }
    }

    /// The escape for a byte that cannot appear raw: `"`, `\`, a control character, or a byte of
    /// ill-formed UTF-8 (which gets U+FFFD, raw).
    private static func appendEscape(for b: UInt8, to out: inout [UInt8]) {
        // Byte by byte: `out += [a, b]` would allocate an array per escape (binary data is full of them).
        let backslash = UInt8(ascii: "\\")
        switch b {
        case 0x22: out.append(backslash); out.append(UInt8(ascii: "\""))
        case 0x5C: out.append(backslash); out.append(backslash)
        case 0x0A: out.append(backslash); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(backslash); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(backslash); out.append(UInt8(ascii: "t"))
        case 0x08: out.append(backslash); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(backslash); out.append(UInt8(ascii: "f"))
        case 0x00..<0x20:
            out.append(backslash)
            out.append(UInt8(ascii: "u"))
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0"))
            out.append(EscapeSpelling.hexDigit(b >> 4, uppercase: false))
            out.append(EscapeSpelling.hexDigit(b & 0xF, uppercase: false))
        default: out.append(0xEF); out.append(0xBF); out.append(0xBD)  // U+FFFD
        }
    }
}

/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4).
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// For each byte: its 6-bit value, or 0xFF if it is not in the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    /// The length of the encoding of `byteCount` bytes.
    public static func encodedLength(_ byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Appends the encoding of `bytes` to `out`.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        out.appendInPlace(maxCount: encodedLength(bytes.count)) { dst in
            alphabet.withUnsafeBufferPointer { table in
                pairs.withUnsafeBufferPointer { pairTable in
                bytes.withMemoryRebound(to: UInt8.self) { src in
                    let a = table.baseAddress!
                    let p = pairTable.baseAddress!
                    let full = src.count / 3 * 3
                    var i = 0
                    var o = 0
                    // Two characters per lookup (12 bits), four stored at once: JSON lines of a
                    // flood are mostly Base64, so this loop is `record`'s inner loop.
                    // Six bytes at a time from one 8-byte load (the last two are not used yet).
                    if let base = src.baseAddress {
                        while i + 8 <= src.count {
                            let w = UInt64(bigEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                            let eight = UInt64(p[Int(w >> 52)]) | UInt64(p[Int(w >> 40 & 0xFFF)]) << 16
                                | UInt64(p[Int(w >> 28 & 0xFFF)]) << 32 | UInt64(p[Int(w >> 16 & 0xFFF)]) << 48
                            UnsafeMutableRawPointer(dst + o).storeBytes(of: eight.littleEndian, as: UInt64.self)
                            i += 6
                            o += 8
                        }
                    }
                    while i < full {
                        let group = Int(src[i]) << 16 | Int(src[i + 1]) << 8 | Int(src[i + 2])
                        let four = UInt32(p[group >> 12]) | UInt32(p[group & 0xFFF]) << 16
                        UnsafeMutableRawPointer(dst + o).storeBytes(of: four.littleEndian, as: UInt32.self)
                        i += 3
                        o += 4
                    }
                    let rest = src.count - full
                    if rest > 0 {
                        let group = UInt32(src[i]) << 16 | (rest == 2 ? UInt32(src[i + 1]) << 8 : 0)
                        dst[o] = a[Int(group >> 18)]
                        dst[o + 1] = a[Int(group >> 12 & 0x3F)]
                        dst[o + 2] = rest == 2 ? a[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                        dst[o + 3] = UInt8(ascii: "=")
                        o += 4
                    }
                    return o
                }
                }
            }
        }
    }

    /// Every 12-bit value as its two characters, the first in the low byte.
    private static let pairs: [UInt16] = (0 ..< 4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 0x3F]) << 8 }

    /// The encoding of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        stringFromUTF8 { out in withContiguousBytes(bytes) { append($0, to: &out) } }
    }

    /// Decodes strictly: the standard alphabet only, no whitespace, length a multiple of 4, at most
    /// two `=` and only at the end, unused bits zero. Anything else is `nil`, so a decoded value
    /// re-encodes to exactly its input.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        withContiguousBytes(text) { raw in
            raw.withMemoryRebound(to: UInt8.self) { decode($0) }
        }
    }

    /// Decodes a Base64 string strictly; see `decode(_:)` for bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(text.utf8)
    }

    private static func decode(_ src: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard src.count % 4 == 0 else { return nil }
        guard !src.isEmpty else { return [] }
        let padding = src[src.count - 1] != UInt8(ascii: "=") ? 0 : src[src.count - 2] != UInt8(ascii: "=") ? 1 : 2
        var valid = true
        var out: [UInt8] = []
        out.appendInPlace(maxCount: src.count / 4 * 3) { dst in
            values.withUnsafeBufferPointer { table in
                var o = 0
                var i = 0
                while i < src.count {
                    let pad = i + 4 == src.count ? padding : 0
                    var group: UInt32 = 0
                    var invalid: UInt8 = 0
                    for k in 0..<(4 - pad) {
                        let v = table[Int(src[i + k])]
                        invalid |= v & 0x80  // 0xFF marks a byte outside the alphabet
                        group = group << 6 | UInt32(v & 0x3F)
                    }
                    group <<= UInt32(6 * pad)
                    // Unused bits must be zero, or two inputs would decode to the same bytes.
                    guard invalid == 0, group & ((1 << UInt32(8 * pad)) - 1) == 0 else {
                        valid = false
                        return 0
                    }
                    dst[o] = UInt8(truncatingIfNeeded: group >> 16)
                    dst[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    dst[o + 2] = UInt8(truncatingIfNeeded: group)
                    o += 3 - pad
                    i += 4
                }
                return o
            }
        }
        return valid ? out : nil
    }
}
