// RelayState — the relay's section of a socket record (a relay listener's target, a leg's pair,
// intercept and its held chunks, a FIN waiting to be passed on), and `Relays`, the engine's part
// that numbers held chunks and knows which sockets are relay listeners.

import DequeModule
import SocketKit
import TLSKit

/// The relay's section of a `SocketRecord`: set on a relay listener (`target`) or on a leg (`leg`).
struct RelayState {
    /// A relay listener: where each accepted client is connected to.
    var target: RelayTarget?
    /// One leg of a relayed pair.
    var leg: RelayLeg?
}

/// What a relay listener does with each client it accepts.
struct RelayTarget {
    /// The server side: transport, host and port or path, connect timeout.
    var request: ConnectRequest
    /// What `intercept` on the listener set: pairs opened from now on start with it.
    var intercept: InterceptMode = .off
    /// Client legs of the pairs open now (stream relays).
    var pairs: Set<SocketID> = []
    /// A UDP relay: the server leg of each client address.
    var datagramLegs: [SocketAddress: SocketID] = [:]
    /// A UDP relay: how long a server leg lives without traffic (monotonic µs).
    var idleTimeout: Int64 = 60_000_000
    /// A TLS server side (`relay … tls HOST:PORT`): the client context every server leg handshakes with.
    var tlsClient: TLSContext?
}

/// One leg of a relayed pair.
struct RelayLeg {
    var listener: SocketID
    /// The other leg; nil only between accepting a client and creating its server leg.
    var partner: SocketID?
    /// Which way chunks read from this leg go.
    var direction: RelayDirection
    /// `intercept` holds chunks read from this leg.
    var intercepting = false
    /// Chunks read from this leg waiting for `forward` or `drop`.
    var held = HeldChunks()
    /// The other leg sent EOF: shut this leg's writing down once what goes out through it
    /// (its queue, the chunks the other leg holds) is gone.
    var finPending = false
    /// This leg's FIN was passed on (shutdown wr).
    var finSent = false
    /// A UDP server leg: the client address it answers, and datagrams waiting for its connect.
    var client: SocketAddress?
    var pendingDatagrams: [[UInt8]] = []
}

/// A chunk intercept holds, with its number (the order chunks arrived in, across all pairs).
struct HeldChunk {
    var number: UInt64
    var bytes: [UInt8]
}

/// Chunks intercept holds on one leg, oldest first, bounded in count and bytes (see `Limits`):
/// at the bound the leg stops being read, so the kernel holds the rest.
struct HeldChunks {
    private(set) var chunks: Deque<HeldChunk> = []
    private(set) var byteCount = 0

    var isEmpty: Bool { chunks.isEmpty }
    var count: Int { chunks.count }
    var oldest: HeldChunk? { chunks.first }

    /// True when no more chunks may be read from the leg.
    var isFull: Bool { chunks.count >= Limits.interceptChunksPerLeg || byteCount >= Limits.interceptBytesPerLeg }

    mutating func append(_ chunk: HeldChunk) {
        chunks.append(chunk)
        byteCount += chunk.bytes.count
    }

    mutating func removeOldest() -> HeldChunk? {
        guard let first = chunks.popFirst() else { return nil }
        byteCount -= first.bytes.count
        return first
    }

    mutating func removeAll() {
        chunks.removeAll()
        byteCount = 0
    }
}

/// The engine's relay part: which sockets are relay listeners and the numbering of held chunks.
/// The legs' state lives in their records' `relay` sections.
final class Relays {
    /// Relay listeners, open now.
    private(set) var listeners: Set<SocketID> = []
    private var lastChunkNumber: UInt64 = 0
    /// UDP server legs and when each is idle long enough to close (monotonic µs).
    private(set) var idleDeadlines: [SocketID: Int64] = [:]

    /// The soonest idle deadline, for the loop's timeout.
    var nextDeadline: Int64? { idleDeadlines.values.min() }

    func setIdleDeadline(_ id: SocketID, _ deadline: Int64?) { idleDeadlines[id] = deadline }

    /// UDP server legs whose idle deadline passed.
    func idleLegs(now: Int64) -> [SocketID] { idleDeadlines.filter { $0.value <= now }.map(\.key).sorted() }

    func add(listener id: SocketID) { listeners.insert(id) }
    func remove(listener id: SocketID) { listeners.remove(id) }

    /// The next held chunk's number.
    func nextChunkNumber() -> UInt64 {
        lastChunkNumber += 1
        return lastChunkNumber
    }
}
