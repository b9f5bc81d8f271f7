// PcapngLargeStreamTests — 200 MB through the writer to a file and back through sockpit's reader,
// streamed both ways in 1 MiB pieces (memory stays bounded: nothing holds the stream or the file),
// checked byte for byte and chunk for chunk against the seeded generator, with the sequence numbers
// wrapping around 2^32 in the middle.

@testable import ExplorerCore
import Foundation
import SocketKit
import Testing

@Suite struct PcapngLargeStreamTests {
    static let received = 200_000_000
    static let sent = 20_000_000

    @Test func twoHundredMegabytesByteExactThroughOwnReader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("large.pcapng")
        // An id whose peer's initial sequence number wraps about halfway through the received bytes.
        let id = try #require((1 ... 100_000).first { id in
            let isn = CaptureTCPStream.initialSequence(id, 1)
            return isn > UInt32.max - 150_000_000 && isn < UInt32.max - 50_000_000
        })
        let socket = CaptureSocket(id: id, transport: .tcp, local: .ipv4(address: [127, 0, 0, 1], port: 41_000),
                                   remote: .ipv4(address: [127, 0, 0, 1], port: 9000))
        let plan = ChunkPlan(seed: 77)

        // Write: chunks of 1 byte … 256 KiB each way, interleaved, flushed to the file every MiB.
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var writer = PcapngWriter()
        var buffer: [UInt8] = []
        var time: Microseconds = 1_764_670_000_000_000
        writer.append(.opened(socket, .handshake, at: time), to: &buffer)
        var incoming = SeededStream(seed: 1), outgoing = SeededStream(seed: 2)
        var plannedIn: [Int] = [], plannedOut: [Int] = []
        var planner = plan.generator()
        while incoming.produced < Self.received || outgoing.produced < Self.sent {
            time += 7
            let toReceive = min(Self.received - incoming.produced, plan.size(&planner))
            if toReceive > 0 {
                writer.append(.received(socket: id, bytes: incoming.next(toReceive), at: time), to: &buffer)
                plannedIn.append(toReceive)
            }
            if outgoing.produced < Self.sent, Int.random(in: 0 ..< 10, using: &planner) == 0 {
                let toSend = min(Self.sent - outgoing.produced, plan.size(&planner))
                writer.append(.sent(socket: id, bytes: outgoing.next(toSend), at: time), to: &buffer)
                plannedOut.append(toSend)
            }
            if buffer.count >= 1 << 20 {
                try output.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        writer.append(.closed(socket: id, at: time + 1), to: &buffer)
        try output.write(contentsOf: buffer)
        try output.close()
        #expect(writer.ignoredEvents == 0)

        // Read back in 1 MiB pieces, comparing as the bytes arrive.
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? input.close() }
        var expectIn = SeededStream(seed: 1), expectOut = SeededStream(seed: 2)
        var chunksIn: [Int] = [], chunksOut: [Int] = []
        var currentIn = 0, currentOut = 0
        var mismatch: String?
        let reassembler = try CaptureReassembler.read({ piece in
            let data = try input.read(upToCount: piece.count) ?? Data()
            piece.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
            return data.count
        }) { item in
            guard case .streamBytes(_, let fromInitiator, let bytes, _, let endsChunk) = item, mismatch == nil else { return }
            if fromInitiator {
                if !expectOut.matches(bytes) { mismatch = "sent bytes differ at \(expectOut.produced)" }
                currentOut += bytes.count
                if endsChunk { chunksOut.append(currentOut); currentOut = 0 }
            } else {
                if !expectIn.matches(bytes) { mismatch = "received bytes differ at \(expectIn.produced)" }
                currentIn += bytes.count
                if endsChunk { chunksIn.append(currentIn); currentIn = 0 }
            }
        }
        #expect(mismatch == nil, "\(mismatch ?? "")")
        #expect(expectIn.produced == Self.received && expectOut.produced == Self.sent)
        #expect(chunksIn == plannedIn && chunksOut == plannedOut)
        #expect(reassembler.streams.count == 1 && reassembler.missingBytes == 0 && reassembler.undecodedPackets == 0)
        #expect(reassembler.streams.first?.bytesFromAcceptor == Self.received)
    }
}

/// Chunk sizes: mostly around 64 KiB (what a flood reads), some tiny, some long.
private struct ChunkPlan {
    let seed: UInt64
    func generator() -> SeededGenerator { SeededGenerator(seed: seed) }
    func size(_ generator: inout SeededGenerator) -> Int {
        switch Int.random(in: 0 ..< 8, using: &generator) {
        case 0: Int.random(in: 1 ... 100, using: &generator)
        case 1: Int.random(in: 65_537 ... 262_144, using: &generator)
        default: Int.random(in: 60_000 ... 65_536, using: &generator)
        }
    }
}

/// An endless seeded byte stream, produced or checked a piece at a time (eight bytes per step:
/// the test runs in a debug build).
private struct SeededStream {
    private var generator: SeededGenerator
    private var word: UInt64 = 0
    private var left = 0
    private(set) var produced = 0

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next(_ count: Int) -> [UInt8] {
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = 0
            while index < count && left > 0 {
                buffer[index] = takeByte()
                index += 1
            }
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            while count - index >= 8 {
                raw.storeBytes(of: generator.next().littleEndian, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < count {
                buffer[index] = takeByte()
                index += 1
            }
            initialized = count
        }
        produced += count
        return bytes
    }

    /// True when `bytes` are the next bytes of the stream (which advances past them either way).
    mutating func matches(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        let expected = next(bytes.count)
        return bytes.withUnsafeBytes { actual in expected.withUnsafeBytes { memcmp(actual.baseAddress!, $0.baseAddress!, $0.count) == 0 } }
    }

    private mutating func takeByte() -> UInt8 {
        if left == 0 {
            word = generator.next()
            left = 8
        }
        let byte = UInt8(truncatingIfNeeded: word)
        word >>= 8
        left -= 1
        return byte
    }
}
