// ByteLog.swift — the bounded in-memory log: a ring of entries capped by what they cost in memory;
// what falls out is counted, never silently lost (and `record` keeps everything).

import DequeModule

/// A ring of log entries bounded by what they really cost in memory.
///
/// An entry costs its own size twice over (the ring's storage grows by doubling, so up to half of
/// it is room not yet used) plus every heap block it holds: the data, UTF-8 carried in, a long
/// text, a datagram's peer address. Measured (RSS over 2,000,000 one-byte datagrams) this matches
/// what the process grows by, so `logcap` bounds memory, not just data bytes.
public struct ByteLog: Sendable {
    private var storage: Deque<LogEntry> = []
    /// The sequence number the next entry gets.
    public private(set) var nextSequence: UInt64 = 0
    /// Bytes the kept entries cost (see the type's comment).
    public private(set) var keptBytes = 0
    /// Data bytes of the kept entries.
    public private(set) var keptDataBytes: UInt64 = 0
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
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// The sequence number of the oldest kept entry.
    public var firstSequence: UInt64 { nextSequence - UInt64(count) }

    /// The `index`-th kept entry, oldest first.
    public subscript(index: Int) -> LogEntry { storage[index] }

    /// The entry with this sequence number, if still kept.
    public func entry(sequence: UInt64) -> LogEntry? {
        guard sequence >= firstSequence, sequence < nextSequence else { return nil }
        return storage[Int(sequence - firstSequence)]
    }

    /// The newest entry.
    public var last: LogEntry? { storage.last }

    /// Appends `entry`, giving it the next sequence number, and evicts the oldest entries beyond the cap.
    @discardableResult
    public mutating func append(_ entry: LogEntry) -> LogEntry {
        var entry = entry
        entry.sequence = nextSequence
        nextSequence += 1
        keptBytes += entry.cost
        keptDataBytes += UInt64(entry.bytes.count)
        storage.append(entry)
        evictToCapacity()
        return entry
    }

    /// Drops every kept entry (the `clear` command); counts are not evictions.
    public mutating func removeAll() {
        storage = []
        keptBytes = 0
        keptDataBytes = 0
    }

    /// Iterates kept entries oldest first.
    public func forEach(_ body: (LogEntry) throws -> Void) rethrows {
        for entry in storage { try body(entry) }
    }

    private mutating func evictToCapacity() {
        // Keep at least the newest entry, however large.
        while keptBytes > capacity && storage.count > 1 {
            let victim = storage.removeFirst()
            keptBytes -= victim.cost
            keptDataBytes -= UInt64(victim.bytes.count)
            evictedDataBytes += UInt64(victim.bytes.count)
            evictedEntries += 1
        }
    }
}
