// Saving — `save FILE`: the kept log written atomically (temp file, fsync, rename), and the
// engine's face of `record FILE` (the Recording part does the work).

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

    /// `save FILE [format]`: the kept log, written to a temporary file and renamed into place, so
    /// the file is either the old one or the whole new one, never half written. A FILE that exists
    /// and is not a regular file (`/dev/stdout`, a pipe) is written into directly: renaming over a
    /// device would replace the device node itself.
    func save(path: String, format: LogFormat) throws(CommandError) -> String {
        let shown = Sanitizer.clean(path)
        let total: UInt64
        if FileOpening.isSpecialFile(path) {
            let fd = FileOpening.openForWriting(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CommandError(SystemError(call: "save", context: shown, code: Glibc.errno)) }
            let written = writeLog(to: fd, format: format)
            Glibc.close(fd)
            if let code = written.failure { throw CommandError(SystemError(call: "save", context: shown, code: code)) }
            total = written.total
        } else {
            let temporary = "\(path).sockpit-\(getpid()).tmp"
            let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw CommandError(SystemError(call: "save", context: shown, code: Glibc.errno)) }
            let written = writeLog(to: fd, format: format)
            var failure = written.failure
            if failure == nil, fsync(fd) < 0 { failure = Glibc.errno }
            Glibc.close(fd)
            if failure == nil, rename(temporary, path) < 0 { failure = Glibc.errno }
            if let failure {
                Glibc.unlink(temporary)
                throw CommandError(SystemError(call: "save", context: shown, code: failure))
            }
            total = written.total
        }
        let evicted = log.evictedEntries > 0 ? " (\(log.evictedEntries) older events had already left the in-memory log)" : ""
        return "saved \(log.count) events (\(total) bytes, \(format.rawValue)) to \(shown)\(evicted)"
    }

    /// Writes the kept log to `fd` in 1 MiB batches; the bytes written and the errno of the first failure.
    private func writeLog(to fd: Int32, format: LogFormat) -> (total: UInt64, failure: Int32?) {
        var failure: Int32?
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var formatter = lineFormatter
        var total: UInt64 = 0
        func drain() {
            var written = 0
            while failure == nil, written < buffer.count {
                let result = buffer.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + written, raw.count - written) }
                if result < 0 {
                    if Glibc.errno == EINTR { continue }
                    failure = Glibc.errno
                } else {
                    written += result
                }
            }
            total += UInt64(written)
            buffer.removeAll(keepingCapacity: true)
        }
        log.forEach { entry in
            guard failure == nil else { return }
            formatter.append(entry, format: format, to: &buffer)
            if buffer.count >= 1 << 20 { drain() }
        }
        drain()
        return (total, failure)
    }
}

/// Opening files that must not keep the loop waiting.
enum FileOpening {
    /// `open` that cannot hang the loop: a FIFO nobody reads would block a plain open for writing
    /// until a reader came; with O_NONBLOCK it fails at once (ENXIO). Writes block again afterwards,
    /// as they do for stdout.
    static func openForWriting(_ path: String, _ flags: Int32) -> Int32 {
        let fd = Glibc.open(path, flags | O_NONBLOCK, 0o644)
        if fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        return fd
    }

    /// True when `path` exists and is neither a regular file nor a directory (a device, pipe or socket).
    static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }
}
