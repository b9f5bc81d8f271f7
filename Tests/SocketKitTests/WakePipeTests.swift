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

    /// The signal goes to the process (kill), not this thread (raise): Swift Testing's worker threads block
    /// most signals, so a raised one would stay pending here. The main thread takes it and the handler writes.
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
}
