// SendQueue — outgoing bytes waiting for the kernel, oldest first: bytes in memory and regions of
// files (`send @FILE`, read a chunk at a time). A deque, so draining a million one-byte replies is
// linear; small byte pieces are merged as they arrive, so they leave in few writes.

import DequeModule
import SocketKit

/// Outgoing bytes waiting for the kernel, with a read position in the first piece.
///
/// `memoryBytes` counts what the queue holds in memory (the bound the engine enforces); a file
/// region holds a descriptor, not its bytes, so it counts in `byteCount` only.
struct SendQueue {
    private var pieces: Deque<OutgoingPiece> = []
    private var firstOffset = 0
    /// Bytes waiting, memory and file regions alike.
    private(set) var byteCount = 0
    /// Bytes waiting that the queue holds in memory.
    private(set) var memoryBytes = 0

    /// A byte piece smaller than this is merged into a small byte piece before it (a flood of
    /// one-byte replies leaves in writes of up to this size, not one write per byte).
    static let mergeBelow = 64 << 10

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        byteCount += bytes.count
        memoryBytes += bytes.count
        // Appending to the last piece keeps the read position (counted from its start) valid.
        if bytes.count < SendQueue.mergeBelow, case .bytes(var last)? = pieces.last, last.count < SendQueue.mergeBelow {
            pieces.removeLast()
            last.append(contentsOf: bytes)
            pieces.append(.bytes(last))
            return
        }
        pieces.append(.bytes(bytes))
    }

    mutating func append(_ piece: OutgoingPiece) {
        switch piece {
        case .bytes(let bytes):
            append(bytes)
        case .file(let region):
            guard region.remaining > 0 else { return }
            pieces.append(piece)
            byteCount += region.remaining
        }
    }

    /// Calls `body` with the oldest unsent bytes until it returns nil or 0 (the kernel takes no
    /// more) or about `limit` bytes went; `body` returns how many it sent. A file that cannot be
    /// read to its end is dropped from the queue and returned, so the caller can say so.
    mutating func drain(limit: Int = .max, _ body: (UnsafeRawBufferPointer) -> Int?) -> [FileReadFailure] {
        var failures: [FileReadFailure] = []
        var budget = limit
        while budget > 0, let first = pieces.first {
            switch first {
            case .bytes(let bytes):
                let sent = bytes.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[firstOffset...])) }
                guard let sent, sent > 0 else { return failures }
                firstOffset += sent
                byteCount -= sent
                memoryBytes -= sent
                budget -= sent
                if firstOffset == bytes.count {
                    pieces.removeFirst()
                    firstOffset = 0
                }
            case .file(var region):
                switch Self.withNextChunk(of: region, body) {
                case .failure(let failure):
                    failures.append(failure)
                    byteCount -= region.remaining
                    pieces.removeFirst()
                case .success(let sent):
                    guard let sent, sent > 0 else { return failures }
                    region.offset += sent
                    byteCount -= sent
                    budget -= sent
                    if region.remaining == 0 { pieces.removeFirst() } else { pieces[0] = .file(region) }
                }
            }
        }
        return failures
    }

    mutating func removeAll() {
        pieces.removeAll()
        firstOffset = 0
        byteCount = 0
        memoryBytes = 0
    }
}
