// ExpectBuffer.swift — the received bytes `expect` searches: the newest `limit` bytes of a socket,
// kept as the received chunks themselves (shared with the log, never copied) until a search needs
// them in one piece.

/// The newest bytes received on a socket that `expect` has not consumed yet, at most `limit`.
///
/// Appending keeps a reference to the chunk (the same storage as its log entry), so a flood costs
/// no copy here; only a search (an `expect` waiting) joins the window into one buffer. An accepted
/// connection and its listener both keep a window of the same chunks.
struct ExpectBuffer {
    let limit: Int
    /// Chunks from `head` on hold the window; the first `skip` bytes of chunk `head` are not in it.
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var skip = 0
    /// Bytes in the window.
    private(set) var count = 0

    init(limit: Int) { self.limit = limit }

    var isEmpty: Bool { count == 0 }

    /// The window's bytes, oldest first, in one array.
    var bytes: [UInt8] {
        var joined: [UInt8] = []
        joined.reserveCapacity(count)
        for index in head..<chunks.count {
            joined.append(contentsOf: index == head ? chunks[index][skip...] : chunks[index][...])
        }
        return joined
    }

    /// Adds a chunk at the end; the oldest bytes fall out of the window beyond `limit`.
    mutating func append(_ chunk: [UInt8]) {
        guard !chunk.isEmpty else { return }
        chunks.append(chunk)
        count += chunk.count
        if count > limit { drop(count - limit) }
    }

    /// The end (an offset in the window) of the first occurrence of `needle`, or nil.
    func endOfFirstMatch(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= count else { return nil }
        return ByteSearch.endOfFirstMatch(needle, in: bytes)
    }

    /// Drops the first `end` bytes of the window (a match and what came before it).
    mutating func consume(upTo end: Int) {
        drop(min(end, count))
    }

    /// Drops the oldest `n` bytes (n <= count): whole chunks go, the next one is skipped into.
    private mutating func drop(_ n: Int) {
        var left = n
        count -= n
        while left > 0 {
            let available = chunks[head].count - skip
            if left < available {
                skip += left
                break
            }
            left -= available
            chunks[head] = []  // release it now
            head += 1
            skip = 0
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
