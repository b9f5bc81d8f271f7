// FileOutput.swift — buffered writes to stdout/stderr by file descriptor (Swift 6 forbids the C
// `stdout` global, and a flood of log lines must not cost a syscall each).

import ExplorerCore
import Glibc

/// What headless mode writes its log to.
protocol HeadlessOutput: AnyObject {
    /// Lets `body` append bytes to the output's buffer.
    func withBuffer(_ body: (inout [UInt8]) -> Void)
    /// Writes what is buffered (as far as the reader takes it now).
    func flush()
    /// Writes everything, waiting for the reader at most until `deadline` (monotonic µs).
    func finish(until deadline: Int64)
    /// True once the reader went away or a write failed.
    var broken: Bool { get }
}

extension EngineOutput: HeadlessOutput {}

/// A buffered writer on a file descriptor (a terminal or a regular file).
final class FileOutput: HeadlessOutput {
    let fd: Int32
    private var buffer: [UInt8] = []
    /// Set when the reader went away (EPIPE) or the write failed.
    private(set) var broken = false

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    /// Unbuffered stderr, for messages that must appear at once.
    static let standardError = UnbufferedError()

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Gives the buffer to `body` to append to directly (no intermediate copy).
    func withBuffer(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    func finish(until deadline: Int64) { flush() }

    func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !broken else { return }
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if Glibc.errno == EINTR { continue }
                broken = true
                return
            }
            written += result
        }
    }
}

/// Writes straight to fd 2.
struct UnbufferedError: Sendable {
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + written, $0.count - written) }
            if result <= 0 { if result < 0 && Glibc.errno == EINTR { continue }; return }
            written += result
        }
        bytes.removeAll()
    }
}
