// RecordFloodTests.swift — nothing lost: `record FILE` during a flood holds every received byte.
// A peer floods a headless sockpit (in-memory log capped at 1 MiB, so most of the stream leaves
// it) with random bytes; the test rebuilds the stream from the record's data_b64 fields and
// compares its SHA-256 (and length, and each event's stream offset) with what was sent.
//
// Size: SOCKPIT_FLOOD_MB (default 16). A debug build records JSON lines at about 2 MB/s of random
// binary data (base64 plus the escaped `text` field: a 4.9 GB file per GB), so the issue's full
// 1 GB takes about 9 minutes there; a release build records it in about 42 s. Full size:
//   swift build -c release --product sockpit
//   SOCKPIT_FLOOD_MB=1024 SOCKPIT_BINARY=.build/release/sockpit swift test --filter RecordFloodTests

import Foundation
import Glibc
import Testing

/// `sha256sum` fed through a pipe, so the test hashes gigabytes at native speed.
private final class SHA256Pipe {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
    }

    /// The hex digest.
    func finish() -> String {
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}

/// xorshift64*: reproducible bytes covering every value, fast enough to generate gigabytes.
private struct RandomBytes {
    var state: UInt64

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let word = state &* 0x2545_F491_4F6C_DD1D
            let count = min(8, buffer.count - offset)
            withUnsafeBytes(of: word) { buffer.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: count) }
            offset += count
        }
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum"), "needs sha256sum"))
struct RecordFloodTests {
    static let megabytes = Int(ProcessInfo.processInfo.environment["SOCKPIT_FLOOD_MB"] ?? "") ?? 16

    @Test func recordHoldsEveryByteOfAFlood() throws {
        let total = Self.megabytes << 20
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-flood-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = directory.appendingPathComponent("flood.jsonl").path
        let socketPath = directory.appendingPathComponent("flood.sock").path
        // stdout (the same flood as text) goes to /dev/null: only the record matters here.
        let sockpit = try SockpitProcess(
            ["-c", #"exec "$@" > /dev/null"#, "bash", try SockpitBinary.location.get(), "--headless",
             "-e", "set logcap 1MiB", "-e", "record \(record)", "-e", "listen unix \(socketPath)",
             "-e", "wait connected timeout=60", "-e", "wait closed timeout=3600"],
            executable: "/bin/bash", timeout: max(120, Double(Self.megabytes) * 1.5))
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var connected = false
        for _ in 0..<200 where !connected {
            connected = PeerEndpointPath.connect(fd, socketPath)
            if !connected { usleep(50_000) }
        }
        try #require(connected, "sockpit never listened on \(socketPath)")

        let started = Date()
        let sentHash = try SHA256Pipe()
        var random = RandomBytes(state: 0x5EED_F100_D000_0001)
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        for _ in 0..<Self.megabytes {
            random.fill(block)
            sentHash.update(UnsafeRawBufferPointer(block))
            var offset = 0
            while offset < block.count {
                let count = send(fd, block.baseAddress! + offset, block.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                try #require(count > 0, "send failed: errno \(errno)")
                offset += count
            }
        }
        shutdown(fd, Int32(SHUT_WR))
        let expected = sentHash.finish()
        let result = sockpit.finish()
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result)")
        print("record flood: \(Self.megabytes) MiB recorded in \(String(format: "%.1f", elapsed)) s")

        let receivedHash = try SHA256Pipe()
        var received = 0
        var events = 0
        var badLines = 0
        try forEachLine(of: record) { line in
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                badLines += 1
                return
            }
            guard object["event"] as? String == "recv" else { return }
            let bytes = Data(base64Encoded: object["data_b64"] as? String ?? "") ?? Data()
            #expect(object["offset"] as? Int == received, "a gap or overlap before event \(events)")
            #expect(object["len"] as? Int == bytes.count)
            bytes.withUnsafeBytes { receivedHash.update($0) }
            received += bytes.count
            events += 1
        }
        #expect(badLines == 0, "lines of the record are not JSON")
        #expect(received == total, "the record holds \(received) of \(total) bytes")
        #expect(receivedHash.finish() == expected)
        #expect(events > 1)
    }

    /// Calls `body` with each line of the file at `path`, reading it in 4 MiB pieces.
    private func forEachLine(of path: String, _ body: (Data) -> Void) throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var pending = Data()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                body(pending[start..<newline])
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { body(pending) }
    }
}

/// Connecting a Unix stream socket to a path.
private enum PeerEndpointPath {
    static func connect(_ fd: Int32, _ path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }
}
