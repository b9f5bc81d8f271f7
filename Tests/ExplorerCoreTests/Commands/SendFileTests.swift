// SendFileTests.swift — `send @FILE` streams: a regular file is read while it is sent, not
// loaded whole; what was sent is logged; a file that shrinks mid-send is reported; files read
// whole (expect, reply, datagrams) have an explicit limit.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct SendFileTests {
    /// Bytes `peer` has read so far while `session` keeps stepping, until `count` or 20 s.
    private func drain(_ peer: PeerConnection, _ session: EngineSession, count: Int) -> [UInt8] {
        session.read(peer, count: count, timeout: 20)
    }

    @Test func aLargeFileArrivesWholeAndTheLogRecordsIt() throws {
        let directory = try TemporaryDirectory()
        let content = patternBytes(8 << 20, seed: 3)
        try Data(content).write(to: URL(fileURLWithPath: directory.file("big.bin")))
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        let status = session.status("send @\(directory.file("big.bin"))")
        #expect(status.ok && status.message.hasPrefix("queued \(8 << 20) bytes for #1"), "\(status)")
        #expect(byteDifference(drain(peer, session, count: content.count), content) == nil)
        #expect(session.pump(until: { session.entry(1)?.queuedOut == 0 }))
        #expect(byteDifference(session.bytes(.send, on: 1), content) == nil, "the log holds what was sent, in order")
        #expect(session.entry(1)?.bytesOut == UInt64(content.count))
    }

    /// Bytes are read from the file when the kernel takes them: a change to the file's tail made
    /// after `send` returned is what the peer receives.
    @Test func theFileIsReadAsItIsSentNotWhenQueued() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("f.bin")
        let size = 4 << 20
        try Data(repeating: UInt8(ascii: "a"), count: size).write(to: URL(fileURLWithPath: path))
        let peers = try PeerCollector(receiveBuffer: 4096)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.run("sockopt sndbuf 4096", "send @\(path)").allOK)
        let queued = session.entry(1)?.queuedOut ?? 0
        #expect(queued > size / 2, "the kernel took most of the file at once: \(queued) queued")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(size - 1000))
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "z"), count: 1000))
        try handle.close()
        let received = drain(peer, session, count: size)
        #expect(received.count == size)
        #expect(received.suffix(1000).allSatisfy { $0 == UInt8(ascii: "z") }, "the tail was sent as it was when queued")
        #expect(received.prefix(size - 1000).allSatisfy { $0 == UInt8(ascii: "a") })
    }

    /// A file truncated while it streams: what was sent stays sent, the rest is reported missing,
    /// and the connection goes on.
    @Test func aFileThatShrinksMidSendIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("f.bin")
        let size = 4 << 20
        try Data(repeating: 0x42, count: size).write(to: URL(fileURLWithPath: path))
        let peers = try PeerCollector(receiveBuffer: 4096)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.run("sockopt sndbuf 4096", "send @\(path)", "sendl after").allOK)
        let sentBefore = Int(session.entry(1)?.bytesOut ?? 0)
        #expect(truncate(path, off_t(sentBefore)) == 0)
        let received = session.read(peer, until: { $0.suffix(6) == Array("after\n".utf8) }, timeout: 20).bytes
        #expect(byteDifference(received, [UInt8](repeating: 0x42, count: sentBefore) + Array("after\n".utf8)) == nil)
        let missing = size - sentBefore
        #expect(session.lines.contains("#1 ✗ send @\(path): the file shrank while it was being sent; its last \(missing) bytes were not sent"),
                "\(session.lines.suffix(3))")
        #expect(session.entry(1)?.state == .established)
        #expect(session.entry(1)?.queuedOut == 0)
    }

    /// Bytes around a file leave with it in order; bytes next to bytes leave in one write.
    @Test func sendlWritesPayloadAndLineEndingAtOnce() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "sendl hello", "wait #2 data").allOK)
        #expect(session.lines.filter { $0.hasPrefix("#1 > ") } == [#"#1 > 6 "hello\n""#])
    }

    @Test func sendStarAndSendlShareOneFile() throws {
        let directory = try TemporaryDirectory()
        let content = patternBytes(300_000, seed: 9)
        try Data(content).write(to: URL(fileURLWithPath: directory.file("f.bin")))
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let first = try session.connect(to: peers)
        let second = try session.connect(to: peers)
        #expect(session.status("sendl * \"<\" @\(directory.file("f.bin")) \">\"").ok)
        let expected = Array("<".utf8) + content + Array(">\n".utf8)
        #expect(byteDifference(drain(first, session, count: expected.count), expected) == nil)
        #expect(byteDifference(drain(second, session, count: expected.count), expected) == nil)
    }

    @Test func aDatagramFromAFileLeavesInOnePiece() throws {
        let directory = try TemporaryDirectory()
        try directory.write("d.txt", "datagram body")
        let udp = try PeerDatagramSocket()
        let session = try EngineSession()
        #expect(session.run("connect udp 127.0.0.1:\(udp.port)", "send @\(directory.file("d.txt")) !").allOK)
        #expect(udp.receive()?.bytes == Array("datagram body!".utf8))
    }

    /// Nothing a payload names can keep the loop waiting: a FIFO (whose open would block until a
    /// writer came) and a terminal are refused at once; a directory is an error; /dev/null is empty.
    @Test func filesThatWouldBlockAreRefusedAtOnce() throws {
        let directory = try TemporaryDirectory()
        let fifo = try directory.fifo("fifo")
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let started = Date()
        let refusal = "@\(fifo): a pipe, socket or terminal: sockpit reads only files that cannot keep it waiting"
        #expect(session.failing("send @\(fifo)", timeout: 5) == Status.error(refusal))
        #expect(session.failing("expect @\(fifo) timeout=1", timeout: 5) == Status.error(refusal))
        #expect(session.failing("reply @\(fifo)", timeout: 5) == Status.error(refusal))
        #expect(session.failing("source \(fifo)", timeout: 5)
                == Status.error("source \(fifo): not a regular file: sockpit reads only files that cannot keep it waiting"))
        #expect(session.failing("send @\(directory.path)") == Status.error("read @\(directory.path): EISDIR (Is a directory)"))
        #expect(Date().timeIntervalSince(started) < 5, "a refusal waited")
        #expect(session.status("send @/dev/null") == Status.ok("sent 0 bytes to #1"))
        if isatty(0) == 1 || FileManager.default.isReadableFile(atPath: "/dev/tty") {
            let tty = session.run(["send @/dev/tty"], timeout: 5).last
            #expect(tty?.ok == false, "\(String(describing: tty))")
        }
    }

    /// Files read whole have an explicit limit (16 MiB); `send` of the same file streams.
    @Test func filesReadWholeHaveALimit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("sparse.bin")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, off_t((16 << 20) + 1)) == 0)
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let before = session.snapshot
        #expect(session.failing("expect @\(path) timeout=1") == Status.error("@\(path): larger than 16 MiB"))
        #expect(session.failing("reply @\(path)") == Status.error("@\(path): larger than 16 MiB"))
        #expect(session.snapshot == before)
        #expect(session.status("send @\(path)").message.hasPrefix("queued \((16 << 20) + 1) bytes for #1"))
        #expect(session.status("reset #1").ok)
    }
}
