// Recording — the engine's part behind `record FILE`: every entry the log gets is also formatted
// into a file, through a non-blocking writer. When the file cannot keep up, the data path stops
// reading peers (the kernel holds their bytes) until it catches up: nothing is lost, nothing waits.

import Glibc
import SocketKit

/// The record file, while recording.
final class Recording {
    private let log: SessionLog
    private let files: FileWriting
    private let system: SystemCalls
    private(set) var writer: LogFileWriter?
    private var sinkID: Int?
    /// Told the reason when a write fails and recording stops (the engine shows it as the status).
    var failed: ((String) -> Void)?
    /// Told when the file falls behind (true) or catches up (false): the engine holds reads meanwhile.
    var behind: ((Bool) -> Void)?
    private var isBehind = false
    /// The socket table, for a pcapng record's addresses.
    var sockets: LogCapture.Lookup = { _ in nil }

    init(log: SessionLog, files: FileWriting, system: SystemCalls) {
        self.log = log
        self.files = files
        self.system = system
    }

    /// True while `record FILE` streams events to a file.
    var isRecording: Bool { writer != nil }

    /// `record FILE [format]`: replaces any recording in progress. The file is opened without
    /// waiting (a FIFO nobody reads fails at once with ENXIO) and stays non-blocking.
    func start(path: String, format: LogFormat, formatter: LogLineFormatter) throws(CommandError) -> String {
        let fd: Int32
        do {
            fd = try system.openFile(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, shown: Sanitizer.clean(path))
        } catch {
            throw CommandError(error)
        }
        let writer = LogFileWriter(fd: fd, path: path, format: format, formatter: formatter, system: system, sockets: sockets)
        stop()
        self.writer = writer
        sinkID = files.add(writer.sink)
        log.recorder = { [unowned self] entry in
            if let writer = self.writer, !writer.write(entry) { self.writeFailed() }
        }
        log.event(nil, .event, "recording every event to \(Sanitizer.clean(path)) (\(format.rawValue))")
        return "recording to \(Sanitizer.clean(path)) (\(format.rawValue))"
    }

    /// `record off`: the summary, or nil when not recording. What is buffered is written first,
    /// waiting for the file at most `drainLimit`.
    @discardableResult
    func stop(drainLimit: Int64 = 2_000_000) -> String? {
        guard let writer else { return nil }
        writer.handOver()
        writer.sink.drain(until: MonotonicClock.now() + drainLimit)
        detach()
        let summary = "stopped recording to \(Sanitizer.clean(writer.path)): \(Units.counted(writer.entriesWritten, "event")), \(Units.bytes(writer.bytesWritten))"
        if let failure = writer.failure { return summary + " (\(failure.reason))" }
        if writer.sink.buffered > 0 { return summary + " (\(Units.bytes(writer.sink.buffered)) could not be written in time)" }
        return summary
    }

    /// Hands what is formatted to the file (once per loop iteration, when it has taken what it
    /// had) and says whether the file fell behind or caught up.
    func flush() {
        guard let writer else { return }
        writer.handOverWhenIdle()
        if writer.failure != nil {
            writeFailed()
            return
        }
        if !isBehind && writer.sink.isBehind {
            isBehind = true
            behind?(true)
            log.event(nil, .warning, "the record file is behind: sockpit stops reading peers until it catches up")
        } else if isBehind && writer.sink.hasCaughtUp {
            isBehind = false
            behind?(false)
        }
    }

    private func detach() {
        writer = nil
        log.recorder = nil
        if let sinkID { files.remove(sinkID) }
        sinkID = nil
        if isBehind {
            isBehind = false
            behind?(false)
        }
    }

    /// A write to the record file failed: stop recording, say so; the in-memory log is intact.
    private func writeFailed() {
        guard let writer else { return }
        detach()
        let reason = writer.failure.map { "\($0)" } ?? "write \(writer.path) failed"
        log.event(nil, .error, "recording stopped: \(reason)")
        failed?(reason)
    }
}
