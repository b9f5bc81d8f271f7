// PollCall.swift — `poll(2)` with a zero timeout on one descriptor: whether a read (or accept)
// would find something now. Step mode asks this before a blocking `read` or `accept`, through the
// one traced path, so the trace shows how sockpit waits without blocking its loop.

import Glibc

extension SystemCalls {
    /// True when `fd` is readable now (data, a pending connection, EOF or an error).
    public func isReadable(_ fd: FileDescriptor) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = (try? call("poll", "\(fd), POLLIN, 0") { Glibc.poll(&entry, 1, 0) }) ?? 0
        return ready > 0
    }
}
