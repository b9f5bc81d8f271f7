// SockpitProcess.swift — runs the built sockpit (or a shell) with Foundation's Process: stdin from /dev/null, a
// string or a pipe the test writes to; stdout and stderr captured; a hard timeout that kills it.

import Foundation
import Glibc
import Testing

/// What a finished run left behind.
struct SockpitResult: CustomStringConvertible {
    /// The exit status, or 128 + N when killed by signal N (as a shell reports it).
    var status: Int32
    /// True when the hard timeout killed it.
    var timedOut: Bool
    var stdoutBytes: [UInt8]
    var stderrBytes: [UInt8]

    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    /// stdout split into lines (no trailing empty line).
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    /// stdout lines with the `HH:MM:SS.mmm ` clock prefix removed (lines without one are kept whole).
    var untimedLines: [String] { lines.map(HeadlessFormat.stripClock) }

    var description: String {
        "exit \(status)\(timedOut ? " (killed at the timeout)" : "")\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// A sockpit process the test talks to while it runs.
final class SockpitProcess {
    enum Input {
        /// /dev/null: not a terminal, immediately at end of file.
        case null
        /// These bytes, then end of file.
        case text(String)
        /// A pipe kept open for `write` until `closeInput`.
        case pipe
        /// A regular file (`sockpit < FILE`), which epoll cannot watch.
        case file(String)
    }

    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let inputPipe: Pipe?
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    private var openStreams: Set<Int32> = []
    private let deadline: Date

    /// Starts `sockpit ARGUMENTS` (or another `executable`) in `directory`; `timeout` bounds the whole
    /// run (it is killed after).
    init(_ arguments: [String], executable: String? = nil, input: Input = .null, directory: URL? = nil,
         timeout: TimeInterval = 60) throws {
        process.executableURL = URL(fileURLWithPath: try executable ?? SockpitBinary.location.get())
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        switch input {
        case .null:
            inputPipe = nil
            process.standardInput = FileHandle.nullDevice
        case .text, .pipe:
            let pipe = Pipe()
            inputPipe = pipe
            process.standardInput = pipe
        case .file(let path):
            inputPipe = nil
            process.standardInput = FileHandle(forReadingAtPath: path)
        }
        deadline = Date().addingTimeInterval(timeout)
        try process.run()
        openStreams = [stdoutPipe.fileHandleForReading.fileDescriptor, stderrPipe.fileHandleForReading.fileDescriptor]
        if case .text(let text) = input {
            write(text)
            closeInput()
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs to completion and returns what happened.
    static func run(_ arguments: [String], executable: String? = nil, input: Input = .null, directory: URL? = nil,
                    timeout: TimeInterval = 60) throws -> SockpitResult {
        try SockpitProcess(arguments, executable: executable, input: input, directory: directory, timeout: timeout).finish()
    }

    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// Writes to the process's standard input (a `.pipe` or `.text` input).
    func write(_ text: String) {
        guard let handle = inputPipe?.fileHandleForWriting else { return }
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// Closes standard input: sockpit sees end of file.
    func closeInput() {
        try? inputPipe?.fileHandleForWriting.close()
    }

    /// Sends `signal` to the process.
    func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Reads output until `condition` holds (checked after each read) or `timeout` passes; true when it held.
    @discardableResult
    func waitFor(timeout: TimeInterval = 20, _ condition: (SockpitProcess) -> Bool) -> Bool {
        let until = min(deadline, Date().addingTimeInterval(timeout))
        while !condition(self) {
            if openStreams.isEmpty || Date() >= until { return condition(self) }
            readAvailable(until: until)
        }
        return true
    }

    /// Reads until stdout contains `text`; true when it did.
    @discardableResult
    func waitForOutput(_ text: String, timeout: TimeInterval = 20) -> Bool {
        waitFor(timeout: timeout) { $0.stdout.contains(text) }
    }

    /// Reads everything until the process exits (killing it at the hard timeout) and returns the result.
    func finish() -> SockpitResult {
        closeInput()
        while !openStreams.isEmpty && Date() < deadline { readAvailable(until: deadline) }
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
            }
            usleep(5_000)
        }
        // A grandchild (a shell's background job) may hold the pipes after the child is gone: bounded.
        let drainUntil = Date().addingTimeInterval(timedOut ? 2 : 10)
        while !openStreams.isEmpty && Date() < drainUntil { readAvailable(until: drainUntil) }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return SockpitResult(status: status, timedOut: timedOut, stdoutBytes: stdoutBytes, stderrBytes: stderrBytes)
    }

    /// One poll over the open output pipes, reading whatever is ready.
    private func readAvailable(until: Date) {
        var fds = openStreams.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let milliseconds = Int32(max(0, min(100, until.timeIntervalSinceNow * 1000)))
        guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        for entry in fds where entry.revents != 0 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                openStreams.remove(entry.fd)
            } else if entry.fd == stdoutPipe.fileHandleForReading.fileDescriptor {
                stdoutBytes += chunk[0..<count]
            } else {
                stderrBytes += chunk[0..<count]
            }
        }
    }
}

/// Facts about the headless output format that several tests share.
enum HeadlessFormat {
    /// `HH:MM:SS.mmm `, the clock at the start of a timestamped line.
    static let clockPattern = #"^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} "#

    /// The line without its clock prefix.
    static func stripClock(_ line: String) -> String {
        guard let range = line.range(of: clockPattern, options: .regularExpression) else { return line }
        return String(line[range.upperBound...])
    }

    /// True when `line` starts with the clock.
    static func hasClock(_ line: String) -> Bool {
        line.range(of: clockPattern, options: .regularExpression) != nil
    }
}
