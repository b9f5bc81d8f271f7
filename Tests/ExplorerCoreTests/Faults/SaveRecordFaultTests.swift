// SaveRecordFaultTests.swift — nothing lost when files misbehave: `save` replaces its file
// atomically, writes into devices without replacing them, and a save or recording that hits a
// full disk (/dev/full gives ENOSPC on every write) says so and leaves the in-memory log intact.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct SaveRecordFaultTests {
    /// The inode of `path` (0 when it does not exist).
    private func inode(_ path: String) -> UInt {
        var info = stat()
        return stat(path, &info) == 0 ? UInt(info.st_ino) : 0
    }

    private func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
    }

    /// A reader of the old file keeps reading the whole old file; the path switches to a new,
    /// complete file in one step (rename), and no temporary file is left behind.
    @Test func saveReplacesTheFileInOneStep() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("log.txt")
        let old = String(repeating: "old line\n", count: 10_000)
        try directory.write("log.txt", old)
        let oldInode = inode(path)
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? reader.close() }

        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair", "send hello").allOK)
        #expect(session.pumpUntilReceived(5, on: 2))
        let status = session.status("save \(path)")
        #expect(status.ok, "\(status)")

        #expect(inode(path) != oldInode, "save wrote into the old file instead of replacing it")
        #expect(String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self) == old, "the old file changed under its reader")
        #expect(directory.read("log.txt") == Array((session.lines.joined(separator: "\n") + "\n").utf8))
        #expect(directory.names == ["log.txt"])
    }

    /// `save /dev/full`: ENOSPC, said plainly; the device is still a device, the log unchanged.
    @Test func saveToAFullDiskFailsAndChangesNothing() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "send hello").allOK)
        #expect(session.pumpUntilReceived(5, on: 2))
        let before = session.snapshot
        #expect(session.failing("save /dev/full") == Status.error("save /dev/full: ENOSPC (No space left on device)"))
        #expect(session.snapshot == before)
        #expect(isCharacterDevice("/dev/full"), "save replaced /dev/full with a file")
        #expect(session.status("save /dev/null").ok)
        #expect(isCharacterDevice("/dev/null"), "save replaced /dev/null with a file")
    }

    /// A FIFO nobody reads: save and record fail at once instead of waiting for a reader forever.
    @Test func saveAndRecordIntoAFIFOWithoutAReaderFailAtOnce() throws {
        let directory = try TemporaryDirectory()
        let fifo = try directory.fifo("fifo")
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let started = Date()
        #expect(session.failing("save \(fifo)", timeout: 5) == Status.error("save \(fifo): ENXIO (No such device or address)"))
        #expect(session.failing("record \(fifo)", timeout: 5) == Status.error("open \(fifo): ENXIO (No such device or address)"))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(!session.engine.isRecording)
        session.expectResponsive()
    }

    /// A recording whose disk fills up stops, says why (event and status), and the in-memory log
    /// keeps every entry; a later save of it to a good place holds them all.
    @Test func recordingToAFullDiskStopsAndKeepsTheLog() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair", "record /dev/full").allOK)
        #expect(session.engine.isRecording)
        #expect(session.status("send hello").ok)
        #expect(session.pumpUntilReceived(5, on: 2))
        session.engine.flushRecording()  // what the program's loop does after every step

        #expect(!session.engine.isRecording)
        #expect(session.lines.last == "✗ recording stopped: write /dev/full: ENOSPC (No space left on device)")
        #expect(session.engine.status == Status.error("recording stopped: write /dev/full: ENOSPC (No space left on device)"))
        #expect(session.engine.log.count == session.entries.count)
        #expect(session.bytes(.recv, on: 2) == Array("hello".utf8))
        #expect(isCharacterDevice("/dev/full"))

        #expect(session.status("send more").ok, "sockpit stopped working after the recording failed")
        #expect(session.pumpUntilReceived(9, on: 2))
        #expect(session.status("save \(directory.file("log.txt"))").ok)
        let saved = String(decoding: directory.read("log.txt") ?? [], as: UTF8.self)
        #expect(saved.contains(#"#2 < 5 "hello""#) && saved.contains(#"#2 < 4 "more""#), "\(saved)")
        #expect(saved.contains("recording stopped"))
    }

    /// The 256 KiB write buffer fills mid-flood: the failure is caught there too, not only at a flush.
    @Test func recordingFailsMidFloodWithoutLosingTheLog() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "record /dev/full hex").allOK)
        let chunk = String(repeating: "y", count: 4000)
        for _ in 0..<100 { #expect(session.status("send \(chunk)").ok) }
        #expect(session.pumpUntilReceived(400_000, on: 2))
        #expect(!session.engine.isRecording, "a full disk went unnoticed")
        #expect(session.lines(containing: "recording stopped: write /dev/full: ENOSPC").count == 1)
        #expect(session.bytes(.recv, on: 2).count == 400_000)
        #expect(session.engine.log.count == session.entries.count)
    }
}
