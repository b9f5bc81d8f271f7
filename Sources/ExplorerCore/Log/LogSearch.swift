// LogSearch — what `find` looks for (bytes, or a regular expression over bytes) and where it
// matches in an entry, as byte ranges, for the count, the jump and the highlight.
//
// Decided: a regular expression is Swift's `Regex` (the standard library's, no Foundation) run
// over the bytes seen as Latin-1 scalars with scalar semantics, so every byte is one "character",
// CR LF is two, and a match's range is a byte range. A non-ASCII character in the pattern stands
// for its UTF-8 bytes (so `/é/` finds UTF-8 text), which does not hold inside `[…]`. `Regex` is
// not Sendable, so the view state keeps the pattern and each search compiles it once
// (`LogSearch.matcher()`); it runs at about 10 MB/s here, so a regular expression searches the
// newest `regexSearchBytes` of the log, never all of a 64 MiB log in one wake-up.

/// What `find` searches for.
public struct LogSearch: Equatable, Sendable, CustomStringConvertible {
    public enum Pattern: Equatable, Sendable {
        /// These bytes exactly (payload syntax).
        case bytes([UInt8])
        /// A regular expression over bytes (`find /HTTP\/1\.[01] [45]\d\d/`).
        case regex(String)
    }

    public let pattern: Pattern

    /// How many of the log's newest data and text bytes a regular expression looks at.
    public static let regexSearchBytes = 4 << 20
    /// The most matches a search collects (the count then says `10000+`).
    public static let matchLimit = 10_000

    /// A byte search; the bytes must not be empty.
    public init(bytes: [UInt8]) {
        pattern = .bytes(bytes)
    }

    /// A regular expression, checked here: a pattern that does not compile is an error naming why.
    public init(regex: String) throws(CommandError) {
        guard !regex.isEmpty else { throw CommandError("empty regular expression") }
        do { _ = try Regex(LogSearch.bytePattern(regex)) } catch {
            throw CommandError("bad regular expression /\(LogSearch.shown(regex))/: \(Sanitizer.clean("\(error)"))")
        }
        pattern = .regex(regex)
    }

    /// As typed: `"HTTP/1.1"` or `/HTTP\/1\.[01]/`.
    public var description: String {
        switch pattern {
        case .bytes(let bytes): "\"\(Sanitizer.escape(bytes))\""
        case .regex(let text): "/\(LogSearch.shown(text))/"
        }
    }

    /// True for a regular expression (bounded to the newest `regexSearchBytes`).
    public var isRegex: Bool {
        if case .regex = pattern { return true }
        return false
    }

    /// The search, ready to run (a regular expression compiled once).
    public func matcher() -> LogMatcher {
        switch pattern {
        case .bytes(let bytes): LogMatcher(needle: bytes, regex: nil)
        // init(regex:) compiled it once already, so this cannot fail; an empty needle matches nothing.
        case .regex(let text): LogMatcher(needle: [], regex: try? Regex(LogSearch.bytePattern(text)).matchingSemantics(.unicodeScalar))
        }
    }

    /// A pattern as typed, made display-safe without doubling its backslashes (`\d` stays `\d`).
    static func shown(_ text: String) -> String {
        text.unicodeScalars.map(MessageText.visible).joined()
    }

    /// The pattern with each non-ASCII character replaced by its UTF-8 bytes as Latin-1 scalars.
    static func bytePattern(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII { scalars.append(scalar); continue }
            for byte in String(scalar).utf8 { scalars.append(Unicode.Scalar(byte)) }
        }
        return String(scalars)
    }
}

/// A compiled search. Not Sendable (it may hold a `Regex`): make one per search, from `LogSearch`.
public struct LogMatcher {
    let needle: [UInt8]
    let regex: Regex<AnyRegexOutput>?

    /// The byte ranges where it matches in `bytes` (offsets from 0), left to right, not
    /// overlapping, at most `limit` of them (`find /./` over megabytes must not make millions).
    public func ranges(in bytes: some Collection<UInt8>, limit: Int = LogSearch.matchLimit) -> [Range<Int>] {
        if let regex { return Self.regexRanges(regex, in: bytes, limit: limit) }
        guard !needle.isEmpty else { return [] }
        let haystack = Array(bytes)
        var ranges: [Range<Int>] = []
        var from = 0
        while ranges.count < limit, let end = ByteSearch.endOfFirstMatch(needle, in: haystack, from: from) {
            ranges.append(end - needle.count..<end)
            from = end
        }
        return ranges
    }

