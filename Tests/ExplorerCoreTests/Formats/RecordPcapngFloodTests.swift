// RecordPcapngFloodTests — `record FILE.pcapng` of a 200 MB flood of random bytes, with the
// in-memory log capped at 1 MiB: reading the file back in 4 MiB pieces through PcapngReader and
// CaptureReassembler gives every byte, in order, with no gap. (tshark reads smaller captures back
// in RecordPcapngTests; at this size it would take minutes.) SOCKPIT_CAPTURE_MB changes the size.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct RecordPcapngFloodTests {
    static let megabytes = Int(ProcessInfo.processInfo.environment["SOCKPIT_CAPTURE_MB"] ?? "") ?? 200

    /// The flood's bytes: the seeded generator, one 1 MiB block at a time (block n from seed n).
    private static func block(_ index: Int) -> [UInt8] { seededBytes(1 << 20, seed: UInt64(index) &+ 0x5EED) }

    @Test func everyByteOfAFloodIsInTheCapture() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("flood.pcapng")
        let session = try EngineSession()
        #expect(session.run(["set logcap 1MiB", "record \(file)", "listen 127.0.0.1:0"]).allOK)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        let sent = Shared(false)
        let megabytes = Self.megabytes
        Thread.detachNewThread {
            for index in 0 ..< megabytes { peer.send(Self.block(index)) }
            peer.shutdownWrite()
            sent.set(true)
        }
        #expect(session.pump(until: { sent.current && session.entry(2)?.state.isOpen == false }, timeout: 600))
        peer.close()
        let status = session.status("record off", timeout: 60)
        #expect(status.ok && !status.message.contains("could not"), "\(status)")

        var reader = PcapngReader()
        var reassembler = CaptureReassembler()
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        var received = 0, mismatch: Int?
        var expected = Self.block(0)
        var pieces = 0
        while let piece = try handle.read(upToCount: 4 << 20), !piece.isEmpty, pieces < 1_000_000 {
            pieces += 1
            reader.append(piece)
            while let block = try reader.next() {
                guard case .packet(let packet) = block else { continue }
                reassembler.add(packet) { item in
                    guard case .streamBytes(0, true, let bytes, _, _) = item else { return }
                    var rest = bytes[...]
                    while !rest.isEmpty {
                        let offset = received & ((1 << 20) - 1)
                        if offset == 0, received > 0 { expected = Self.block(received >> 20) }
                        let take = min(rest.count, (1 << 20) - offset)
                        let same = rest.prefix(take).withUnsafeBytes { got in
                            expected.withUnsafeBytes { memcmp(got.baseAddress!, $0.baseAddress! + offset, take) == 0 }
                        }
                        if mismatch == nil, !same { mismatch = received }
                        received += take
                        rest = rest.dropFirst(take)
                    }
                }
            }
        }
        #expect(reader.isAtBlockBoundary)
        #expect(received == megabytes << 20, "the capture holds \(received) of \(megabytes << 20) bytes")
        #expect(mismatch == nil, "first wrong byte at \(mismatch ?? 0)")
        #expect(reassembler.missingBytes == 0 && reassembler.streams.count == 1)
    }
}
