// FileSink — a file sockpit writes without ever waiting for it (`record`, `save`): bytes go into a
// bounded buffer and leave as the file takes them, a pipe or socket when epoll says it is writable,
// a regular file on a writer thread of its own (`BackgroundWriter`) once the sink is in
// `FileWriting`. The owner asks `isBehind` to apply back-pressure.

import DequeModule
import Glibc
import SocketKit

/// One open output file and the bytes waiting for it.
final class FileSink {
    /// The path as shown to the user (sanitized).
    let shown: String
    let fd: Int32
    /// A pipe, socket or device: epoll can say when it takes bytes. A regular file cannot be
    /// polled; it is written by a `BackgroundWriter` instead (or a chunk per wake-up when no
    /// thread could be started).
    let pollable: Bool
    /// The writer thread of a regular file; it owns `fd` from then on.
    private var background: BackgroundWriter?
    /// `written` when last looked at, to see a background writer's progress.
    private var writtenSeen: UInt64 = 0
    private let system: SystemCalls
    private var chunks: Deque<[UInt8]> = []
    private var firstOffset = 0
    /// Written chunks kept for reuse (`takeSpare`): a fresh 256 KiB buffer per hand-over costs
    /// page faults and zeroed pages, as much as formatting a flood's JSON lines. Eight: a writer
    /// thread hands them back one by one while the loop may take several per wake-up.
    private var spares: [[UInt8]] = []
    static let sparesKept = 8
    /// Bytes waiting (loop-written sinks).
    private var bufferedHere = 0
    /// Bytes the file took from the loop (all of them, unless a writer thread took over).
    private var writtenHere: UInt64 = 0
    /// The first failure seen on the loop (or by `giveUp`).
    private var failureHere: SystemError?
    /// Bytes waiting.
    var buffered: Int { background?.buffered ?? bufferedHere }
    /// Bytes the file took.
    var written: UInt64 { writtenHere + (background?.written ?? 0) }
    /// The first failure; once set, nothing more is written.
    var failure: SystemError? { failureHere ?? background?.failure }
    /// True after a write was refused for now (EAGAIN): wait for writability.
    private(set) var waitingForWritable = false
    /// When the file last took bytes (monotonic µs), for giving up on a reader that takes none.
    private(set) var lastProgress = MonotonicClock.now()

    /// A chunk handed over when the buffer being filled grows past this.
    static let chunkSize = 256 << 10
    /// Bytes written per call of `writeSome` on a regular file (one wake-up's share).
    static let writeBudget = 4 << 20
    /// How long a reader may take nothing while bytes wait before the file counts as failed.
    static let stallLimit: Int64 = 30_000_000

    /// Takes over `fd` (opened non-blocking), writing to it as `shown`.
    init(fd: Int32, shown: String, system: SystemCalls) {
        self.fd = fd
        self.shown = shown
        self.system = system
        var info = stat()
        let type = fstat(fd, &info) == 0 ? info.st_mode & S_IFMT : S_IFREG
        pollable = type != S_IFREG
    }

    deinit {
        if let background {
            background.finish()  // the writer closes the file once its current write returns
        } else if fd >= 0 {
            Glibc.close(fd)
        }
    }

    /// A regular file gets a writer thread: its writes (page-cache copies, or waits for a slow
    /// disk) no longer take the loop's time. What is buffered so far moves to it. Without a
    /// thread the loop goes on writing it a chunk per wake-up.
    func moveToBackground(wake: @escaping @Sendable () -> Void) {
        guard !pollable, background == nil, failureHere == nil else { return }
        let writer: BackgroundWriter
        do {
            writer = try BackgroundWriter(fd: fd, shown: shown, catchUpLevel: Limits.fileWriterBuffer / 2, sparesKept: Self.sparesKept,
                                          spareCapacity: Self.chunkSize ... 4 * Self.chunkSize, wake: wake)
        } catch {
            return
        }
        // The thread records its writes for `trace` only once told tracing is on; tell it before
        // the first chunk, or a short file (a `save`) is written before the loop first asks.
        _ = writer.takeTraces(tracing: system.tracer != nil)
        if firstOffset > 0, let first = chunks.popFirst() {
            bufferedHere -= first.count - firstOffset
            writer.append(Array(first[firstOffset...]))
            firstOffset = 0
        }
        while let chunk = chunks.popFirst() { writer.append(chunk) }
        background = writer
        bufferedHere = 0
    }

    /// Chunks waiting on the loop's side (each holds a chunk's capacity; tests).
    var queuedChunks: Int { chunks.count }

    /// True when a writer thread writes the file.
    var writesInBackground: Bool { background != nil }

    /// More bytes are waiting than the writer may hold: the owner stops what produces them.
    var isBehind: Bool { buffered >= Limits.fileWriterBuffer }
    /// Caught up enough to let producers go again.
    var hasCaughtUp: Bool { buffered < Limits.fileWriterBuffer / 2 }

