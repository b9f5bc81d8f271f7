// InternetChecksum — the one's-complement sum of RFC 1071 that IPv4, TCP and UDP headers carry.
//
// The sum is taken over native-order loads of the bytes as they lie in memory, and the checksum is
// stored back in native order: one's-complement addition does not care about byte order as long as
// loading and storing agree (RFC 1071 §2B), so nothing is swapped per word. And 2^16 ≡ 1 (mod
// 2^16 − 1), so wider words fold to the same 16-bit sum as 16-bit ones.

/// A running one's-complement sum. Add pieces that start at even offsets of the summed region
/// (every header and payload here does), then take `checksum`.
struct InternetChecksum {
    private(set) var sum: UInt64 = 0

    init() {}

    /// Adds `bytes`, which must start at an even offset of the checksummed region.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let count = bytes.count
        // Each 64-bit word adds its two 32-bit halves into two 64-bit lanes (2^32 ≡ 1, so that is
        // the word's own sum): no carries to chase, and the loop vectorizes even for baseline
        // x86-64 (26 GB/s here, against 10 for 32-bit loads with four accumulators).
        var low: UInt64 = 0, high: UInt64 = 0
        let words = count / 8
        for index in 0 ..< words {
            let word = base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
            low &+= word & 0xFFFF_FFFF
            high &+= word >> 32
        }
        var rest = words * 8
        if rest + 4 <= count {
            low &+= UInt64(base.loadUnaligned(fromByteOffset: rest, as: UInt32.self))
            rest += 4
        }
        if rest + 2 <= count {
            high &+= UInt64(base.loadUnaligned(fromByteOffset: rest, as: UInt16.self))
            rest += 2
        }
        if rest < count {
            // A trailing odd byte is the first byte of a zero-padded 16-bit word.
            var pad: UInt16 = 0
            withUnsafeMutableBytes(of: &pad) { $0[0] = base.load(fromByteOffset: rest, as: UInt8.self) }
            low &+= UInt64(pad)
        }
        add(folded: Self.fold32(low) &+ Self.fold32(high))
    }

    /// Adds a 16-bit field given in host order, as it will lie in memory in network order.
    mutating func add(networkOrder value: UInt16) {
        add(folded: UInt64(value.bigEndian))
    }

    /// Adds a precomputed partial sum (of another `InternetChecksum`).
    mutating func add(_ other: InternetChecksum) { add(folded: other.sum) }

    private mutating func add(folded value: UInt64) {
        sum = Self.fold32(sum &+ value)
    }

    /// The checksum to store in native order (as `add` loads memory): the complement of the folded
    /// sum.
    var checksum: UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return ~UInt16(truncatingIfNeeded: s)
    }

    /// Folds a 64-bit sum to at most 33 bits without changing it modulo 2^16 − 1.
    private static func fold32(_ value: UInt64) -> UInt64 {
        var s = (value & 0xFFFF_FFFF) &+ (value >> 32)
        s = (s & 0xFFFF_FFFF) &+ (s >> 32)
        return s
    }
}
