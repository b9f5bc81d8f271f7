// Recording — the engine's part behind `record FILE`: every entry the log gets is also streamed to
// a file, so nothing is lost when the in-memory log wraps.

import Glibc
import SocketKit

/// The record file, while recording.
final class Recording {
    private let log: SessionLog
    private(set) var writer: LogFileWriter?
    /// Told the reason when a write fails and recording stops (the engine shows it as the status).
    var failed: ((String) -> Void)?

    init(log: SessionLog) {
        self.log = log
    }

    /// True while `record FILE` streams events to a file.
    var isRecording: Bool { writer != nil }

    /// `record FILE [format]`: replaces any recording in progress.
    func start(path: String, format: LogFormat, formatter: LogLineFormatter) throws(CommandError) -> String {
        let writer = try LogFileWriter(path: path, format: format, formatter: formatter)
        stop()
        self.writer = writer
        log.recorder = { [unowned self] entry in
            if let writer = self.writer, !writer.write(entry) { self.writeFailed() }
        }
        log.event(nil, .event, "recording every event to \(Sanitizer.clean(path)) (\(format.rawValue))")
        return "recording to \(Sanitizer.clean(path)) (\(format.rawValue))"
    }

    /// `record off`: the summary, or nil when not recording.
    @discardableResult
    func stop() -> String? {
        guard let writer else { return nil }
        self.writer = nil
        log.recorder = nil
        writer.close()
        let summary = "stopped recording to \(Sanitizer.clean(writer.path)): \(writer.entriesWritten) events, \(writer.bytesWritten) bytes"
        if let failure = writer.failure { return summary + " (\(failure.reason))" }
        return summary
    }

    /// Writes buffered data (once per loop iteration and at exit).
    func flush() {
        if let writer, !writer.flush() { writeFailed() }
    }

    /// A write to the record file failed: stop recording, say so; the in-memory log is intact.
    private func writeFailed() {
        guard let writer else { return }
        self.writer = nil
        log.recorder = nil
        let reason = writer.failure.map { "\($0)" } ?? "write \(writer.path) failed"
        writer.close()
        log.event(nil, .error, "recording stopped: \(reason)")
        failed?(reason)
    }
}
