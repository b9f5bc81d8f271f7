// CaptureTools — what the capture tests share: writing events to a pcapng file, running tshark and
// capinfos on it (bounded in time, output through files so large outputs cannot block a pipe),
// reading back `follow,tcp,raw` and the expert summary, and seeded bytes.

import ExplorerCore
import Foundation
import Glibc
import Testing

enum CaptureTools {
    static let tshark = "/usr/bin/tshark"
    static let capinfos = "/usr/bin/capinfos"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: tshark) && FileManager.default.isExecutableFile(atPath: capinfos) }

    /// Checksum validation on (it is off by default): a wrong IPv4, TCP or UDP checksum becomes an
    /// expert error.
    static let validateChecksums = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]

    /// Writes `events` through one writer into `directory/name` and returns the path.
    static func write(_ events: [CaptureEvent], to directory: TemporaryDirectory, as name: String = "capture.pcapng",
                      options: PcapngWriter.Options = .init()) throws -> String {
        var writer = PcapngWriter(options: options)
        var buffer: [UInt8] = []
        writer.appendHeader(to: &buffer)
        for event in events { writer.append(event, to: &buffer) }
        guard writer.ignoredEvents == 0 else { throw PeerError("the writer ignored \(writer.ignoredEvents) events") }
        let path = directory.file(name)
        try Data(buffer).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct Run {
        var status: Int32
        var output: String
        /// Standard error without tshark's "Running as user root" notice, which is about the user, not the file.
        var errors: String
    }

    /// Runs `tool` with `arguments`, killing it after `timeout` seconds.
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 180) throws -> Run {
        let directory = try TemporaryDirectory()
        let outPath = directory.file("out"), errPath = directory.file("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            stop(process)
            throw PeerError("\(tool) \(arguments.joined(separator: " ")) took over \(timeout) s")
        }
        let output = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let errors = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasPrefix("Running as user \"root\"") }.joined(separator: "\n")
        return Run(status: process.terminationStatus, output: output, errors: errors)
    }

    /// Stops a process started by a test, with SIGKILL: children of the test runner may inherit a
    /// signal mask that blocks SIGTERM (Foundation's Process cannot reset it), and a test server has
    /// nothing to clean up.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `tshark -r FILE …`, which must succeed and say nothing on standard error.
    static func tshark(_ file: String, _ arguments: [String]) throws -> String {
        let run = try run(tshark, ["-r", file] + arguments)
        guard run.status == 0, run.errors.isEmpty else { throw PeerError("tshark \(arguments) failed (\(run.status)): \(run.errors)") }
        return run.output
    }

    /// Both directions of TCP stream `stream` as tshark's `follow,tcp,raw` gives them: the bytes of
    /// node 0 (the stream's first sender) and node 1, and the nodes' addresses.
    static func follow(_ file: String, stream: Int) throws -> (node0: [UInt8], node1: [UInt8], nodes: [String]) {
        let output = try tshark(file, ["-q", "-z", "follow,tcp,raw,\(stream)"])
        var node0: [UInt8] = [], node1: [UInt8] = [], nodes: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("Node ") { nodes.append(String(line.split(separator: " ", maxSplits: 2).last ?? "")) ; continue }
            if line.hasPrefix("=") || line.hasPrefix("Follow:") || line.hasPrefix("Filter:") { continue }
            let second = line.hasPrefix("\t")
            guard let bytes = hexBytes(line.drop { $0 == "\t" }) else { throw PeerError("follow: unexpected line \(line.prefix(80))") }
            if second { node1 += bytes } else { node0 += bytes }
        }
        return (node0, node1, nodes)
    }

    /// The expert summary (`-z expert`, checksums validated) as (severity section, group, protocol,
    /// summary) rows.
    static func expert(_ file: String) throws -> [(severity: String, group: String, summary: String)] {
        let output = try tshark(file, ["-q", "-z", "expert"] + validateChecksums + payloadAsData(file))
        var rows: [(String, String, String)] = []
        var severity = ""
        for line in output.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if let name = ["Errors", "Warns", "Notes", "Chats", "Comments"].first(where: { text.hasPrefix($0 + " (") }) {
                severity = name
                continue
            }
            let fields = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            guard fields.count == 4, Int(fields[0]) != nil else { continue }
            rows.append((severity, String(fields[1]), String(fields[3]).trimmingCharacters(in: .whitespaces)))
        }
        return rows
    }

    /// Expert rows a clean capture may have: packet comments, the chats that name SYN, FIN and
    /// data, and the notes on an orderly close. Every other row is a warning, an error or a
    /// sequence note such as a retransmission.
    static func problems(_ file: String, allowing allowed: Set<String> = []) throws -> [String] {
        let orderlyClose: Set = ["This frame initiates the connection closing", "This frame undergoes the connection closing"]
        return try expert(file).filter { row in
            !(row.severity == "Comments" || row.severity == "Chats" || orderlyClose.contains(row.summary) || allowed.contains(row.summary))
        }.map { "\($0.severity) \($0.group): \($0.summary)" }
    }

    /// Frames flagged by TCP analysis (retransmissions, lost segments, dup ACKs, window problems…).
    static func analysisFlags(_ file: String) throws -> [String] {
        try tshark(file, ["-Y", "tcp.analysis.flags || _ws.malformed"] + payloadAsData(file)).split(separator: "\n").map(String.init)
    }

    /// "Decode As" data for every port in the file. Test ports are random, and Wireshark picks a
    /// dissector by port: random bytes on port 5000 or 49152 are a malformed RSL or other packet,
    /// which says nothing about the capture itself.
    static func payloadAsData(_ file: String) throws -> [String] {
        let ports = Set(try tshark(file, ["-T", "fields", "-e", "tcp.port", "-e", "udp.port"])
            .split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == "," }).compactMap { UInt16($0) })
        return ports.sorted().flatMap { ["-d", "tcp.port==\($0),data", "-d", "udp.port==\($0),data"] }
    }

    /// tshark's `follow,tcp,raw` of `stream` gives exactly `node0` and `node1` (and the nodes'
    /// addresses); a difference is reported by length and first differing offset, not by dumping
    /// megabytes.
    static func expectFollow(_ file: String, stream: Int = 0, node0: [UInt8], node1: [UInt8], nodes: [String]? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let followed = try follow(file, stream: stream)
        for (name, actual, expected) in [("node 0", followed.node0, node0), ("node 1", followed.node1, node1)] {
            let common = min(actual.count, expected.count)
            let difference = (0 ..< common).first { actual[$0] != expected[$0] } ?? (actual.count == expected.count ? nil : common)
            #expect(difference == nil, "\(name): \(actual.count) bytes, expected \(expected.count); first difference at \(difference ?? 0)",
                    sourceLocation: sourceLocation)
        }
        if let nodes { #expect(followed.nodes == nodes, sourceLocation: sourceLocation) }
    }

    /// No expert warnings or errors (checksums validated), no frame flagged by TCP analysis.
    static func expectNoAnomalies(_ file: String, allowing allowed: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try problems(file, allowing: allowed)
        #expect(found == [], sourceLocation: sourceLocation)
        let flagged = try analysisFlags(file)
        #expect(flagged == [], sourceLocation: sourceLocation)
    }

    /// capinfos reads the file without complaint and tshark prints nothing on standard error.
    static func expectCleanFile(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let info = try run(capinfos, [file])
        #expect(info.status == 0 && info.errors.isEmpty, "capinfos: \(info.errors)", sourceLocation: sourceLocation)
        #expect(info.output.contains("File encapsulation:  Raw IP"), "\(info.output)", sourceLocation: sourceLocation)
        _ = try tshark(file, [])
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// `count` bytes from the seeded generator.
func seededBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < count {
            var word = generator.next()
            let take = min(8, count - offset)
            withUnsafeBytes(of: &word) { raw.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take) }
            offset += take
        }
    }
    return bytes
}
