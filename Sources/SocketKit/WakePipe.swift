// WakePipe.swift — the self-pipe that wakes the event loop: signal handlers and the resolver
// thread write one byte; the loop reads them. The only cross-thread path into the loop.

import CSocketKit
import Glibc
import Synchronization

/// A non-blocking pipe whose read end sits in the epoll set.
///
/// Bytes 1…64 are signal numbers written by `SignalHandling`'s handler; byte 0 means "work was
/// posted" (a finished name lookup).
public final class WakePipe: Sendable {
    public let readFD: Int32
    public let writeFD: Int32

    public init() throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        guard csk_pipe_nonblocking(&fds) == 0 else { throw SystemError(call: "pipe2", code: Glibc.errno) }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    /// Wakes the loop (from any thread). A full pipe already guarantees a wake-up, so EAGAIN is fine.
    public func wake(_ byte: UInt8 = 0) {
        var value = byte
        _ = Glibc.write(writeFD, &value, 1)
    }

    /// Reads every pending byte; returns the signal numbers seen (0s dropped).
    public func drain() -> [Int32] {
        var signals: [Int32] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            for byte in chunk[0..<count] where byte != 0 { signals.append(Int32(byte)) }
        }
        return signals
    }
}

/// Routes SIGINT, SIGTERM and SIGHUP (and any others asked for) into a `WakePipe`.
///
/// A signal handler may only do async-signal-safe things: this one reads an atomic and calls
/// write(2). The atomic is touched before the handler is installed, since Swift globals are
/// initialised lazily and lazy initialisation is not signal-safe.
public enum SignalHandling {
    private static let pipeFD = Atomic<Int32>(-1)

    /// Sends each of `signals` to `pipe` as one byte (the signal number), and unblocks them in the
    /// calling thread (the loop's).
    ///
    /// The signal mask survives exec: a parent that spawns us from a thread blocking SIGTERM (test
    /// runners' worker threads do, so do some supervisors) would otherwise leave the handler
    /// installed but never called, and `kill PID` would do nothing at all.
    public static func route(_ signals: [Int32], to pipe: WakePipe) {
        pipeFD.store(pipe.writeFD, ordering: .sequentiallyConsistent)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in signals {
            csk_set_signal_handler(sig, { sig in
                let fd = SignalHandling.pipeFD.load(ordering: .relaxed)
                if fd >= 0 {
                    var byte = UInt8(truncatingIfNeeded: sig)
                    _ = Glibc.write(fd, &byte, 1)
                }
            }, 0)  // no SA_RESTART: a blocking call a signal interrupts returns EINTR, and the loop sees the signal
            sigaddset(&unblock, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Ignores SIGPIPE process-wide: a write to a closed peer must be an EPIPE value, not death.
    public static func ignoreBrokenPipe() {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }
}
