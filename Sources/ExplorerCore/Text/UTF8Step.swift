// UTF8Step — strict, byte-at-a-time UTF-8 classification shared by the sanitizer, the carry and JSON.

/// What the bytes at one position of a buffer are, judged by RFC 3629 / Unicode table 3-7
/// (no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Step: Equatable {
    /// A well-formed multi-byte sequence of `length` bytes encoding `scalar`.
    case scalar(UInt32, length: Int)
    /// The first byte cannot start a well-formed sequence here; only that byte is consumed, so
    /// decoding resynchronises on the very next byte.
    case invalid
    /// The input ends after `length` bytes that are a valid but incomplete sequence prefix.
    case truncated(length: Int)

    /// Classifies the sequence at `p[0]`, a byte ≥ 0x80, with `available` (≥ 1) readable bytes.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> UTF8Step {
        let b0 = p[0]
        // The second byte's range is narrower for some leads: that is what rules out overlong
        // forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4).
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return .invalid  // ASCII, continuation bytes, C0, C1, F5...FF
        }
        guard available > 1 else { return .truncated(length: 1) }
        let b1 = p[1]
        guard b1 >= low && b1 <= high else { return .invalid }
        var scalar = (UInt32(b0) & (0x7F >> UInt32(length))) << 6 | UInt32(b1 & 0x3F)
        var k = 2
        while k < length {
            guard k < available else { return .truncated(length: k) }
            let b = p[k]
            guard b & 0xC0 == 0x80 else { return .invalid }
            scalar = scalar << 6 | UInt32(b & 0x3F)
            k += 1
        }
        return .scalar(scalar, length: length)
    }

    /// How many bytes at the end of `tail` form a valid but incomplete sequence (0...3).
    static func incompleteSuffixLength(_ tail: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = tail.baseAddress else { return 0 }
        let n = tail.count
        var k = 1
        while k <= min(3, n) {
            let b = base[n - k]
            if b < 0x80 { return 0 }
            if b >= 0xC0 {  // a lead byte: the only place a held sequence can start
                if case .truncated = decode(base + (n - k), available: k) { return k }
                return 0
            }
            k += 1  // a continuation byte: look further back for its lead
        }
        return 0
    }
}
