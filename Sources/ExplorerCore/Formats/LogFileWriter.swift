// LogFileWriter.swift — a file that log lines are appended to, buffered (`record FILE`), in one of
// the log's formats.

import Glibc
import SocketKit

/// File formats for `save` and `record`.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, hex, jsonl
}

/// An open file that log lines are appended to.
final class LogFileWriter {
    let path: String
    let format: LogFormat
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var formatter: LogLineFormatter
    /// The first write error; once set, nothing more is written.
    private(set) var failure: SystemError?
    private(set) var bytesWritten: UInt64 = 0
    private(set) var entriesWritten: UInt64 = 0

    /// Creates (or truncates) `path` for writing.
    init(path: String, format: LogFormat, formatter: LogLineFormatter) throws(CommandError) {
        let fd = FileOpening.openForWriting(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw CommandError(SystemError(call: "open", context: path, code: Glibc.errno)) }
        self.fd = fd
        self.path = path
        self.format = format
        self.formatter = formatter
        buffer.reserveCapacity(1 << 18)
    }

    deinit { close() }

    /// Buffers one entry; writes when the buffer is large. False once writing has failed.
    func write(_ entry: LogEntry) -> Bool {
        guard failure == nil, fd >= 0 else { return false }
        formatter.append(entry, format: format, to: &buffer)
        entriesWritten += 1
        if buffer.count >= 1 << 18 { return flush() }
        return true
    }

    /// Writes what is buffered. False (with `failure` set) when the disk said no.
    @discardableResult
    func flush() -> Bool {
        guard failure == nil, fd >= 0 else { return false }
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + written, raw.count - written) }
            if result < 0 {
                if Glibc.errno == EINTR { continue }
                failure = SystemError(call: "write", context: path, code: Glibc.errno)
                buffer.removeAll()
                return false
            }
            written += result
        }
        bytesWritten += UInt64(written)
        buffer.removeAll(keepingCapacity: true)
        return true
    }

    /// Flushes and closes (idempotent).
    func close() {
        guard fd >= 0 else { return }
        flush()
        Glibc.close(fd)
        fd = -1
    }
}
