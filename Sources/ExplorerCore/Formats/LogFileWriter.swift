// LogFileWriter.swift — log entries formatted into a file in one of the log's formats (or as a
// pcapng capture), through a non-blocking `FileSink` (`record FILE`, `save FILE`).

import SocketKit

/// File formats for `save` and `record`.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, hex, jsonl
    /// A capture Wireshark opens (see `LogCapture`); not a line format.
    case pcapng

    /// The format a file name asks for by its extension (PRODUCT.md §6: `.pcapng`), if any.
    public static func implied(by path: String) -> LogFormat? {
        path.lowercased().hasSuffix(".pcapng") ? .pcapng : nil
    }
}

/// Entries formatted into a file; the file itself is written by its sink as it takes bytes.
final class LogFileWriter {
    let path: String
    let format: LogFormat
    let sink: FileSink
    private var buffer: [UInt8] = []
    private var formatter: LogLineFormatter
    /// The pcapng encoder, for `.pcapng`.
    private var capture: LogCapture?
    private(set) var entriesWritten: UInt64 = 0

    /// Writes to `fd` (opened non-blocking) as `path`. `.pcapng` looks sockets up in `sockets`.
    init(fd: Int32, path: String, format: LogFormat, formatter: LogLineFormatter, system: SystemCalls,
         sockets: @escaping LogCapture.Lookup = { _ in nil }) {
        self.path = path
        self.format = format
        self.formatter = formatter
        self.sink = FileSink(fd: fd, shown: Sanitizer.clean(path), system: system)
        buffer.reserveCapacity(FileSink.chunkSize)
        if format == .pcapng {
            var capture = LogCapture(lookup: sockets)
            capture.appendHeader(to: &buffer)
            self.capture = capture
        }
    }

    /// Entries of a pcapng file about sockets it could not show (see `LogCapture.skippedEntries`).
    var skippedEntries: Int { capture?.skippedEntries ?? 0 }

    /// The first failure of the file, if any.
    var failure: SystemError? { sink.failure }
    /// Bytes the file took.
    var bytesWritten: UInt64 { sink.written }
    /// Bytes formatted in all (taken or not) and those not yet taken by the file.
    var bytesGiven: UInt64 { sink.written + UInt64(unwritten) }
    var unwritten: Int { sink.buffered + buffer.count }

    /// Formats one entry; full chunks go to the sink. False once writing has failed.
    @discardableResult
    func write(_ entry: LogEntry) -> Bool {
        guard sink.failure == nil else { return false }
        if capture != nil { capture!.append(entry, to: &buffer) } else { formatter.append(entry, format: format, to: &buffer) }
        entriesWritten += 1
        if buffer.count >= FileSink.chunkSize { handOver() }
        return true
    }

    /// A data entry's bytes exactly as they went over the socket (`save FILE raw`).
    func writeRaw(_ entry: LogEntry) {
        guard sink.failure == nil else { return }
        buffer += entry.bytes
        entriesWritten += 1
        if buffer.count >= FileSink.chunkSize { handOver() }
    }

    /// Gives what is formatted to the sink: onto the end of its newest chunk when it fits there
    /// (`FileSink.absorb`), else as a chunk of its own.
    func handOver() {
        guard !buffer.isEmpty else { return }
        if sink.absorb(buffer) {
            buffer.removeAll(keepingCapacity: true)
        } else {
            sink.append(buffer)
            buffer = sink.takeSpare()
        }
    }

    /// Once per loop iteration. A writer thread's queue takes no bytes onto its chunks, so a
    /// part-filled buffer goes to it only when it has written everything before.
    func handOverWhenIdle() {
        if sink.writesInBackground && sink.buffered > 0 && buffer.count < FileSink.chunkSize { return }
        handOver()
    }
}
