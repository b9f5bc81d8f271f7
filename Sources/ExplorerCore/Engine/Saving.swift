// Saving — `save FILE`: the kept log written atomically (temp file, fsync, rename) as an operation
// that formats and writes a slice per wake-up, so a large log or a slow pipe never holds the loop;
// and the engine's face of `record FILE` (the Recording part does the work).

import Glibc
import SocketKit

extension Engine {
    /// The formatter for the current settings.
    public var lineFormatter: LogLineFormatter { LogLineFormatter(timestamps: settings.timestamps, start: startTime) }

    /// True while `record FILE` streams events to a file.
    public var isRecording: Bool { recording.isRecording }

    /// `record FILE [format]`.
    func startRecording(path: String, format: LogFormat) throws(CommandError) -> String {
        try recording.start(path: path, format: format, formatter: lineFormatter)
    }

    /// `record off`.
    @discardableResult
    func stopRecording() -> String? { recording.stop() }

    /// Writes buffered recording data (called once per loop iteration and at exit).
    public func flushRecording() { recording.flush() }

    /// Bytes formatted per wake-up while saving, so a save shares the loop with everything else.
    static let saveSliceBytes = 1 << 20

    /// `save FILE [format]`: the kept log, written to a temporary file and renamed into place, so
    /// the file is either the old one or the whole new one, never half written. A FILE that exists
    /// and is not a regular file (`/dev/stdout`, a pipe) is written into directly: renaming over a
    /// device would replace the device node itself. Everything opens without waiting (a FIFO
    /// nobody reads fails at once with ENXIO) and is written as the file takes it.
    ///
    /// `keep` chooses the entries (what the screen's filter shows, or one stream for `raw`); `raw`
    /// writes their bytes alone, exactly as they went over the socket.
    func save(path: String, format: LogFormat, raw: Bool = false, keep: ((LogEntry) -> Bool)? = nil,
              origin: CommandOrigin) throws(CommandError) -> Outcome {
        let shown = Sanitizer.clean(path)
        let special = Engine.isSpecialFile(path)
        let temporary = special ? nil : "\(path).sockpit-\(getpid()).tmp"
        let fd: Int32
        do {
            fd = try system.openFile(temporary ?? path, special ? O_WRONLY | O_NONBLOCK | O_CLOEXEC
                                         : O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, shown: shown)
        } catch {
            throw CommandError(error.renamed(call: "save"))
        }
        let snapshot = log
        let writer = LogFileWriter(fd: fd, path: path, format: format, formatter: lineFormatter, system: system,
                                   sockets: { [unowned self] id in self.table[id] })
        let sinkID = files.add(writer.sink)
        files.setProducing(sinkID, true)
        var next = 0
        let finish: (SystemError?) -> Status = { [unowned self] failure in
            self.files.remove(sinkID)
            var failure = failure
            if failure == nil, temporary != nil {
                do throws(SystemError) { try self.system.fsync(writer.sink.fd, shown: shown) } catch { failure = error }
            }
            if failure == nil, let temporary {
                do throws(SystemError) { try self.system.rename(temporary, to: path, shown: shown) } catch { failure = error }
            }
            if let failure {
                if let temporary { self.system.removeFile(temporary) }
                return .error("\(failure.renamed(call: "save"))")
            }
            var evicted = snapshot.evictedEntries > 0 ? " (\(snapshot.evictedEntries) older events had already left the in-memory log)" : ""
            if writer.skippedEntries > 0 { evicted += " (\(writer.skippedEntries) events of sockets no longer in the table left out)" }
            let what = raw ? "raw" : format.rawValue
            return .ok("saved \(Units.counted(writer.entriesWritten, raw ? "chunk" : "event")) (\(Units.bytes(writer.bytesWritten)), \(what)) to \(shown)\(evicted)")
        }
        let poll: () -> Status? = { [unowned self] in
            if let failure = writer.failure { return finish(failure) }
            // Format the next slice only while the file keeps up: the writer's buffer stays small.
            if writer.sink.buffered < Engine.saveSliceBytes {
                let limit = writer.sink.written + UInt64(writer.sink.buffered) + UInt64(Engine.saveSliceBytes)
                while next < snapshot.count, writer.sink.written + UInt64(writer.sink.buffered) < limit {
                    let entry = snapshot[next]
                    if keep?(entry) ?? true {
                        if raw { writer.writeRaw(entry) } else { writer.write(entry) }
                    }
                    next += 1
                }
                writer.handOver()
                writer.sink.writeSome()
            }
            if let failure = writer.failure { return finish(failure) }
            if next == snapshot.count { self.files.setProducing(sinkID, false) }
            guard next == snapshot.count, writer.sink.buffered == 0 else { return nil }
            return finish(nil)
        }
        let operation = Operation(label: "save \(shown)", origin: origin, timeout: nil, poll: poll) { .error("save \(shown): timed out") }
        return begin(operation, progress: "saving \(Units.counted(snapshot.count, "event")) to \(shown)…")
    }

    /// True when `path` exists and is neither a regular file nor a directory (a device, pipe or socket).
    static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }
}

extension SystemError {
    /// The same error under the name of the command the user typed (`save …: ENOSPC (…)`).
    func renamed(call: String) -> SystemError {
        var copy = self
        copy.call = call
        return copy
    }
}
