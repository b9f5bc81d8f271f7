// ByteSearch — finding bytes in bytes, for `find`, `expect` and reply templates: glibc's memmem,
// linear in the haystack whatever the needle (a naive search is quadratic on `aaa…b`).

import CSocketKit

/// Substring search over byte arrays.
public enum ByteSearch {
    /// The end index of the first occurrence of `needle` in `haystack` at or after `from`, or nil.
    public static func endOfFirstMatch(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, from >= 0, haystack.count - from >= needle.count else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let found = csk_memmem(hay.baseAddress! + from, hay.count - from, pin.baseAddress!, pin.count) else { return nil }
                return hay.baseAddress!.distance(to: found) + needle.count
            }
        }
    }

    /// The same, over a contiguous region of bytes.
    public static func endOfFirstMatch(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        return needle.withUnsafeBytes { pin in
            guard let found = csk_memmem(base, haystack.count, pin.baseAddress!, pin.count) else { return nil }
            return base.distance(to: found) + needle.count
        }
    }
}
