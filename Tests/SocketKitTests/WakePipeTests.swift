// WakePipeTests.swift — the self-pipe: wake-ups and signal numbers through it, a full pipe never
// blocking, and a real signal routed into it.

import Glibc
import SocketKit
import Testing

@Suite struct WakePipeTests {
    @Test func aWakeMakesTheReadEndReadableAndDrainEmptiesIt() throws {
        let pipe = try WakePipe()
        #expect(waitReady(pipe.readFD, POLLIN, milliseconds: 0) == 0)
        pipe.wake()
        #expect(waitReady(pipe.readFD, POLLIN, milliseconds: 2000) & Int32(POLLIN) != 0)
        #expect(pipe.drain() == []) // a bare wake-up carries no signal
        #expect(waitReady(pipe.readFD, POLLIN, milliseconds: 0) == 0)
    }

    @Test func signalNumbersComeOutInOrderWithoutTheZeros() throws {
        let pipe = try WakePipe()
        pipe.wake(UInt8(SIGTERM))
        pipe.wake()
        pipe.wake(UInt8(SIGINT))
        pipe.wake(UInt8(SIGHUP))
        #expect(pipe.drain() == [SIGTERM, SIGINT, SIGHUP])
        #expect(pipe.drain() == [])
    }

    @Test func aFullPipeNeverBlocksTheWaker() throws {
        let pipe = try WakePipe()
        for _ in 0..<200_000 { pipe.wake() } // far beyond a pipe's 64 KiB: must return, not block
        #expect(pipe.drain() == [])
        #expect(waitReady(pipe.readFD, POLLIN, milliseconds: 0) == 0)
        #expect(fcntl(pipe.readFD, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(pipe.writeFD, F_GETFL) & O_NONBLOCK != 0)
    }

}

/// Serialized: the handler writes to the pipe of the latest `route`, a process-wide setting.
@Suite(.serialized) struct SignalRoutingTests {
    @Test func aSignalSentToTheProcessIsRoutedIntoThePipe() throws {
        let pipe = try WakePipe()
        SignalHandling.route([SIGUSR1], to: pipe)
        kill(getpid(), SIGUSR1)
        let arrived = waitReady(pipe.readFD, POLLIN, milliseconds: 5000) & Int32(POLLIN) != 0
        // Back to the default once the signal is consumed; if it never arrived, ignore it instead so a
        // late delivery cannot terminate the test process.
        signal(SIGUSR1, arrived ? SIG_DFL : SIG_IGN)
        #expect(arrived)
        #expect(pipe.drain() == [SIGUSR1])
    }

    /// Swift Testing's worker threads block most signals, as a parent's mask is inherited across exec:
    /// `route` must unblock what it routes, or the handler is installed but never runs.
    @Test func routeUnblocksTheSignalSoARaiseOnThisThreadArrives() throws {
        var blockUSR2 = sigset_t(), previous = sigset_t()
        sigemptyset(&blockUSR2)
        sigaddset(&blockUSR2, SIGUSR2)
        pthread_sigmask(SIG_BLOCK, &blockUSR2, &previous)
        let pipe = try WakePipe()
        SignalHandling.route([SIGUSR2], to: pipe)
        var now = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &now)
        #expect(sigismember(&now, SIGUSR2) == 0)
        raise(SIGUSR2) // delivered to this thread before raise returns, now that it is unblocked
        let arrived = waitReady(pipe.readFD, POLLIN, milliseconds: 0) & Int32(POLLIN) != 0
        signal(SIGUSR2, arrived ? SIG_DFL : SIG_IGN)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        #expect(arrived)
        #expect(pipe.drain() == [SIGUSR2])
    }
}
