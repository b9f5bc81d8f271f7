// LogCommandsTests.swift — the log commands: view, filter, find, clear, follow (the engine's
// `view` state), `save` in text, hex and JSON lines (content checked, atomic, failures harmless)
// and `record` (every event streamed to a file, even when the in-memory log wraps).

import ExplorerCore
import Foundation
import Testing

@Suite struct LogCommandsTests {
    @Test func viewSetsTheRendering() throws {
        let session = try EngineSession()
        #expect(session.engine.view.mode == .text)
        #expect(session.status("view hex") == Status.ok("view hex"))
        #expect(session.engine.view.mode == .hex)
        #expect(session.status("view both") == Status.ok("view both"))
        #expect(session.engine.view.mode == .both)
        #expect(session.status("view text") == Status.ok("view text"))
        #expect(session.engine.view.mode == .text)
        let before = session.snapshot
        #expect(!session.failing("view sideways").ok)
        #expect(session.snapshot == before)
    }

    @Test func filterNarrowsToOneSocketAndBack() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "pair").allOK)
        #expect(session.status("filter #1") == Status.ok("showing #1 only and its peers"))
        #expect(session.engine.view.filter == SocketID(1))
        #expect(session.status("filter #3") == Status.ok("showing #3 only"))
        #expect(session.engine.view.filter == SocketID(3))
        #expect(session.status("filter all") == Status.ok("showing every socket"))
        #expect(session.engine.view.filter == nil)
        #expect(session.status("filter") == Status.ok("showing #2 only"), "no target: the selected socket")
        #expect(session.status("filter *") == Status.ok("showing every socket"))
        let before = session.snapshot
        #expect(session.failing("filter #9") == Status.error("filter: no socket #9"))
        #expect(session.snapshot == before)
    }

    @Test func findSearchesTheLogAndStopsFollowingUntilFollow() throws {
        let session = try EngineSession()
        #expect(session.run("pair", #"send "a needle in a haystack""#).allOK)
        #expect(session.pumpUntilReceived(22, on: 2))
        #expect(session.status("find needle") == Status.ok(#""needle": 2 matches in 2 log entries"#))
        #expect(session.engine.view.search == LogSearch(bytes: Array("needle".utf8)))
        #expect(session.engine.view.searchGeneration == 1)
        #expect(session.engine.view.follow == false)
        #expect(session.status("find paired") == Status.ok(#""paired": 2 matches in 2 log entries"#), "events are searched too")
        #expect(session.engine.view.searchGeneration == 2)
        #expect(session.status(#"find x"1b""#) == Status.ok(#""\x1b": 0 matches in 0 log entries"#))
        #expect(session.status("follow") == Status.ok("following new entries"))
        #expect(session.engine.view.follow == true)
    }

    @Test func clearEmptiesTheKeptLog() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "send abc").allOK)
        #expect(session.pumpUntilReceived(3, on: 2))
        let kept = session.engine.log.count
        #expect(kept == 4)
        #expect(session.status("clear") == Status.ok("cleared 4 entries from the screen log"))
        #expect(session.engine.log.count == 0)
        #expect(session.status("send def").ok)
        #expect(session.pumpUntilReceived(6, on: 2))
        #expect(session.engine.log.count == 2)
    }

    @Test func saveTextWritesTheLogAsHeadlessPrintsIt() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair", #"send "line one\nline two""#, #"send #2 "\x1b]0;title\x07""#).allOK)
        #expect(session.pumpUntilReceived(17, on: 2))
        #expect(session.pumpUntilReceived(10, on: 1))
        let path = directory.file("log.txt")
        let count = session.engine.log.count
        let status = session.status("save \(path)")
        let expected = session.lines.joined(separator: "\n") + "\n"
        #expect(status == Status.ok("saved \(count) events (\(expected.utf8.count) bytes, text) to \(path)"))
        #expect(directory.read("log.txt") == Array(expected.utf8))
        #expect(expected.contains(#"#2 > 10 "\x1b]0;title\x07""#))
        #expect(directory.names == ["log.txt"], "a temporary file was left behind")
    }

    @Test func saveHexWritesHexdumpRowsAtStreamOffsets() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        // #2 is paused, so only what #1 sent is in the log.
        #expect(session.run("set timestamps off", "pair", "pause #2", "send #1 hello world, hexdump rows!", "send #1 more").allOK)
        #expect(session.status("save \(directory.file("log.hex")) hex").ok)
        let text = String(decoding: directory.read("log.hex") ?? [], as: UTF8.self)
        #expect(text == """
            #1 paired with #2 (socketpair AF_UNIX SOCK_STREAM)
            #2 paired with #1
            #2 paused: bytes wait in the kernel
            #1 > 26
            00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 68 65 78  |hello world, hex|
            00000010  64 75 6d 70 20 72 6f 77  73 21                    |dump rows!|
            #1 > 4
            0000001a  6d 6f 72 65                                       |more|

            """)
    }

    /// JSON lines are lossless: every line parses, and `data_b64` holds the exact bytes.
    @Test func saveJSONLinesIsLossless() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        let bytes: [UInt8] = [0x00, 0xff, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xe6, 0xb5, 0x8b, 0x0d, 0x0a]
        #expect(session.run("pair", #"send x"00 ff 1b 5b 33 31 6d e6 b5 8b 0d 0a""#).allOK)
        #expect(session.pumpUntilReceived(bytes.count, on: 2))
        #expect(session.status("save \(directory.file("log.jsonl")) jsonl").ok)
        let objects = try jsonObjects(directory.read("log.jsonl") ?? [])
        #expect(objects.count == 4)
        #expect(objects.map { $0["event"] as? String } == ["connected", "connected", "send", "recv"])
        #expect(objects.map { $0["id"] as? Int } == [1, 2, 1, 2])
        for object in objects {
            let time = object["t"] as? String ?? ""
            #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)/) != nil, "t = \(time)")
        }
        for data in objects.suffix(2) {
            #expect(data["len"] as? Int == bytes.count)
            #expect(data["offset"] as? Int == 0)
            #expect(Data(base64Encoded: data["data_b64"] as? String ?? "").map { Array($0) } == bytes)
            #expect(data["text"] as? String == #"\x00\xff\x1b[31m测\r\n"#)
        }
        #expect(objects[0]["text"] as? String == "paired with #2 (socketpair AF_UNIX SOCK_STREAM)")
    }

    @Test func saveReplacesAFileAtomicallyAndAFailedSaveChangesNothing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("log.txt", "old contents\n")
        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair").allOK)
        #expect(session.status("save \(directory.file("log.txt"))").ok)
        #expect(directory.read("log.txt") == Array((session.lines.joined(separator: "\n") + "\n").utf8))
        #expect(directory.names == ["log.txt"])

        let missing = directory.file("no/such/dir/log.txt")
        let before = session.snapshot
        #expect(session.failing("save \(missing)") == Status.error("save \(missing): ENOENT (No such file or directory)"))
        #expect(session.snapshot == before)
        #expect(directory.names == ["log.txt"])
    }

    /// `record` streams every event to the file, even what the in-memory log has to evict.
    @Test func recordKeepsEveryEventWhileTheLogWraps() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("record.jsonl")
        let session = try EngineSession()
        #expect(session.run("set logcap 64K", "pair").allOK)
        #expect(session.status("record \(path)") == Status.ok("recording to \(path) (jsonl)"))
        #expect(session.lines.last == "recording every event to \(path) (jsonl)")
        let firstRecorded = session.entries.count - 1
        let chunk = String(repeating: "x", count: 1000)
        for index in 0..<200 { #expect(session.status("send #\(1 + index % 2) \(chunk)").ok) }
        #expect(session.pumpUntilReceived(100_000, on: 1))
        #expect(session.pumpUntilReceived(100_000, on: 2))
        #expect(session.engine.log.evictedEntries > 0, "the log never wrapped")
        let recorded = Array(session.entries[firstRecorded...])
        let status = session.status("record off")
        #expect(status.ok && status.message.hasPrefix("stopped recording to \(path): \(recorded.count) events, "), "\(status)")

        let objects = try jsonObjects(directory.read("record.jsonl") ?? [])
        #expect(objects.count == recorded.count)
        #expect(objects.map { $0["event"] as? String } == recorded.map(\.kind.rawValue))
        let received = objects.filter { $0["event"] as? String == "recv" && $0["id"] as? Int == 2 }
            .flatMap { Array(Data(base64Encoded: $0["data_b64"] as? String ?? "") ?? Data()) }
        #expect(received == Array(String(repeating: chunk, count: 100).utf8))

        #expect(session.status("send after off").ok)
        #expect(try jsonObjects(directory.read("record.jsonl") ?? []).count == recorded.count, "recorded after record off")
    }

    @Test func recordTextWritesHeadlessLines() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair", "record \(directory.file("record.txt")) text", "send hi").allOK)
        #expect(session.pumpUntilReceived(2, on: 2))
        #expect(session.status("record off").ok)
        let text = String(decoding: directory.read("record.txt") ?? [], as: UTF8.self)
        #expect(text == """
            recording every event to \(directory.file("record.txt")) (text)
            #1 > 2 "hi"
            #2 < 2 "hi"

            """)
    }

    @Test func recordErrorsChangeNothing() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        let missing = directory.file("missing/record.jsonl")
        let before = session.snapshot
        #expect(session.failing("record \(missing)") == Status.error("open \(missing): ENOENT (No such file or directory)"))
        #expect(session.failing("record off") == Status.error("record off: not recording"))
        #expect(session.snapshot == before)
    }

    /// Each non-empty line of `bytes` as a JSON object.
    private func jsonObjects(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], "not an object: \(line)")
        }
    }
}