    /// Adds bytes at the end (taken over, not copied).
    func append(_ bytes: [UInt8]) {
        guard failure == nil, !bytes.isEmpty else { return }
        if let background { return background.append(bytes) }
        chunks.append(bytes)
        bufferedHere += bytes.count
    }

    /// Copies `bytes` onto the end of the newest waiting chunk when they fit in its capacity (a
    /// loop-written sink only); false when they must go as a chunk of their own. Handed over once
    /// per loop iteration while the file is behind, a few events each time, every part-filled
    /// chunk would hold a whole chunk's capacity: the sink counts bytes, and in the soak 8 MiB of
    /// them held 47 MiB that way. Copied together, the chunks are full.
    func absorb(_ bytes: [UInt8]) -> Bool {
        guard background == nil, failure == nil, bytes.count < Self.chunkSize / 2, let last = chunks.last,
              last.count + bytes.count <= max(last.capacity, Self.chunkSize) else { return false }
        chunks[chunks.index(before: chunks.endIndex)].append(contentsOf: bytes)
        bufferedHere += bytes.count
        return true
    }

    /// An empty buffer with room for a chunk: a written one when there is one.
    func takeSpare() -> [UInt8] {
        if let spare = background?.takeSpare() ?? spares.popLast() { return spare }
        var fresh: [UInt8] = []
        fresh.reserveCapacity(Self.chunkSize)
        return fresh
    }

    /// Writes what the file takes now, up to `budget` bytes. Returns false once writing failed.
    @discardableResult
    func writeSome(budget: Int = FileSink.writeBudget) -> Bool {
        if let background { return takeProgress(of: background) }
        guard failure == nil else { return false }
        var left = budget
        waitingForWritable = false
        while left > 0, let first = chunks.first {
            let outcome: Result<Int?, SystemError> = first.withUnsafeBytes { raw in
                let end = left >= raw.count - firstOffset ? raw.count : firstOffset + left
                let slice = UnsafeRawBufferPointer(rebasing: raw[firstOffset..<end])
                do throws(SystemError) {
                    return .success(try system.write(fd, slice, shown: shown))
                } catch {
                    return .failure(error)
                }
            }
            let result: Int?
            switch outcome {
            case .success(let count): result = count
            case .failure(let error):
                failureHere = error
                chunks.removeAll()
                bufferedHere = 0
                return false
            }
            guard let count = result, count > 0 else {
                waitingForWritable = true
                break
            }
            lastProgress = MonotonicClock.now()
            writtenHere += UInt64(count)
            bufferedHere -= count
            left -= count
            firstOffset += count
            if firstOffset == first.count {
                var done = chunks.removeFirst()
                firstOffset = 0
                if spares.count < Self.sparesKept, done.capacity >= Self.chunkSize, done.capacity <= 4 * Self.chunkSize {
                    done.removeAll(keepingCapacity: true)
                    spares.append(done)
                }
            }
        }
        return true
    }

    /// Writes everything, waiting for the file (poll) at most until `deadline` (monotonic µs):
    /// for the end of a session, when nothing else runs. Returns false when bytes are left or it failed.
    /// A background writer's side of `writeSome`: its progress noted and its calls shown in
    /// `trace` (the thread cannot call the tracer, which belongs to the loop).
    @discardableResult
    private func takeProgress(of background: BackgroundWriter) -> Bool {
        let (records, leftOut) = background.takeTraces(tracing: system.tracer != nil)
        if let tracer = system.tracer {
            for record in records { tracer(record) }
            if leftOut > 0 { tracer(TraceRecord(call: "write", arguments: "\(fd), … (\(leftOut) more writes by the writer thread)", result: 0, errorCode: nil)) }
        }
        let (waiting, written, failure) = background.counters
        if written != writtenSeen || waiting == 0 {  // (the thread's count: `writtenSeen` starts at 0 with it)
            writtenSeen = written
            lastProgress = MonotonicClock.now()
        }
        return failureHere == nil && failure == nil
    }

    @discardableResult
    func drain(until deadline: Int64) -> Bool {
        if let background {
            while background.buffered > 0, failure == nil, MonotonicClock.now() < deadline { usleep(1_000) }
            takeProgress(of: background)
            return failure == nil && buffered == 0
        }
        while buffered > 0, failure == nil {
            writeSome(budget: .max)
            guard buffered > 0, failure == nil else { break }
            let now = MonotonicClock.now()
            if now >= deadline { return false }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, Int32(min(100, (deadline - now) / 1000 + 1)))
        }
        return failure == nil && buffered == 0
    }

    /// Marks the file failed because its reader took nothing for too long.
    func giveUp() {
        failureHere = SystemError(call: "write", context: shown, code: ETIMEDOUT,
                                  message: "the reader took nothing for \(Units.duration(FileSink.stallLimit))")
        chunks.removeAll()
        bufferedHere = 0
        background?.finish()
    }
}
