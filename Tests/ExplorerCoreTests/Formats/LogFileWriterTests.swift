// LogFileWriterTests — a record file behind its reader gathers small events into whole chunks,
// so what waits costs what the sink counts (not a chunk's capacity per loop iteration), and
// every event still arrives, in order.

@testable import ExplorerCore
import Glibc
import SocketKit
import Testing

@Suite("LogFileWriter")
struct LogFileWriterTests {
    @Test func aFileBehindGathersSmallEventsIntoWholeChunksAndLosesNone() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        let writer = LogFileWriter(fd: ends[1], path: "pipe", format: .jsonl,
                                   formatter: LogLineFormatter(timestamps: .off, start: 0, zone: .utc), system: SystemCalls())
        let events = 40_000
        // One small event per loop iteration, as a UDP flood makes them, into a pipe nobody reads.
        for index in 0..<events {
            writer.write(LogEntry(time: Int64(index), socket: SocketID(index + 1), kind: .recv, bytes: [UInt8(truncatingIfNeeded: index)]))
            writer.handOverWhenIdle()
            writer.sink.writeSome()
        }
        let waiting = writer.sink.buffered
        #expect(waiting > 4 * FileSink.chunkSize, "\(waiting) bytes waiting")
        // Whole chunks, not one part-filled chunk per iteration (that was 40,000 of 256 KiB each).
        #expect(writer.sink.queuedChunks <= waiting / FileSink.chunkSize + 2, "\(writer.sink.queuedChunks) chunks for \(waiting) bytes")

        // The reader comes back: every event arrives, in order.
        writer.handOver()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for _ in 0..<100_000 where writer.sink.buffered > 0 || received.last != UInt8(ascii: "\n") {
            writer.sink.writeSome()
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count > 0 { received += buffer[0..<count] }
            if writer.sink.buffered == 0 && count <= 0 { break }
        }
        let lines = received.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == events)
        // Each event's socket id is its number: the ids come back 1, 2, 3, … with none missing.
        let ids = lines.compactMap { line in
            (try? Array(line).withUnsafeBufferPointer { JSONFields.parse($0) }.get())?.integer("id")
        }
        #expect(ids == Array(1...events), "first: \(ids.prefix(3)), count \(ids.count)")
    }
}
