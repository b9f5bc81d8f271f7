// DetachedThread.swift — the POSIX threads SocketKit starts (name lookups, background file
// writers); SocketKit avoids Foundation's Thread.

import Glibc

private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a detached POSIX thread running `body`; false when the system has no thread to give.
func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
        let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
        body.run()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}

/// Starts a detached thread running `body`, or runs it inline when there is no thread to be had
/// (that blocks the caller, but only when the system is out of threads; the work is not lost).
func spawnDetachedThread(_ body: @escaping @Sendable () -> Void) {
    if !startDetachedThread(body) { body() }
}
