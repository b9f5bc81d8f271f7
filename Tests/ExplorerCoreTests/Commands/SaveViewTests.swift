// SaveViewTests.swift — issue 14 point 5: `save` writes what the filter shows unless `all`;
// `save FILE raw [TARGET] [sent|received]` writes one stream's exact bytes; `~` and `$HOME` expand.

@testable import ExplorerCore
import Foundation
import Testing

@Suite struct SaveViewTests {
    @Test func saveWritesWhatTheFilterShowsUnlessAll() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        #expect(session.run("set timestamps off", "pair", "send #1 to-two", "send #2 to-one").allOK)
        #expect(session.pumpUntilReceived(6, on: 2))
        #expect(session.pumpUntilReceived(6, on: 1))
        #expect(session.run("filter received").allOK)
        let status = session.status("save \(directory.file("shown.txt"))")
        #expect(status.ok && status.message.hasPrefix("saved 2 events"), "\(status)")
        let shown = String(decoding: directory.read("shown.txt") ?? [], as: UTF8.self)
        #expect(shown == "#2 < 6 \"to-two\"\n#1 < 6 \"to-one\"\n", "\(shown)")
        #expect(session.status("save \(directory.file("all.txt")) text all").ok)
        let all = String(decoding: directory.read("all.txt") ?? [], as: UTF8.self)
        #expect(all.contains("paired with") && all.contains("#1 > 6"), "\(all)")
    }

    @Test func saveRawWritesOneStreamsExactBytes() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        let body: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A] + Array("body".utf8) + [0xC3, 0xA9]
        #expect(session.run("pair", #"send #1 "\x00\xff\r\nbody\xc3\xa9""#, "send #1 !", "send #2 back").allOK)
        #expect(session.pumpUntilReceived(body.count + 1, on: 2))
        #expect(session.pumpUntilReceived(4, on: 1))
        let saved = session.status("save \(directory.file("in.bin")) raw #2")
        #expect(saved.ok && saved.message.contains("(\(body.count + 1) bytes, raw) to "), "\(saved)")
        #expect(directory.read("in.bin") == body + [0x21])
        #expect(session.status("save \(directory.file("out.bin")) raw #1 sent").ok)
        #expect(directory.read("out.bin") == body + [0x21])
        #expect(session.status("save \(directory.file("back.bin")) raw #1").ok)
        #expect(directory.read("back.bin") == Array("back".utf8))
        #expect(!session.status("save \(directory.file("x.bin")) raw #9").ok)
    }

    @Test func tildeAndHomeExpandInPaths() throws {
        let home = try #require(ProcessInfo.processInfo.environment["HOME"])
        #expect(try CommandParser.parse("save ~/s.log") == Command(SaveCommand(path: home + "/s.log", format: .text)))
        #expect(try CommandParser.parse("save $HOME/s.log hex") == Command(SaveCommand(path: home + "/s.log", format: .hex)))
        #expect(try CommandParser.parse("save ~user/s.log") == Command(SaveCommand(path: "~user/s.log", format: .text)))
        #expect(PathText.expanded("${HOME}/a") == home + "/a")
        #expect(PathText.expanded("~") == home)
        #expect(PathText.expanded("a/~/b") == "a/~/b")
    }
}
