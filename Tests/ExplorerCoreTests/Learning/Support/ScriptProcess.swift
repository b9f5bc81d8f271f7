// ScriptProcess.swift — runs a short-lived helper program (php-cli with a copy of the seed's
// programs, python3, strace) for the learning tests: stdout and stderr captured, waits bounded,
// killed when the test is done with it. None of these programs daemonizes, so Foundation's
// Process is safe here.

import Foundation
import Glibc

/// A helper program the test talks to while it runs.
final class ScriptProcess {
    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdinPipe = Pipe()
    private(set) var stdoutBytes: [UInt8] = []
    private(set) var stderrBytes: [UInt8] = []
    private var open: Set<Int32> = []

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`.
    init(_ executable: String, _ arguments: [String]) throws {
        guard let path = ScriptProcess.find(executable) else { throw ScriptError("\(executable) is not installed") }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        try process.run()
        // The child has its own copies now; ours would keep the pipes from ever reaching EOF.
        try? stdoutPipe.fileHandleForWriting.close()
        try? stderrPipe.fileHandleForWriting.close()
        try? stdinPipe.fileHandleForReading.close()
        open = [stdoutPipe.fileHandleForReading.fileDescriptor, stderrPipe.fileHandleForReading.fileDescriptor]
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// The path of `name` in PATH (or `name` itself when it is a path), nil when absent.
    static func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Reads until stdout has a line `prefix N` and returns N (the port a peer bound), or nil at the timeout.
    func announcedNumber(_ prefix: String, timeout: TimeInterval = 10) -> UInt16? {
        var found: UInt16?
        waitFor(timeout: timeout) { process in
            for line in process.stdout.split(separator: "\n") where line.hasPrefix(prefix + " ") {
                found = UInt16(line.dropFirst(prefix.count + 1).prefix { $0.isNumber })
                if found != nil { return true }
            }
            return false
        }
        return found
    }

    /// The port `python3 -u -m http.server 0` says it serves on (`Serving HTTP on 127.0.0.1 port N …`), or nil at the timeout.
    func httpServerPort(timeout: TimeInterval = 10) -> String? {
        var port: String?
        waitFor(timeout: timeout) { process in
            let words = process.stdout.split(separator: " ")
            port = words.firstIndex(of: "port").flatMap { words.index(after: $0) < words.endIndex ? String(words[words.index(after: $0)]) : nil }
            return port != nil
        }
        return port
    }

    /// Reads output until `condition` holds or `timeout` passes (or the output ends); whether it held.
    @discardableResult
    func waitFor(timeout: TimeInterval = 10, _ condition: (ScriptProcess) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(self) {
            if open.isEmpty || Date() >= deadline { return condition(self) }
            readAvailable(until: deadline)
        }
        return true
    }

    /// Writes to the program's standard input.
    func write(_ text: String) {
        try? stdinPipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Closes standard input, reads everything until the program exits (killed at `timeout`) and
    /// returns its exit status (128 + N when killed by signal N).
    @discardableResult
    func finish(timeout: TimeInterval = 15) -> Int32 {
        try? stdinPipe.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while !open.isEmpty && Date() < deadline { readAvailable(until: deadline) }
        while process.isRunning {
            if Date() >= deadline { kill(process.processIdentifier, SIGKILL) }
            usleep(5_000)
        }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Everything it printed, for failure messages.
    var transcript: String { "--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)" }

    private func readAvailable(until deadline: Date) {
        var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let wait = Int32(max(1, min(100, deadline.timeIntervalSinceNow * 1000)))
        guard poll(&descriptors, nfds_t(descriptors.count), wait) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        for descriptor in descriptors where descriptor.revents != 0 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if descriptor.fd == stdoutPipe.fileHandleForReading.fileDescriptor {
                    stdoutBytes += chunk[0..<count]
                } else {
                    stderrBytes += chunk[0..<count]
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                open.remove(descriptor.fd)
            }
        }
    }
}

struct ScriptError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The test copies of the seed's programs (Tests/Peers/php, shared by every test target).
enum PHPPeers {
    static let directory = SeedTutorial.packageRoot.appendingPathComponent("Tests/Peers/php")

    /// True when php-cli with the sockets extension is installed; otherwise the tests that need
    /// it say why they skip.
    static let available: Bool = {
        guard let php = try? ScriptProcess("php", ["-r", "echo function_exists('socket_create') ? 'yes' : 'no';"]) else {
            return false
        }
        php.finish(timeout: 10)
        return php.stdout == "yes"
    }()

    static let unavailableReason = "php-cli with the sockets extension is not installed (apt-get install -y php-cli)"

    /// Starts `php Tests/Peers/php/SCRIPT ARGUMENTS…`.
    static func start(_ script: String, _ arguments: [String]) throws -> ScriptProcess {
        try ScriptProcess("php", [directory.appendingPathComponent(script).path] + arguments)
    }
}
