// BackgroundWriter.swift — writes chunks to a regular file on a thread of its own. A regular file
// cannot be polled and ignores O_NONBLOCK: write(2) copies into the page cache on the caller's
// CPU, and on a slow disk it waits for writeback. On the loop thread that copy took more time than
// everything else a recorded flood costs; here it runs beside the loop, on the other core.

import Glibc

/// One regular file and the chunks waiting for it, written by a worker thread.
///
/// The loop appends chunks (taken over, not copied) and reads the counters; the worker takes
/// chunks in order and writes each whole. Nothing here blocks the loop: `append` takes a lock
/// held only for queue operations and, when the worker sleeps, writes one byte to its doorbell
/// pipe. The worker wakes the loop through `wake` when the queue empties, when it has caught up
/// from behind (`catchUpLevel`), after each chunk while the loop waits for progress, and on a
/// failure. The file descriptor belongs to the worker once given: it closes it after `finish`.
public final class BackgroundWriter: Sendable {
    private struct State: Sendable {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var written: UInt64 = 0
        var failure: SystemError?
        /// The worker is blocked on its doorbell: the next append rings it.
        var sleeping = false
        /// The owner wants to hear about each chunk written (it holds peers until the file catches up).
        var wantsProgress = false
        var finishing = false
        /// Written chunks kept for the loop to fill again (a fresh buffer costs page faults).
        var spares: [[UInt8]] = []
        /// The worker's write calls, kept for `trace` while `tracing` is on.
        var traces: [TraceRecord] = []
        var tracesLeftOut = 0
        var tracing = false
    }

    private let state = ThreadLock(State())
    private let fd: Int32
    private let shown: String
    private let doorbellRead: Int32
    private let doorbellWrite: Int32
    private let wake: @Sendable () -> Void
    private let catchUpLevel: Int
    private let sparesKept: Int
    private let spareCapacity: ClosedRange<Int>
    /// At most this many trace records wait for the loop; the rest are counted.
    public static let tracesKept = 256

    /// Starts a worker writing to `fd` (shown to the user as `shown`). `wake` is called from the
    /// worker thread. Throws when the doorbell pipe or the thread cannot be made.
    public init(fd: Int32, shown: String, catchUpLevel: Int, sparesKept: Int, spareCapacity: ClosedRange<Int>,
                wake: @escaping @Sendable () -> Void) throws(SystemError) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw SystemError(call: "pipe", code: Glibc.errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        self.fd = fd
        self.shown = shown
        doorbellRead = ends[0]
        doorbellWrite = ends[1]
        self.catchUpLevel = catchUpLevel
        self.sparesKept = sparesKept
        self.spareCapacity = spareCapacity
        self.wake = wake
        guard startDetachedThread({ [self] in work() }) else {
            Glibc.close(ends[0])
            Glibc.close(ends[1])
            throw SystemError(call: "pthread_create", context: shown, code: EAGAIN)
        }
    }

    /// Bytes waiting, written in all, and the first failure (after which nothing is written).
    public var buffered: Int { state.withLock { $0.buffered } }
    public var written: UInt64 { state.withLock { $0.written } }
    public var failure: SystemError? { state.withLock { $0.failure } }
    public var counters: (buffered: Int, written: UInt64, failure: SystemError?) {
        state.withLock { ($0.buffered, $0.written, $0.failure) }
    }

    /// Queues `bytes` after what waits.
    public func append(_ bytes: [UInt8]) {
        let ring: Bool = state.withLock { s in
            guard s.failure == nil, !s.finishing else { return false }
            s.chunks.append(bytes)
            s.buffered += bytes.count
            defer { s.sleeping = false }
            return s.sleeping
        }
        if ring { ringDoorbell() }
    }

    /// An empty buffer with a written chunk's capacity, when one is kept.
    public func takeSpare() -> [UInt8]? {
        state.withLock { $0.spares.popLast() }
    }

