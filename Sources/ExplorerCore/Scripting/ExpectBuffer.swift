// ExpectBuffer.swift — the received bytes `expect` searches: the newest bytes of a socket, kept as
// the received chunks themselves (large ones shared with the log, never copied; small ones copied
// together), searched chunk by chunk with memmem from where the last search stopped, so a flood is
// never searched twice.

import DequeModule

/// The newest bytes received on a socket that `expect` has not consumed yet, at most `limit`.
///
/// Positions are absolute: byte 0 is the first byte the socket ever received, so a search can
/// resume where the previous one ended even after the oldest bytes fell out of the window.
struct ExpectBuffer {
    let limit: Int
    /// The window's chunks; the first `skip` bytes of the first chunk are not in it.
    private var chunks: Deque<[UInt8]> = []
    private var skip = 0
    /// Bytes in the window.
    private(set) var count = 0
    /// Heap blocks holding the window's bytes (what its memory costs beyond the bytes; tests).
    var storedChunks: Int { chunks.count }
    /// The absolute position of the window's first byte.
    private(set) var start: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    var isEmpty: Bool { count == 0 }

    /// The absolute position just past the window's last byte.
    var end: UInt64 { start + UInt64(count) }

    /// The window's bytes, oldest first, in one array (for messages and tests).
    var bytes: [UInt8] { suffix(count) }

    /// The newest `n` bytes of the window.
    func suffix(_ n: Int) -> [UInt8] {
        var wanted = min(n, count)
        var parts: [ArraySlice<UInt8>] = []
        for index in chunks.indices.reversed() where wanted > 0 {
            let chunk = chunks[index]
            let available = index == chunks.startIndex ? chunk.count - skip : chunk.count
            let take = min(wanted, available)
            parts.append(chunk[(chunk.count - take)...])
            wanted -= take
        }
        return parts.reversed().flatMap { $0 }
    }

    /// Chunks smaller than this are copied onto the end of the newest small chunk rather than kept
    /// as arrays of their own. Kept as they came, a million one-byte datagrams would hold a million
    /// heap blocks of ~48 bytes each behind a 1 MiB window: the bytes counted would be a fiftieth of
    /// the memory held (the soak's UDP load grew RSS by 38 MiB a minute this way). Copied together,
    /// the window holds at most twice the bytes it counts (an array's room to grow) plus one block
    /// per chunk of at least this size.
    static let coalescedChunkSize = 4096

    /// Adds a chunk at the end; the oldest bytes fall out of the window beyond `limit`.
    mutating func append(_ chunk: [UInt8]) {
        guard !chunk.isEmpty else { return }
        if chunk.count < Self.coalescedChunkSize, let last = chunks.last, last.count + chunk.count <= Self.coalescedChunkSize {
            // In place: the newest chunk is this buffer's own after its first small append.
            chunks[chunks.index(before: chunks.endIndex)].append(contentsOf: chunk)
        } else {
            chunks.append(chunk)
        }
        count += chunk.count
        if count > limit { dropOldest(count - limit) }
    }

    /// The end (an offset in the window) of the first occurrence of `needle`, or nil.
    func endOfFirstMatch(_ needle: [UInt8]) -> Int? {
        firstMatch(needle, from: start).map { Int($0 - start) }
    }

    /// The absolute end of the first occurrence of `needle` that starts at or after `from`, or nil.
    func firstMatch(_ needle: [UInt8], from: UInt64) -> UInt64? {
        guard !needle.isEmpty, needle.count <= count else { return nil }
        let overlap = needle.count - 1
        var carry: [UInt8] = []  // the last `overlap` bytes searched, for matches across chunks
        var position = start     // absolute position of the current chunk's first byte in the window
        for index in chunks.indices {
            let chunk = chunks[index]
            let first = index == chunks.startIndex ? skip : 0
            let length = chunk.count - first
            defer { position += UInt64(length) }
            // Where searching starts in this chunk: `from`, or the chunk's start.
            let begin = from > position ? Int(min(UInt64(length), from - position)) : 0
            if begin >= length { continue }
            if !carry.isEmpty {
                let joined = carry + chunk[(first + begin)..<(first + begin + min(overlap, length - begin))]
                if let end = ByteSearch.endOfFirstMatch(needle, in: joined) {
                    return position + UInt64(begin) - UInt64(carry.count) + UInt64(end)
                }
            }
            let found = chunk.withUnsafeBytes { raw in
                ByteSearch.endOfFirstMatch(needle, in: UnsafeRawBufferPointer(rebasing: raw[(first + begin)...]))
            }
            if let end = found { return position + UInt64(begin + end) }
            let searched = chunk[(first + begin)...]
            carry = searched.count >= overlap ? Array(searched.suffix(overlap)) : Array((carry + searched).suffix(overlap))
        }
        return nil
    }

    /// Drops the first `end` bytes of the window (a match and what came before it).
    mutating func consume(upTo end: Int) {
        dropOldest(min(end, count))
    }

    /// Drops everything before the absolute position `end`.
    mutating func consume(through end: UInt64) {
        if end > start { dropOldest(Int(min(UInt64(count), end - start))) }
    }

    /// Drops the oldest `n` bytes (n <= count): whole chunks go, the next one is skipped into.
    mutating func dropOldest(_ n: Int) {
        var left = n
        count -= n
        start += UInt64(n)
        while left > 0, let first = chunks.first {
            let available = first.count - skip
            if left < available {
                skip += left
                break
            }
            left -= available
            chunks.removeFirst()
            skip = 0
        }
        if count == 0 {
            chunks.removeAll()
            skip = 0
        }
    }
}
