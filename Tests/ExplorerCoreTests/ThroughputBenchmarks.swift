// ThroughputBenchmarks — opt-in speed checks for the bulk formatters, compared with `xxd`.
// Run: SOCKPIT_BENCH=1 swift test -c release --filter ThroughputBenchmarks
import ExplorerCore
import Foundation
import Testing

private let benchEnabled = ProcessInfo.processInfo.environment["SOCKPIT_BENCH"] != nil

/// Seconds taken by `body`.
private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

private func megabytesPerSecond(_ bytes: Int, _ s: Double) -> Int { Int(Double(bytes) / s / 1_000_000) }

/// Feeds `input` to `format` in 64 KiB chunks, reusing one output buffer, as headless output does.
private func chunkedThroughput(_ input: [UInt8], _ format: (UnsafeRawBufferPointer, inout [UInt8]) -> Void) -> Int {
    var out: [UInt8] = []
    var produced = 0
    let s = seconds {
        input.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + 65_536, all.count)
                out.removeAll(keepingCapacity: true)
                format(UnsafeRawBufferPointer(rebasing: all[start..<end]), &out)
                produced &+= out.count
                start = end
            }
        }
    }
    #expect(produced > 0)
    return megabytesPerSecond(input.count, s)
}

@Suite("Throughput benchmarks", .enabled(if: benchEnabled), .serialized)
struct ThroughputBenchmarks {
    @Test func sanitizerOnASCIIAndWorseInputs() {
        let line = Array("GET /index.html HTTP/1.1 Host: example.org User-Agent: sockpit-benchmark/1.0\r\n".utf8)
        let ascii = Array([[UInt8]](repeating: line, count: (64 << 20) / line.count).joined())
        let cjk = Array([[UInt8]](repeating: Array("测试成功！你好世界 mixed text\n".utf8), count: 1 << 20).joined())
        var rng = SeededGenerator(seed: 1)
        let binary = (0..<(16 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let append: (UnsafeRawBufferPointer, inout [UInt8]) -> Void = { Sanitizer.append($0, to: &$1) }
        let asciiRate = chunkedThroughput(ascii, append)
        let cjkRate = chunkedThroughput(cjk, append)
        let binaryRate = chunkedThroughput(binary, append)
        print("Sanitizer.append: ASCII \(asciiRate) MB/s, CJK text \(cjkRate) MB/s, random bytes \(binaryRate) MB/s")
        #if !DEBUG
        #expect(asciiRate >= 300)
        #endif
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xxd")))
    func hexDumpVersusXxdOn256MiB() throws {
        let size = 256 << 20
        let path = NSTemporaryDirectory() + "sockpit-bench-\(getpid()).bin"
        defer { unlink(path) }
        var rng = SeededGenerator(seed: 2)
        var block = [UInt8](repeating: 0, count: 1 << 20)
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<(size >> 20) {
            for i in block.indices { block[i] = UInt8(truncatingIfNeeded: rng.next()) }
            writer.write(Data(block))
        }
        try writer.close()

        let xxd = try seconds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xxd")
            process.arguments = [path]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            process.waitUntilExit()
        }
        let ours = seconds { hexDumpFile(path) }
        print("hex of 256 MiB to /dev/null: xxd \(xxd) s (\(megabytesPerSecond(size, xxd)) MB/s), "
            + "HexDump.append \(ours) s (\(megabytesPerSecond(size, ours)) MB/s), \(xxd / ours)x faster")
        #if !DEBUG
        #expect(xxd / ours >= 4)
        #endif
    }

    /// Reads `path` in 1 MiB blocks and writes its hex dump to /dev/null, as `xxd FILE` does.
    private func hexDumpFile(_ path: String) {
        let input = open(path, O_RDONLY)
        let sink = open("/dev/null", O_WRONLY)
        defer { close(input); close(sink) }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var out: [UInt8] = []
        var offset: UInt64 = 0
        while true {
            let n = block.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            out.removeAll(keepingCapacity: true)
            block.withUnsafeBytes { HexDump.append(UnsafeRawBufferPointer(rebasing: $0[..<n]), startOffset: offset, into: &out) }
            offset += UInt64(n)
            let written = out.withUnsafeBytes { write(sink, $0.baseAddress, $0.count) }
            #expect(written == out.count)
        }
        #expect(offset == 256 << 20)
    }
}
