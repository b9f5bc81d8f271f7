// StepMode.swift — what the panes show of a socket made one call at a time (PRODUCT.md §7): its
// descriptor, as the seed's `$sock` is one, and whether sockpit treats it as blocking.

/// A step socket's descriptor and mode.
public struct StepMode: Equatable, Sendable {
    /// The descriptor socket(2) or accept(2) returned.
    public var fd: Int32
    /// True as after `socket_create` (PHP's sockets block): `read`, `accept` and `connect` wait
    /// for the kernel, in the loop. `nonblock on` makes them answer at once (EAGAIN, EINPROGRESS).
    /// The kernel socket itself is always O_NONBLOCK: sockpit's one thread never waits in a call.
    public var blocking: Bool

    public init(fd: Int32, blocking: Bool = true) {
        self.fd = fd
        self.blocking = blocking
    }
}
