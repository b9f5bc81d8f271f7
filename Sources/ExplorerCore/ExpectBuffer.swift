// ExpectBuffer.swift — the received bytes `expect` searches: the newest `limit` bytes of a socket,
// kept with slack so that dropping the oldest costs O(1) per byte instead of a memmove of the
// whole window on every read.

import Glibc

/// The newest bytes received on a socket that `expect` has not consumed yet, at most `limit`.
///
/// The storage holds up to twice the limit: bytes older than the window stay behind it (dead)
/// until they are as many as the window, then go in one move. A flood therefore copies each byte
/// about twice, where trimming to the limit on every 64 KiB read moved the whole 1 MiB window.
struct ExpectBuffer {
    let limit: Int
    private var storage: [UInt8] = []
    /// Where the window starts in `storage`.
    private var start = 0

    init(limit: Int) { self.limit = limit }

    /// Bytes in the window.
    var count: Int { storage.count - start }
    var isEmpty: Bool { count == 0 }

    /// The window's bytes, oldest first.
    var bytes: [UInt8] { Array(storage[start...]) }

    /// Adds bytes at the end; the oldest fall out of the window beyond `limit`.
    mutating func append(_ new: some Collection<UInt8>) {
        storage.append(contentsOf: new)
        if storage.count - start > limit { start = storage.count - limit }
        if start >= limit {
            storage.removeFirst(start)
            start = 0
        }
    }

    /// The end (an offset in the window) of the first occurrence of `needle`, or nil.
    func endOfFirstMatch(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= count else { return nil }
        return storage.withUnsafeBytes { all in
            needle.withUnsafeBytes { pattern in
                let window = all.baseAddress! + start
                let last = count - needle.count
                var index = 0
                while index <= last {
                    // memchr finds candidates for the first byte at memory speed; memcmp checks them.
                    guard let hit = memchr(window + index, Int32(needle[0]), last - index + 1) else { return nil }
                    let at = window.distance(to: UnsafeRawPointer(hit))
                    if memcmp(window + at, pattern.baseAddress!, needle.count) == 0 { return at + needle.count }
                    index = at + 1
                }
                return nil
            }
        }
    }

    /// Drops the first `end` bytes of the window (a match and what came before it).
    mutating func consume(upTo end: Int) {
        start += min(end, count)
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        }
    }
}