    /// Whether the worker wakes the loop after each chunk (while peers are held) or only when it
    /// has caught up, emptied the queue or failed.
    public func setWantsProgress(_ on: Bool) {
        state.withLock { $0.wantsProgress = on }
    }

    /// Turns the recording of the worker's calls for `trace` on or off, and takes what it recorded
    /// (with how many records did not fit).
    public func takeTraces(tracing: Bool) -> (records: [TraceRecord], leftOut: Int) {
        state.withLock { s in
            s.tracing = tracing
            defer {
                s.traces.removeAll()
                s.tracesLeftOut = 0
            }
            return (s.traces, s.tracesLeftOut)
        }
    }

    /// Drops what waits and lets the worker end: it closes the file once its current write returns.
    public func finish() {
        let ring: Bool = state.withLock { s in
            s.finishing = true
            s.chunks.removeAll()
            s.head = 0
            s.buffered = 0
            defer { s.sleeping = false }
            return s.sleeping
        }
        if ring { ringDoorbell() }
    }

    private func ringDoorbell() {
        var one: UInt8 = 1
        // The worker was asleep with an empty pipe: one byte never blocks.
        _ = Glibc.write(doorbellWrite, &one, 1)
    }

    // MARK: The worker

    private enum Next {
        case write([UInt8])
        case sleep
        case end
    }

    private func work() {
        defer {
            Glibc.close(fd)
            Glibc.close(doorbellRead)
            Glibc.close(doorbellWrite)
        }
        while true {
            let next: Next = state.withLock { s in
                if s.finishing { return .end }
                guard s.head < s.chunks.count else {
                    s.sleeping = true
                    return .sleep
                }
                let chunk = s.chunks[s.head]
                s.chunks[s.head] = []
                s.head += 1
                if s.head == s.chunks.count {
                    s.chunks.removeAll(keepingCapacity: true)
                    s.head = 0
                } else if s.head >= 64, s.head * 2 >= s.chunks.count {
                    s.chunks.removeFirst(s.head)
                    s.head = 0
                }
                return .write(chunk)
            }
            switch next {
            case .end:
                return
            case .sleep:
                var byte: UInt8 = 0
                while Glibc.read(doorbellRead, &byte, 1) < 0, Glibc.errno == EINTR {}
            case .write(let chunk):
                if !write(chunk) { return }
            }
        }
    }

    /// Writes all of `chunk`; false after a failure (recorded, the queue dropped, the loop woken).
    private func write(_ chunk: [UInt8]) -> Bool {
        var chunk = chunk
        var offset = 0
        while offset < chunk.count {
            let count = chunk.count - offset
            let result = chunk.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, count) }
            let code = result < 0 ? Glibc.errno : 0
            if result < 0, code == EINTR { continue }
            if result < 0, code == EAGAIN {
                // A regular file never says "not now"; a file system that does gets a moment.
                usleep(1_000)
                continue
            }
            let wakeLoop: Bool = state.withLock { s in
                if s.tracing {
                    let record = TraceRecord(call: "write", arguments: "\(fd), \(count)", result: result, errorCode: result < 0 ? code : nil)
                    if s.traces.count < Self.tracesKept { s.traces.append(record) } else { s.tracesLeftOut += 1 }
                }
                if result < 0 {
                    s.failure = SystemError(call: "write", context: shown, code: code)
                    s.chunks.removeAll()
                    s.head = 0
                    s.buffered = 0
                    return true
                }
                let before = s.buffered
                s.buffered -= result
                s.written += UInt64(result)
                let done = offset + result == chunk.count
                return (done && s.wantsProgress) || s.buffered == 0 || (before >= catchUpLevel && s.buffered < catchUpLevel)
            }
            if wakeLoop { wake() }
            if result < 0 { return false }
            offset += result
        }
        chunk.removeAll(keepingCapacity: true)
        if spareCapacity.contains(chunk.capacity) {
            state.withLock { s in
                if s.spares.count < sparesKept, !s.finishing { s.spares.append(chunk) }
            }
        }
        return true
    }
}
