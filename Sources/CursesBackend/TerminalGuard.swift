// Giving the terminal back on every way out: crash signals, atexit, and stderr held while the screen is up.
import CNCurses
import Glibc
import Synchronization

/// What the crash handlers need, in memory allocated once per process and never freed, so a
/// handler can reach it with nothing but an atomic load (no locks, no allocation, no Swift
/// runtime calls — the only things allowed in a signal handler).
private struct GuardState {
    /// The terminal modes from before ncurses changed them.
    var savedModes = termios()
    /// A dup of the original stderr while fd 2 points at `capture`; -1 otherwise.
    var realStderr: Int32 = -1
    /// A memfd that collects stderr while the screen is up; -1 when not capturing.
    var capture: Int32 = -1
    /// The actions that were installed before ours, one per `TerminalGuard.crashSignals` entry.
    var previous: UnsafeMutablePointer<sigaction>
    /// Scratch space for copying the captured stderr out.
    var buffer: UnsafeMutableRawPointer
    /// An instance field, not a static: a static is a lazily initialised global, not to be
    /// touched for the first time inside a signal handler.
    var bufferSize: Int
    /// The precomputed escape sequences that undo what a full-screen program turns on.
    var reset: UnsafeMutablePointer<UInt8>
    var resetCount: Int
}

/// Address of the process's `GuardState` (0 before the first session).
private let guardStateAddress = Atomic<Int>(0)
/// True while the screen is up and must be given back; whoever swaps it to false restores.
private let screenIsUp = Atomic<Bool>(false)

/// Restores the terminal from any exit path. All entry points race for `screenIsUp`, so exactly
/// one restores, whichever comes first (normal quit, atexit, a crash on another thread).
enum TerminalGuard {
    /// Signals that mean the process is about to die with the screen up.
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// Leave the alternate screen, show the cursor, reset attributes, turn off mouse reporting,
    /// bracketed paste and keypad-transmit mode. Written raw because terminfo cannot be consulted in a signal handler;
    /// these are understood by every terminal ncurses' xterm-like entries describe.
    static let resetSequence = "\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1l\u{1B}>\u{1B}[?1049l"

    /// Records the terminal modes, installs the crash handlers and the atexit hook (once per
    /// process), and optionally diverts stderr into a memfd. Call after ncurses has started.
    static func arm(savedModes: termios, captureStandardError: Bool) {
        let state = stateOnce()
        state.pointee.savedModes = savedModes
        if captureStandardError { startCapture(state) }
        screenIsUp.store(true, ordering: .releasing)
    }

    /// The normal way back: `endwin`, then stderr restored and what was captured replayed.
    /// Returns false when there was nothing to restore (idempotence).
    @discardableResult
    static func disarm() -> Bool {
        guard screenIsUp.exchange(false, ordering: .acquiringAndReleasing) else { return false }
        endwin()
        if let state = currentState() { stopCapture(state) }
        return true
    }

    /// The async-signal-safe way back (crash handlers; also public for a program's own fatal
    /// signal paths): raw reset sequence, saved termios, stderr replayed.
    static func restoreFromSignal() {
        guard screenIsUp.exchange(false, ordering: .acquiringAndReleasing), let state = currentState() else { return }
        writeAll(1, state.pointee.reset, state.pointee.resetCount)
        _ = tcsetattr(0, TCSANOW, &state.pointee.savedModes)
        stopCapture(state)
    }

    private static func currentState() -> UnsafeMutablePointer<GuardState>? {
        UnsafeMutablePointer(bitPattern: guardStateAddress.load(ordering: .acquiring))
    }

