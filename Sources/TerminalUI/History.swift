// Command-line history: the bounded list in memory. Loading and saving it is the program's job
// (Sources/sockpit/HistoryFile.swift): TerminalUI touches no files.

/// Previously submitted command lines, oldest first.
///
/// Bounded (the oldest entries fall out), and clean: blank lines, lines containing a line break and
/// a repeat of the newest entry are not recorded, so ↑ never shows the same line twice in a row.
public struct History: Equatable, Sendable {
    /// The default bound.
    public static let defaultCapacity = 1000

    /// The maximum number of entries kept.
    public let capacity: Int
    /// The entries, oldest first.
    public private(set) var entries: [String] = []

    /// A history holding `entries` filtered through the same rules as `add`.
    public init(entries: [String] = [], capacity: Int = History.defaultCapacity) {
        self.capacity = max(1, capacity)
        for entry in entries { add(entry) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public subscript(index: Int) -> String { entries[index] }

    /// Records a submitted line (see the type's rules).
    public mutating func add(_ line: String) {
        guard line.contains(where: { !$0.isWhitespace }),
              !line.contains(where: { $0.isNewline }),
              line != entries.last else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}
