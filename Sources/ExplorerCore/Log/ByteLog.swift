// ByteLog.swift — the bounded in-memory log: a ring of entries capped by total bytes; what falls
// out is counted, never silently lost (and `record` keeps everything).

/// A ring of log entries bounded by their total cost in bytes.
public struct ByteLog: Sendable {
    private var storage: ContiguousArray<LogEntry> = []
    private var head = 0
    /// The sequence number the next entry gets.
    public private(set) var nextSequence: UInt64 = 0
    /// Bytes the kept entries cost (data + overhead).
    public private(set) var keptBytes = 0
    /// Data bytes and entries evicted because of the cap.
    public private(set) var evictedDataBytes: UInt64 = 0
    public private(set) var evictedEntries: UInt64 = 0
    /// The cap in bytes.
    public var capacity: Int {
        didSet { evictToCapacity() }
    }

    public init(capacity: Int = 64 << 20) {
        self.capacity = capacity
    }

    /// Entries kept now.
    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }

    /// The sequence number of the oldest kept entry.
    public var firstSequence: UInt64 { nextSequence - UInt64(count) }

    /// The `index`-th kept entry, oldest first.
    public subscript(index: Int) -> LogEntry { storage[head + index] }

    /// The entry with this sequence number, if still kept.
    public func entry(sequence: UInt64) -> LogEntry? {
        guard sequence >= firstSequence, sequence < nextSequence else { return nil }
        return storage[head + Int(sequence - firstSequence)]
    }

    /// The newest entry.
    public var last: LogEntry? { isEmpty ? nil : storage[storage.count - 1] }

    /// Appends `entry`, giving it the next sequence number, and evicts the oldest entries beyond the cap.
    @discardableResult
    public mutating func append(_ entry: LogEntry) -> LogEntry {
        var entry = entry
        entry.sequence = nextSequence
        nextSequence += 1
        keptBytes += entry.cost
        storage.append(entry)
        evictToCapacity()
        return entry
    }

    /// Drops every kept entry (the `clear` command); counts are not evictions.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: false)
        head = 0
        keptBytes = 0
    }

    /// Iterates kept entries oldest first.
    public func forEach(_ body: (LogEntry) throws -> Void) rethrows {
        for index in head ..< storage.count { try body(storage[index]) }
    }

    private mutating func evictToCapacity() {
        // Keep at least the newest entry, however large.
        while keptBytes > capacity && count > 1 {
            let victim = storage[head]
            keptBytes -= victim.cost
            evictedDataBytes += UInt64(victim.bytes.count)
            evictedEntries += 1
            storage[head] = LogEntry(time: 0, socket: nil, kind: .event) // release the bytes now
            head += 1
        }
        // Compact once the dead prefix is large, so memory is returned (amortised O(1)).
        if head > 4096 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
