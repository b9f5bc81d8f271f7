// InputFuzzTests.swift — bad input never crashes, beyond the parsers (CommandParserFuzzTests):
// random bytes through the sanitizer (every rendering safe, exact and chunk-independent), and
// fuzzed command lines run by a real Engine, where running can fail in ways parsing cannot.

@testable import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("Input fuzzing")
struct InputFuzzTests {
    /// 50,000 random byte strings (any byte, lengths 0–256, biased toward UTF-8 leads and
    /// controls) and a 1 MiB one: the rendering never holds a control byte or a hidden scalar, is
    /// valid UTF-8, agrees between the bulk and piece renderers, and does not depend on how the
    /// bytes were split into reads. Measured: about 5 s in a debug build (SanitizerPropertyTests
    /// adds 10,000 inputs checked for losslessness).
    @Test(.timeLimit(.minutes(3))) func randomBytesThroughTheSanitizer() {
        var random = SeededGenerator(seed: 0xB17E_5A11_7123)
        var failures: [[UInt8]] = []
        func check(_ input: [UInt8]) {
            let out = Sanitizer.escape(input)
            let safe = !out.utf8.contains { $0 < 0x20 || $0 == 0x7F } && !out.unicodeScalars.contains { Sanitizer.isHidden($0.value) }
            let cut = input.isEmpty ? 0 : Int.random(in: 0...input.count, using: &random)
            let split = renderStream([Array(input[..<cut]), Array(input[cut...])])
            if !safe || split != out || Sanitizer.pieces(input).map(\.rendered).joined() != out, failures.count < 3 {
                failures.append(input)
            }
        }
        do {
            for _ in 0..<50_000 {
                let length = Int.random(in: 0...256, using: &random)
                var input = [UInt8](repeating: 0, count: length)
                for index in 0..<length {
                    switch Int.random(in: 0..<8, using: &random) {
                    case 0: input[index] = UInt8.random(in: 0xC2...0xF4, using: &random)
                    case 1: input[index] = UInt8.random(in: 0x80...0xBF, using: &random)
                    case 2: input[index] = UInt8.random(in: 0...0x1F, using: &random)
                    default: input[index] = UInt8.random(in: 0...0xFF, using: &random)
                    }
                }
                check(input)
            }
            check((0..<(1 << 20)).map { _ in UInt8.random(in: 0...0xFF, using: &random) })
        }
        #expect(failures.isEmpty, "unsafe or inconsistent renderings for: \(failures)")
    }

    /// Lines a fuzzer may run against a real engine: nothing that reaches beyond this process's
    /// loopback sockets (no connect, resolve, scan, http or datagram destinations, no fixed ports,
    /// no files) and nothing that ends the session.
    static func safeToRun(_ command: Command) -> Bool {
        func noFiles(_ payload: Payload?) -> Bool {
            !(payload?.pieces.contains { if case .file = $0 { return true } else { return false } } ?? false)
        }
        switch command.base {
        case is ConnectCommand, is ResolveCommand, is ScanCommand, is HTTPCommand, is SaveCommand, is RecordCommand,
             is SourceCommand, is QuitCommand:
            return false
        case let listen as ListenCommand:
            if case .template(let payload) = listen.options.reply, !noFiles(payload) { return false }
            if case .hostPort(let host, let port) = listen.endpoint { return port == 0 && ["127.0.0.1", "localhost", "::1"].contains(host) }
            return false
        case let send as SendCommand:
            return send.to == nil && noFiles(send.payload)
        case let write as WriteCommand:
            return write.to == nil && noFiles(write.payload)
        case let bind as BindCommand:
            if case .hostPort(let host, let port) = bind.endpoint { return port == 0 && ["127.0.0.1", "localhost", "::1"].contains(host) }
            return false
        case let send as SendLineCommand:
            return send.to == nil && noFiles(send.payload)
        case let banner as BannerCommand:
            return noFiles(banner.payload)
        case let reply as ReplyCommand:
            if case .template(let payload) = reply.mode { return noFiles(payload) }
            return true
        case let find as FindCommand:
            return noFiles(find.payload)
        case let expect as ExpectCommand:
            return noFiles(expect.payload)
        default:
            return true
        }
    }

    static let engineCorpus = [
        "pair", "listen 0", "listen udp 0", "listen 0 accept=manual backlog=1", "send hello", "send #1 x\"00 ff 1b\"",
        "sendl * \"\\u{202E}\\x1b[2J\"", "recv #2 4", "recv #2 1 all", "pause #2", "resume *", "shutdown #1 wr", "shutdown rd",
        "close #3", "reset #4", "reply #2 echo", "reply #1 \"[{data}]\"", "reply reverse", "banner #5 welcome", "accept #5",
        "sockopt #1 nodelay 1", "sockopt #2 rcvbuf 1", "sockopt sndbuf 4096", "sockopt * keepalive on", "info", "info #2", "info *",
        "trace on", "trace off", "view hex", "view both", "filter #1", "filter all", "find \"x\"", "clear", "follow",
        "set eol crlf", "set logcap 64K", "set halfclose on", "set maxconns 5", "set timestamps relative",
        "expect #2 hello timeout=0.01", "wait #2 data timeout=0.01", "wait closed timeout=0.01", "select #2", "sleep 0.01",
        "echo \u{1b}]0;title\u{07}", "help", "help send",
    ]

    /// 20,000 fuzzed lines (mutations of engine commands, and random lines) submitted to real
    /// engines as if typed at the prompt, 200 lines per engine: each answers with a status (or
    /// runs in the background), none crashes, none blocks the loop, every status is display-safe.
    @Test(.timeLimit(.minutes(3))) func fuzzedLinesRunByARealEngine() throws {
        var fuzzer = LineFuzzer(random: SeededGenerator(seed: 0xE61E_F022))
        var ran = 0
        var skipped = 0
        var unsafe: [String] = []
        do {
            for _ in 0..<100 {
                let session = try EngineSession()
                for _ in 0..<200 {
                    let line: String
                    switch fuzzer.int(0..<4) {
                    case 0: line = fuzzer.randomLine()
                    case 1: line = fuzzer.mutatedLine()
                    default: line = fuzzer.mutate(Self.engineCorpus[fuzzer.int(0..<Self.engineCorpus.count)])
                    }
                    // Lines that do not parse run too (the engine answers them with their error).
                    if let command = try? CommandParser.parse(line), !Self.safeToRun(command) {
                        skipped += 1
                        continue
                    }
                    let before = session.statuses.count
                    session.engine.submit(line)
                    session.engine.step(maxWaitMilliseconds: 0)
                    session.engine.step(maxWaitMilliseconds: 0)
                    ran += 1
                    let answered = session.statuses.count > before || session.engine.status != nil
                    if !answered, unsafe.count < 5 { unsafe.append("no status: \(line)") }
                    if let status = session.engine.status, !Sanitizer.isDisplaySafe(status.message), unsafe.count < 5 {
                        unsafe.append("\(line) → \(status)")
                    }
                }
                #expect(session.lines.allSatisfy { Sanitizer.isDisplaySafe($0) }, "a log line holds a raw control")
            }
        }
        print("engine fuzz: \(ran) lines run, \(skipped) skipped (unsafe to run)")
        #expect(ran > 15_000, "too few lines ran: \(ran) (skipped \(skipped) unsafe to run)")
        #expect(unsafe == [])

    }
}
