// SocketRecord — what the engine keeps per open socket beside its public `SocketEntry`, in one
// section per part: the registry's descriptor and epoll interest, the data path's stream state,
// the scripting waits' window and flags, and a connect attempt while one runs. A part reads and
// writes its own section only and asks the owning part for anything else.

import SocketKit

/// Engine-private state of one socket. The public view of the same socket is its `SocketEntry`.
final class SocketRecord {
    let id: SocketID
    // The registry's section.
    var fd: FileDescriptor
    var family: Int32
    var interest: Interest = []
    /// True while the descriptor is registered with epoll (a step socket is not until it listens,
    /// connects or, for UDP, is bound).
    var inLoop = false
    /// A Unix listener's path, removed when it closes.
    var unixPathToRemove: String?

    /// The data path's section.
    var stream = StreamState()
    /// The scripting waits' section.
    var waits = WaitState()
    /// An outgoing connect in progress (the connecting code's section); nil once it ends.
    var attempt: ConnectAttempt?
    /// A relay listener's target or a relay leg's pair (the relay's section).
    var relay = RelayState()
    /// The TLS part's section (Engine/TLS): a TLS listener's context or a connection's session; nil when plain.
    var tls: TLSLink?

    init(id: SocketID, fd: FileDescriptor, family: Int32) {
        self.id = id
        self.fd = fd
        self.family = family
        stream.lastSampleTime = MonotonicClock.now()
    }
}

/// How bytes move on one socket: the outgoing queue, what is shut, UTF-8 carries, stream offsets.
struct StreamState {
    /// Bytes `send` accepted that the kernel has not taken yet, oldest first.
    var sendQueue = SendQueue()
    /// Which queued bytes a relay already logged where they arrived.
    var quiet = QuietSpans()
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
    /// Why the connection was lost (reset, EPIPE…), so the command whose write hit it can say so.
    var lostError: SystemError?
    /// Output bytes this socket's reading made since the last refill while an output file is
    /// behind (see `Limits.readWhileBehindTotal`).
    var outputWhileBehind = 0
    /// `recv N all` in progress on a paused socket: bytes still to read.
    var readAllowance: Int?
    /// Rate sampling.
    var lastSampleIn: UInt64 = 0
    var lastSampleOut: UInt64 = 0
    var lastSampleTime: Int64 = 0
}

/// What `wait`, `expect` and `http` need to know of a socket's traffic.
struct WaitState {
    /// Received bytes not yet consumed by `expect` (bounded per socket and, by `Waits`, in total).
    var expectBuffer = ExpectBuffer(limit: Limits.expectWindowPerSocket)
    /// Flags consumed by `wait`: bytes arrived / a peer was accepted since the last wait.
    var dataSinceWait = false
    var acceptedSinceWait = false
    /// `http`: the first bytes of the response (for the status line); nil when not collecting.
    var responseHead: [UInt8]?
}

/// An outgoing connect in progress: addresses to try, the current one, the deadline.
struct ConnectAttempt {
    var candidates: [SocketAddress] = []
    var index = 0
    /// Monotonic µs.
    var deadline: Int64
    var timeout: Int64
    var from: SocketAddress?
    /// The socket selected before this connect took the selection; it gets it back if the connect fails.
    var selectedBefore: SocketID?
    /// False for a relay's server leg, which never takes the selection.
    var selects = true

    /// The address being tried, if any.
    var current: SocketAddress? { index < candidates.count ? candidates[index] : nil }
}