    /// Where it matches in an entry: a data entry's bytes, else its text's UTF-8.
    public func ranges(in entry: LogEntry, limit: Int = LogSearch.matchLimit) -> [Range<Int>] {
        entry.kind.isData ? ranges(in: entry.bytes, limit: limit) : ranges(in: entry.text.utf8, limit: limit)
    }

    /// Match after match, each search resuming where the previous match ended (so `^` also
    /// matches right after a match: `matches(of:)` would keep anchors exact but builds every
    /// match at once, unbounded).
    private static func regexRanges(_ regex: Regex<AnyRegexOutput>, in bytes: some Collection<UInt8>, limit: Int) -> [Range<Int>] {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        let text = String(scalars)
        let view = text.unicodeScalars
        var ranges: [Range<Int>] = []
        // Offsets advance with the matches, so the whole walk is linear in the text.
        var index = view.startIndex, offset = 0
        while ranges.count < limit, index < view.endIndex, let match = text[index...].firstMatch(of: regex) {
            let lower = offset + view.distance(from: index, to: match.range.lowerBound)
            let upper = lower + view.distance(from: match.range.lowerBound, to: match.range.upperBound)
            if match.range.isEmpty {
                // An empty match (`/x*/`) is no highlight; step past it.
                guard match.range.lowerBound < view.endIndex else { break }
                index = view.index(after: match.range.lowerBound)
                offset = lower + 1
                continue
            }
            ranges.append(lower..<upper)
            index = match.range.upperBound
            offset = upper
        }
        return ranges
    }
}

/// One place a search matched: the entry and the byte range in it (data bytes, or the text's UTF-8).
public struct LogMatch: Equatable, Sendable {
    public var sequence: UInt64
    public var range: Range<Int>

    public init(sequence: UInt64, range: Range<Int>) {
        self.sequence = sequence
        self.range = range
    }
}

/// The matches of one search, newest first.
public struct LogMatches: Equatable, Sendable {
    public var matches: [LogMatch] = []
    /// Entries with at least one match.
    public var entries = 0
    /// False when the search stopped early (`matchLimit` matches, or a regular expression's
    /// `regexSearchBytes`): the counts are then "at least".
    public var complete = true

    /// `9 matches in 4 log entries`, `10000+ matches in …`.
    public var summary: String {
        let count = Units.counted(matches.count, "match", "matches")
        return (complete ? count : count.replacingFirstSpace(with: "+ ")) + " in " + Units.counted(entries, "log entry", "log entries")
    }
}

extension LogSearch {
    /// Every match among the entries `passes` keeps, from the newest entry back, bounded by
    /// `matchLimit` and, for a regular expression, by `regexSearchBytes`.
    public func collect(in log: ByteLog, passes: (LogEntry) -> Bool = { _ in true }) -> LogMatches {
        let matcher = matcher()
        var result = LogMatches()
        var searched = 0
        var sequence = log.nextSequence
        while sequence > log.firstSequence {
            sequence -= 1
            guard let entry = log.entry(sequence: sequence), passes(entry) else { continue }
            if isRegex {
                searched += entry.kind.isData ? entry.bytes.count : entry.text.utf8.count
                if searched > LogSearch.regexSearchBytes { result.complete = false; break }
            }
            let ranges = matcher.ranges(in: entry, limit: LogSearch.matchLimit - result.matches.count)
            guard !ranges.isEmpty else { continue }
            result.entries += 1
            for range in ranges.reversed() { result.matches.append(LogMatch(sequence: sequence, range: range)) }
            if result.matches.count >= LogSearch.matchLimit {
                result.complete = false
                return result
            }
        }
        return result
    }
}

extension String {
    /// `10000 matches` → `10000+ matches`.
    fileprivate func replacingFirstSpace(with text: String) -> String {
        guard let space = firstIndex(of: " ") else { return self }
        return String(self[..<space]) + text + String(self[index(after: space)...])
    }
}
