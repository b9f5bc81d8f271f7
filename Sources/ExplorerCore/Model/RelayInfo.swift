// RelayInfo — what the panes, `info` and the log know of a relay: a relay listener's target and
// pair count, a leg's partner and side, intercept and what it holds; and the direction mark a
// relayed chunk carries in the log (Wireshark's Follow Stream colours).

import SocketKit

/// Which way a relayed chunk goes.
public enum RelayDirection: String, Equatable, Sendable, CaseIterable {
    /// From the relay's client to the server it connects to (`intercept … up`).
    case up = "client→server"
    /// From the server back to the client (`intercept … down`).
    case down = "server→client"

    /// `c→s` / `s→c`, for log headers.
    public var short: String { self == .up ? "c→s" : "s→c" }
}

/// A relayed chunk's place in its conversation: the direction and the leg it is forwarded to.
public struct RelayMark: Equatable, Sendable {
    public var direction: RelayDirection
    /// The other leg of the pair (where the chunk goes).
    public var partner: SocketID
    /// Held by `intercept` when it arrived: it reaches the partner only when forwarded (then as a
    /// send of its own on the partner), or never when dropped.
    public var held: Bool

    public init(direction: RelayDirection, partner: SocketID, held: Bool = false) {
        self.direction = direction
        self.partner = partner
        self.held = held
    }
}

/// Which directions `intercept` holds.
public enum InterceptMode: String, Equatable, Sendable, CaseIterable {
    case off, on, up, down

    /// True when chunks going `direction` are held.
    public func holds(_ direction: RelayDirection) -> Bool {
        switch self {
        case .off: false
        case .on: true
        case .up: direction == .up
        case .down: direction == .down
        }
    }
}

/// A relay as the user sees it, on its listener and on each leg.
public struct RelayInfo: Equatable, Sendable {
    /// Which socket of a relay this is.
    public enum Part: Equatable, Sendable {
        /// The relay's listener: where it connects each client to.
        case listener(target: String)
        /// The leg facing the relay's client (accepted) or the server (connected).
        case clientLeg(partner: SocketID?)
        case serverLeg(partner: SocketID)
    }

    public var part: Part
    /// The relay listener this belongs to (itself for the listener).
    public var listener: SocketID
    /// Listener: pairs open now.
    public var pairs = 0
    /// What `intercept` holds on this pair (on the listener: for pairs to come).
    public var intercept: InterceptMode = .off
    /// Chunks read from this leg held by intercept, and their bytes.
    public var heldChunks = 0
    public var heldBytes = 0
    /// A UDP server leg: the client address it answers.
    public var client: SocketAddress?

    public init(part: Part, listener: SocketID) {
        self.part = part
        self.listener = listener
    }

    /// The other leg, for a leg whose partner exists.
    public var partner: SocketID? {
        switch part {
        case .listener: nil
        case .clientLeg(let partner): partner
        case .serverLeg(let partner): partner
        }
    }

    /// The direction of chunks read from this leg (nil on the listener).
    public var readDirection: RelayDirection? {
        switch part {
        case .listener: nil
        case .clientLeg: .up
        case .serverLeg: .down
        }
    }
}
