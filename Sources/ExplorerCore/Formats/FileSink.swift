// FileSink — a file sockpit writes without ever waiting for it (`record`, `save`): bytes go into a
// bounded buffer and leave as the file takes them, a pipe or socket when epoll says it is writable,
// a regular file in chunks between wake-ups. The owner asks `isBehind` to apply back-pressure.

import DequeModule
import Glibc
import SocketKit

/// One open output file and the bytes waiting for it.
final class FileSink {
    /// The path as shown to the user (sanitized).
    let shown: String
    let fd: Int32
    /// A pipe, socket or device: epoll can say when it takes bytes. A regular file cannot be
    /// polled; it is written a chunk per wake-up instead.
    let pollable: Bool
    private let system: SystemCalls
    private var chunks: Deque<[UInt8]> = []
    private var firstOffset = 0
    /// Written chunks kept for reuse (`takeSpare`): a fresh 256 KiB buffer per hand-over costs
    /// page faults and zeroed pages, as much as formatting a flood's JSON lines.
    private var spares: [[UInt8]] = []
    static let sparesKept = 4
    /// Bytes waiting.
    private(set) var buffered = 0
    /// Bytes the file took.
    private(set) var written: UInt64 = 0
    /// The first failure; once set, nothing more is written.
    private(set) var failure: SystemError?
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

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// More bytes are waiting than the writer may hold: the owner stops what produces them.
    var isBehind: Bool { buffered >= Limits.fileWriterBuffer }
    /// Caught up enough to let producers go again.
    var hasCaughtUp: Bool { buffered < Limits.fileWriterBuffer / 2 }

    /// Adds bytes at the end (taken over, not copied).
    func append(_ bytes: [UInt8]) {
        guard failure == nil, !bytes.isEmpty else { return }
        chunks.append(bytes)
        buffered += bytes.count
    }

    /// An empty buffer with room for a chunk: a written one when there is one.
    func takeSpare() -> [UInt8] {
        if let spare = spares.popLast() { return spare }
        var fresh: [UInt8] = []
        fresh.reserveCapacity(Self.chunkSize)
        return fresh
    }

    /// Writes what the file takes now, up to `budget` bytes. Returns false once writing failed.
    @discardableResult
    func writeSome(budget: Int = FileSink.writeBudget) -> Bool {
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
                failure = error
                chunks.removeAll()
                buffered = 0
                return false
            }
            guard let count = result, count > 0 else {
                waitingForWritable = true
                break
            }
            lastProgress = MonotonicClock.now()
            written += UInt64(count)
            buffered -= count
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
    @discardableResult
    func drain(until deadline: Int64) -> Bool {
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
        failure = SystemError(call: "write", context: shown, code: ETIMEDOUT,
                              message: "the reader took nothing for \(Units.duration(FileSink.stallLimit))")
        chunks.removeAll()
        buffered = 0
    }
}
