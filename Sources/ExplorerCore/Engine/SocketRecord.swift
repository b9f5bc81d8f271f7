// SocketRecord.swift — what the engine keeps per open socket beside its public entry: the
// descriptor, epoll interest, the outgoing queue, UTF-8 carry, stream offsets, wait flags.

import SocketKit

/// Engine-private state of one socket. The public view of the same socket is its `SocketEntry`.
final class SocketRecord {
    let id: SocketID
    var fd: FileDescriptor
    var family: Int32
    var interest: Interest = []
    /// Bytes `send` accepted that the kernel has not taken yet, oldest first.
    var sendQueue = SendQueue()
    /// `close` asked while the queue was not empty: close once it drains.
    var closeWhenFlushed = false
    /// The peer's EOF has been seen.
    var sawEOF = false
    /// We shut down reading / writing.
    var readShut = false
    var writeShut = false
    /// UTF-8 carry per direction, so characters split across reads render whole.
    var receiveCarry = Utf8Carry()
    var sendCarry = Utf8Carry()
    /// Stream offsets per direction (hex view).
    var offsetIn: UInt64 = 0
    var offsetOut: UInt64 = 0
    /// Received bytes not yet consumed by `expect` (bounded; see `Engine.expectBufferLimit`).
    var expectBuffer = ExpectBuffer(limit: Engine.expectBufferLimit)
    /// Flags consumed by `wait`: bytes arrived / a peer was accepted since the last wait.
    var dataSinceWait = false
    var acceptedSinceWait = false
    /// Outgoing connect in progress: addresses to try, the current one, the deadline (monotonic µs).
    var connectCandidates: [SocketAddress] = []
    var connectIndex = 0
    var connectDeadline: Int64?
    var connectTimeout: Int64 = 0
    var connectFrom: SocketAddress?
    /// The socket selected before this connect took the selection; it gets it back if the connect fails.
    var selectedBeforeConnect: SocketID?
    /// Why the connection was lost (reset, EPIPE…), so the command whose write hit it can say so.
    var lostError: SystemError?
    /// `recv N all` in progress on a paused socket: bytes still to read.
    var readAllowance: Int?
    /// `http`: the first bytes of the response (for the status line); nil when not collecting.
    var responseHead: [UInt8]?
    /// A Unix listener's path, removed when it closes.
    var unixPathToRemove: String?
    /// Rate sampling.
    var lastSampleIn: UInt64 = 0
    var lastSampleOut: UInt64 = 0
    var lastSampleTime: Int64 = 0

    init(id: SocketID, fd: FileDescriptor, family: Int32) {
        self.id = id
        self.fd = fd
        self.family = family
        self.lastSampleTime = MonotonicClock.now()
    }
}

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