    /// Allocates the state and installs the handlers the first time; later sessions reuse both.
    private static func stateOnce() -> UnsafeMutablePointer<GuardState> {
        if let state = currentState() { return state }
        let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: resetSequence.utf8.count)
        _ = UnsafeMutableBufferPointer(start: reset, count: resetSequence.utf8.count).initialize(from: resetSequence.utf8)
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: crashSignals.count)
        previous.initialize(repeating: sigaction(), count: crashSignals.count)
        let bufferSize = 4096
        let state = UnsafeMutablePointer<GuardState>.allocate(capacity: 1)
        state.initialize(to: GuardState(
            previous: previous,
            buffer: UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16), bufferSize: bufferSize,
            reset: reset, resetCount: resetSequence.utf8.count))
        // Publish before installing: the handlers find the state through this address.
        guardStateAddress.store(Int(bitPattern: state), ordering: .releasing)
        _ = screenIsUp.load(ordering: .relaxed)  // Swift globals initialise lazily: not inside a handler
        installAlternateStack()
        installCrashHandlers(previous: previous)
        atexit { TerminalGuard.disarm() }
        return state
    }

    /// Our handler for each crash signal, remembering the previous action (Swift's backtracer
    /// installs one at start-up) so it still runs, on a restored screen.
    private static func installCrashHandlers(previous: UnsafeMutablePointer<sigaction>) {
        for (index, signal) in crashSignals.enumerated() {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = crashHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_ONSTACK)
            sigaction(signal, &action, previous + index)
            // An ignored crash signal would make a faulting instruction loop forever: default it.
            if unsafeBitCast(previous[index].__sigaction_handler.sa_handler, to: Int.self) == 1 {  // SIG_IGN
                previous[index].__sigaction_handler.sa_handler = nil  // SIG_DFL
            }
        }
    }

    /// A stack for signal handlers so a stack overflow's SIGSEGV can still restore the terminal,
    /// unless the runtime already set one up.
    private static func installAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        var stack = stack_t(ss_sp: UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16),
                            ss_flags: 0, ss_size: size)
        sigaltstack(&stack, nil)
    }

    /// Points fd 2 at a fresh memfd, keeping the real stderr. Anything written while the screen
    /// is up (a Swift runtime `Fatal error:` message above all) would otherwise be painted over
    /// the alternate screen and vanish with it; this way it is printed after the screen is gone.
    private static func startCapture(_ state: UnsafeMutablePointer<GuardState>) {
        let capture = memfd_create("sockpit-stderr", SP_MFD_CLOEXEC)
        guard capture >= 0 else { return }
        let real = fcntl(2, F_DUPFD_CLOEXEC, 3)
        guard real >= 0, dup2(capture, 2) == 2 else {
            close(capture)
            if real >= 0 { close(real) }
            return
        }
        state.pointee.capture = capture
        state.pointee.realStderr = real
    }

    /// Puts the real stderr back and copies out what was captured. Async-signal-safe.
    private static func stopCapture(_ state: UnsafeMutablePointer<GuardState>) {
        let capture = state.pointee.capture, real = state.pointee.realStderr
        guard capture >= 0, real >= 0 else { return }
        state.pointee.capture = -1
        state.pointee.realStderr = -1
        _ = dup2(real, 2)
        close(real)
        _ = lseek(capture, 0, SEEK_SET)
        while true {
            let n = read(capture, state.pointee.buffer, state.pointee.bufferSize)
            if n <= 0 { break }
            writeAll(2, state.pointee.buffer.assumingMemoryBound(to: UInt8.self), n)
        }
        close(capture)
    }

    fileprivate static func previousAction(for signal: Int32) -> UnsafeMutablePointer<sigaction>? {
        guard let state = currentState() else { return nil }
        // A switch rather than `crashSignals.firstIndex`: no array access inside a handler.
        switch signal {
        case SIGSEGV: return state.pointee.previous + 0
        case SIGBUS: return state.pointee.previous + 1
        case SIGILL: return state.pointee.previous + 2
        case SIGTRAP: return state.pointee.previous + 3
        case SIGFPE: return state.pointee.previous + 4
        case SIGABRT: return state.pointee.previous + 5
        default: return nil
        }
    }
}

/// Restores the terminal, lets the previous action run (Swift's backtracer prints its report on
/// the now sane screen), then dies of the same signal with the default action, so the exit
/// status and core dump are what they would have been without us.
///
/// The previous handler is run by re-raising with the signal unblocked rather than by returning:
/// returning only works for a faulting instruction that faults again, not for `kill -SEGV` or a
/// handler that returns, which would leave the program running with its screen torn down.
private func crashHandler(_ signal: Int32) {
    TerminalGuard.restoreFromSignal()
    var only = sigset_t()
    sigemptyset(&only)
    sigaddset(&only, signal)
    if let previous = TerminalGuard.previousAction(for: signal) {
        sigaction(signal, previous, nil)
        raise(signal)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)  // delivered here, to the previous action
    }
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
    pthread_sigmask(SIG_UNBLOCK, &only, nil)
}

/// `write` until done, retrying EINTR; errors are ignored (there is nobody left to tell).
private func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) {
    var offset = 0
    while offset < count {
        let n = write(fd, bytes + offset, count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}
