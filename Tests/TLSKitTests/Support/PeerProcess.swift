// PeerProcess.swift — a third-party peer (openssl s_server / s_client, python3) run with
// Foundation's Process: a pipe for its stdin, stdout and stderr into a file the test reads, a hard
// kill when the test is done. None of these peers daemonize.

import Foundation
import Glibc

final class PeerProcess {
    let process = Process()
    private let input = Pipe()
    let outputPath: String
    private let deadline: Date

    /// Starts `executable ARGUMENTS`; `timeout` bounds its life (it is killed after, or at deinit).
    init(_ executable: String, _ arguments: [String], in directory: TemporaryDirectory, timeout: Double = 60) throws {
        outputPath = directory.path("peer-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.root)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        deadline = Date().addingTimeInterval(timeout)
        try process.run()
        try? output.close()
    }

    deinit { kill() }

    /// `openssl ARGUMENTS`, its stdout line-buffered (stdbuf execs it, so the pid is openssl's):
    /// s_server and s_client print through stdio, which would otherwise hold lines until exit.
    static func openssl(_ arguments: [String], in directory: TemporaryDirectory) throws -> PeerProcess {
        try PeerProcess("/usr/bin/stdbuf", ["-oL", "/usr/bin/openssl"] + arguments, in: directory)
    }

    /// What it printed so far (stdout and stderr together).
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .isoLatin1)) ?? "" }

    /// Polls the output every 20 ms until `predicate` holds (true) or `timeout` passes (false).
    @discardableResult
    func waitForOutput(timeout: Double = 10, _ predicate: (String) -> Bool) -> Bool {
        let until = min(deadline, Date().addingTimeInterval(timeout))
        while !predicate(output) {
            if Date() >= until { return predicate(output) }
            usleep(20_000)
        }
        return true
    }

    @discardableResult
    func waitForOutput(_ text: String, timeout: Double = 10) -> Bool { waitForOutput(timeout: timeout) { $0.contains(text) } }

    /// The first capture of `pattern` in the output, waiting for it.
    func waitForMatch(_ pattern: String, timeout: Double = 10) -> String? {
        var captured: String?
        waitForOutput(timeout: timeout) { text in
            guard let match = text.range(of: pattern, options: .regularExpression) else { return false }
            let found = String(text[match])
            let regex = try? NSRegularExpression(pattern: pattern)
            let result = regex?.firstMatch(in: found, range: NSRange(found.startIndex..., in: found))
            if let result, result.numberOfRanges > 1, let range = Range(result.range(at: 1), in: found) {
                captured = String(found[range])
            } else {
                captured = found
            }
            return true
        }
        return captured
    }

    /// The listening port a server printed (`ACCEPT 127.0.0.1:PORT` for s_server, `PORT N` for ours).
    func waitForPort(timeout: Double = 10) throws -> UInt16 {
        if let text = waitForMatch(#"(?:ACCEPT 127\.0\.0\.1:|PORT )([0-9]+)"#, timeout: timeout), let port = UInt16(text) { return port }
        throw TestFailure("the peer printed no port:\n\(output)")
    }

    func write(_ text: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits for it to exit by itself (true) or until `timeout` passes (false).
    @discardableResult
    func waitForExit(timeout: Double = 10) -> Bool {
        let until = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < until { usleep(10_000) }
        return !process.isRunning
    }

    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let root: String

    init(name: String = "tlskit-\(UUID().uuidString)") {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ name: String) -> String { root + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path(name)
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }
}

/// Runs a command to its end and returns its output; throws when it fails.
@discardableResult
func runCommand(_ executable: String, _ arguments: [String], directory: String? = nil, input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = stdin
    try process.run()
    if let input { try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)):\n\(text)")
    }
    return text
}
