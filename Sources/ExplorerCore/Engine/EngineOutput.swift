// EngineOutput — a stream the program's own output goes to (headless stdout into a pipe), written
// like the record file: without ever waiting for its reader. While the reader is behind, sockpit
// stops reading peers (the kernel holds their bytes), so nothing is lost and nothing freezes.

import Glibc
import SocketKit

/// An output stream the engine writes between wake-ups.
public final class EngineOutput {
    let sink: FileSink
    private var buffer: [UInt8] = []
    private let files: FileWriting
    private let id: Int

    init(fd: Int32, shown: String, system: SystemCalls, files: FileWriting) {
        sink = FileSink(fd: fd, shown: shown, system: system)
        self.files = files
        id = files.add(sink)
        buffer.reserveCapacity(FileSink.chunkSize)
    }

    /// Lets `body` append to the buffer directly; full chunks go to the writer.
    public func withBuffer(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= FileSink.chunkSize { handOver() }
    }

    /// Hands what is buffered to the writer and writes what the reader takes now.
    public func flush() {
        handOver()
        sink.writeSome()
    }

    /// Bytes given in all (taken by the reader or not) and those the reader has not taken yet.
    var bytesGiven: UInt64 { sink.written + UInt64(unwritten) }
    var unwritten: Int { sink.buffered + buffer.count }

    /// True once the reader went away (EPIPE) or a write failed.
    public var broken: Bool { sink.failure != nil }

    /// Writes everything, waiting for the reader at most until `deadline` (monotonic µs); for the
    /// end of the session.
    public func finish(until deadline: Int64) {
        handOver()
        sink.drain(until: deadline)
        files.remove(id)
    }

    /// Onto the end of the sink's newest chunk when it fits (`FileSink.absorb`: a few lines per
    /// wake-up while the reader is behind must not each hold a chunk's capacity).
    private func handOver() {
        guard !buffer.isEmpty else { return }
        if sink.absorb(buffer) {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        sink.append(buffer)
        buffer = []
        buffer.reserveCapacity(FileSink.chunkSize)
    }

    /// True from the moment the reader falls behind until it has caught up (half the buffer).
    private(set) var holding = false

    /// Looks at the reader again; true when `holding` changed.
    func updateHolding() -> Bool {
        let was = holding
        if sink.isBehind { holding = true } else if sink.hasCaughtUp || sink.failure != nil { holding = false }
        return holding != was
    }
}

extension Engine {
    /// Writes the program's output to `fd` (a pipe or socket, made non-blocking) through the
    /// engine's file writer, with the same back-pressure as the record file.
    public func openOutput(fd: Int32, shown: String) -> EngineOutput {
        try? system.setNonBlocking(fd, true)
        let output = EngineOutput(fd: fd, shown: shown, system: system, files: files)
        outputs.append(output)
        return output
    }

    /// Holds every peer's reading while any output (the record file, a headless pipe) is behind;
    /// every `Limits.outputProgressPerRefill` bytes the outputs take let every socket read a little again.
    func updateBackPressure() {
        let written = outputs.reduce(recording.writer?.sink.written ?? 0) { $0 + $1.sink.written }
        if data.sinkBehind, written >= outputProgressMark + UInt64(Limits.outputProgressPerRefill) {
            outputProgressMark = written
            data.refillWhileBehind()
        } else if !data.sinkBehind {
            outputProgressMark = written
        }
        var changed = false
        for output in outputs where output.updateHolding() { changed = true }
        if changed || data.sinkBehind != (recordBehind || outputs.contains { $0.holding }) {
            data.sinkBehind = recordBehind || outputs.contains { $0.holding }
        }
    }
}
