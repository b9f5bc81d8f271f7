// Tests for Completer: commands, ids, option names, keywords, paths, ambiguity and common prefixes.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct CompletionTests {
    /// A fake file system: "" holds files, a directory and a hidden file; "requests/" and "/etc/" a few files.
    static let files: [String: [String]] = [
        "": ["request.bin", "requests/", ".hidden", "notes.txt"],
        "requests/": ["get.txt", "post.txt"],
        "/etc/": ["hosts", "hostname"],
    ]

    var source: CompletionSource {
        var source = plain
        // The registry's declarations for the file commands (ScreenController.completionSource).
        source.syntax = ["source": [ArgumentInfo("FILE", .file)],
                         "save": [ArgumentInfo("FILE", .file), .keyword(["text", "hex", "jsonl"], optional: true)]]
        return source
    }

    let plain = CompletionSource(
        commands: ["listen", "connect", "close", "send", "sendl", "sockopt", "source", "save", "view", "set"],
        keywords: ["view": ["text", "hex", "both"], "listen": ["tcp", "udp", "unix", "backlog=", "reply="],
                   "save": ["text", "hex", "jsonl"]],
        socketIDs: ["#1", "#3", "#12"],
        optionNames: ["reuseaddr", "reuseport", "rcvbuf", "nodelay"],
        listPaths: { CompletionTests.files[$0] ?? [] }
    )

    func complete(_ line: String, cursor: Int? = nil) -> Completion {
        Completer.complete(line: line, cursor: cursor ?? line.count, source: source)
    }

    @Test func uniqueCommandGetsASpace() {
        #expect(complete("lis") == Completion(line: "listen ", cursor: 7))
        #expect(complete("  vi") == Completion(line: "  view ", cursor: 7))
    }

    @Test func ambiguousCommandsInsertTheCommonPrefix() {
        #expect(complete("sen") == Completion(line: "send", cursor: 4, candidates: ["send", "sendl"]))
        #expect(complete("se") == Completion(line: "se", cursor: 2, candidates: ["send", "sendl", "set"]))
        #expect(complete("c") == Completion(line: "c", cursor: 1, candidates: ["close", "connect"]))
        #expect(complete("s") == Completion(line: "s", cursor: 1,
                                            candidates: ["save", "send", "sendl", "set", "sockopt", "source"]))
    }

    @Test func exactCommandThatIsAlsoAPrefix() {
        #expect(complete("send") == Completion(line: "send", cursor: 4, candidates: ["send", "sendl"]))
    }

    @Test func noMatchLeavesTheLine() {
        #expect(complete("zz") == Completion(line: "zz", cursor: 2))
        #expect(complete("view ma") == Completion(line: "view ma", cursor: 7))
    }

    @Test func emptyLineListsAllCommands() {
        #expect(complete("").candidates.count == 10)
    }

    @Test func socketIDs() {
        #expect(complete("send #1") == Completion(line: "send #1", cursor: 7, candidates: ["#1", "#12"]))
        #expect(complete("close #3") == Completion(line: "close #3 ", cursor: 9))
        #expect(complete("close #") == Completion(line: "close #", cursor: 7, candidates: ["#1", "#12", "#3"]))
    }

    @Test func keywordsOfTheCommand() {
        #expect(complete("view h") == Completion(line: "view hex ", cursor: 9))
        #expect(complete("view ") == Completion(line: "view ", cursor: 5, candidates: ["both", "hex", "text"]))
        #expect(complete("listen tcp 5000 back") == Completion(line: "listen tcp 5000 backlog=", cursor: 24))
    }

    @Test func optionNamesAfterSockoptAndItsTarget() {
        #expect(complete("sockopt re") == Completion(line: "sockopt reuse", cursor: 13, candidates: ["reuseaddr", "reuseport"]))
        #expect(complete("sockopt #3 no") == Completion(line: "sockopt #3 nodelay ", cursor: 19))
        #expect(complete("sockopt . rc") == Completion(line: "sockopt . rcvbuf ", cursor: 17))
        #expect(complete("sockopt nodelay o") == Completion(line: "sockopt nodelay o", cursor: 17))
    }

    @Test func pathsAfterSourceSaveAndAt() {
        #expect(complete("source req") == Completion(line: "source request", cursor: 14,
                                                     candidates: ["request.bin", "requests/"]))
        #expect(complete("source requests") == Completion(line: "source requests/", cursor: 16))
        #expect(complete("source requests/p") == Completion(line: "source requests/post.txt ", cursor: 25))
        #expect(complete("send #3 @requests/") == Completion(line: "send #3 @requests/", cursor: 18,
                                                             candidates: ["get.txt", "post.txt"]))
        #expect(complete("send @n") == Completion(line: "send @notes.txt ", cursor: 16))
        #expect(complete("save /etc/ho") == Completion(line: "save /etc/host", cursor: 14,
                                                       candidates: ["hostname", "hosts"]))
        #expect(complete("save log.txt j") == Completion(line: "save log.txt jsonl ", cursor: 19))
    }

    @Test func hiddenFilesOnlyWhenAskedFor() {
        #expect(complete("source ").candidates == ["notes.txt", "request.bin", "requests/"])
        #expect(complete("source .h") == Completion(line: "source .hidden ", cursor: 15))
    }

    @Test func completesTheWordBeforeTheCursorAndKeepsTheRest() {
        #expect(complete("vi hex", cursor: 2) == Completion(line: "view hex", cursor: 5))
        #expect(complete("vihex", cursor: 2) == Completion(line: "view hex", cursor: 5))
    }
}
