// ByteSearch — finding bytes in bytes, for `find` and `expect`.

/// Substring search over byte arrays.
public enum ByteSearch {
    /// The end index of the first occurrence of `needle` in `haystack`, or nil.
    public static func endOfFirstMatch(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            guard let hit = haystack[index...last].firstIndex(of: first) else { return nil }
            if haystack[hit..<hit + needle.count].elementsEqual(needle) { return hit + needle.count }
            index = hit + 1
        }
        return nil
    }
}
