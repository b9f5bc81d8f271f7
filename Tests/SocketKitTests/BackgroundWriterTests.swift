// BackgroundWriterTests.swift — the writer thread of regular files: every byte in order, the loop
// woken when the queue empties, a failure said once with its errno and nothing queued after it,
// the file closed by the thread after `finish`, and its write calls kept for `trace`.

import Glibc
import SocketKit
import Synchronization
import Testing

@Suite struct BackgroundWriterTests {
    private final class WakeCount: Sendable {
        let count = Atomic<Int>(0)
    }

    private static func make(fd: Int32, shown: String, wakes: WakeCount) throws -> BackgroundWriter {
        try BackgroundWriter(fd: fd, shown: shown, catchUpLevel: 1 << 20, sparesKept: 4, spareCapacity: 1 ... (1 << 20),
                             wake: { wakes.count.add(1, ordering: .relaxed) })
    }

    /// Waits (at most `seconds`) for `condition`.
    private static func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            usleep(1_000)
        }
        return true
    }

    @Test func everyChunkReachesTheFileInOrder() throws {
        let path = "/tmp/sockpit-background-writer-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        let wakes = WakeCount()
        let writer = try Self.make(fd: fd, shown: path, wakes: wakes)
        var expected: [UInt8] = []
        for index in 0 ..< 200 {
            // Sizes from 1 byte to ~200 KiB, each chunk's bytes telling it apart from its neighbours.
            let chunk = (0 ..< (index * 997 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            expected += chunk
            writer.append(chunk)
        }
        #expect(Self.eventually { writer.buffered == 0 })
        #expect(writer.written == UInt64(expected.count))
        #expect(writer.failure == nil)
        #expect(wakes.count.load(ordering: .relaxed) >= 1, "the loop is woken when the queue has emptied")
        writer.finish()
        let file = open(path, O_RDONLY | O_CLOEXEC)
        try #require(file >= 0)
        defer { close(file) }
        var back = [UInt8](repeating: 0, count: expected.count + 1)
        var total = 0
        while total < back.count {
            let count = back.withUnsafeMutableBytes { read(file, $0.baseAddress! + total, $0.count - total) }
            if count <= 0 { break }
            total += count
        }
        #expect(total == expected.count)
        #expect(Array(back[0 ..< total]) == expected)
    }

    @Test func aFailureIsSaidOnceAndNothingIsQueuedAfterIt() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        let wakes = WakeCount()
        let writer = try Self.make(fd: fd, shown: "/dev/full", wakes: wakes)
        writer.append([UInt8](repeating: 7, count: 4096))
        writer.append([UInt8](repeating: 8, count: 4096))
        #expect(Self.eventually { writer.failure != nil })
        #expect(writer.failure?.description == "write /dev/full: ENOSPC (No space left on device)")
        #expect(writer.buffered == 0, "what waited is dropped")
        #expect(wakes.count.load(ordering: .relaxed) >= 1, "the loop hears of the failure")
        writer.append([1, 2, 3])
        #expect(writer.buffered == 0)
        #expect(writer.written == 0)
        writer.finish()
    }

    @Test func finishClosesTheFileOnceTheCurrentWriteReturns() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(ends[0]) }
        let writer = try Self.make(fd: ends[1], shown: "pipe", wakes: WakeCount())
        writer.append([UInt8](repeating: 1, count: 10))
        writer.finish()
        // The reader sees what was written (if the thread got to it first) and then end of file:
        // the thread closed its end.
        var poller = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        var sawEnd = false
        var bytes = 0
        for _ in 0 ..< 100 where !sawEnd {
            guard poll(&poller, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count == 0 { sawEnd = true } else if count > 0 { bytes += count }
        }
        #expect(sawEnd)
        #expect(bytes == 0 || bytes == 10)
    }

    @Test func itsWriteCallsAreKeptForTraceWhileTracing() throws {
        let fd = open("/dev/null", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        let writer = try Self.make(fd: fd, shown: "/dev/null", wakes: WakeCount())
        defer { writer.finish() }
        writer.append([1, 2, 3])
        #expect(Self.eventually { writer.buffered == 0 })
        #expect(writer.takeTraces(tracing: true).records.isEmpty, "nothing is kept while tracing is off")
        writer.append([UInt8](repeating: 0, count: 5))
        #expect(Self.eventually { writer.buffered == 0 })
        let (records, leftOut) = writer.takeTraces(tracing: true)
        #expect(records.map(\.description) == ["write(\(fd), 5) = 5"])
        #expect(leftOut == 0)
    }
}
