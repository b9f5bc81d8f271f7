// Suggestion — "did you mean …?" for mistyped commands, keywords and setting names.

/// Finds the known word a mistyped one was probably meant to be.
enum Suggestion {
    /// The candidate closest to `typed`: a unique prefix match, else the nearest by edit distance
    /// (transpositions count once) within 1 edit for words up to 4 letters and 2 beyond; nil if none is close.
    /// One-letter words and one- or two-letter candidates (`q`, `?`) are too short for a guess to mean anything.
    static func closest(to typed: String, in candidates: [String]) -> String? {
        let lowered = typed.lowercased()
        let word = Array(lowered.utf8)
        guard word.count >= 2, word.count <= 32 else { return nil }
        let prefixed = candidates.filter { $0.hasPrefix(lowered) }
        if prefixed.count == 1 { return prefixed[0] }
        let limit = word.count <= 4 ? 1 : 2
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.utf8.count >= 3 {
            let bytes = Array(candidate.utf8)
            guard abs(bytes.count - word.count) <= limit else { continue }  // the distance is at least that
            if let distance = editDistance(word, bytes, limit: limit), distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// ` (did you mean listen?)`, or an empty string when nothing is close.
    static func hint(for typed: String, in candidates: [String]) -> String {
        closest(to: typed, in: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

    /// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps) over
    /// UTF-8 bytes, or nil as soon as it must exceed `limit`. Command words are ASCII, so bytes suffice.
    private static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
