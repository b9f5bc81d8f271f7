// SendQueue — outgoing bytes waiting for the kernel, oldest first: bytes in memory and regions of
// files (`send @FILE`, read a chunk at a time).

import SocketKit

/// Outgoing bytes waiting for the kernel, oldest first: bytes in memory and regions of files
/// (`send @FILE`, read a chunk at a time), with a read position in the first piece.
struct SendQueue {
    private var pieces: [OutgoingPiece] = []
    private var firstOffset = 0
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        pieces.append(.bytes(bytes))
        byteCount += bytes.count
    }

    mutating func append(_ piece: OutgoingPiece) {
        guard piece.count > 0 else { return }
        pieces.append(piece)
        byteCount += piece.count
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
    }
}
