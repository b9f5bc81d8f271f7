// Seeded fuzz test: 200,000 random and mutated lines through CommandParser.parse must only return or throw.

import Testing
@testable import ExplorerCore

/// SplitMix64: small, fast and reproducible, so a failure can be replayed from the seed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds hostile lines: random scalars biased to the syntax's special characters, and mutations of valid lines.
private struct LineFuzzer {
    var random: SplitMix64

    static let alphabet: [Unicode.Scalar] = Array(#" "\\x@#.*:=[]{}/-,0123456789abcdefxuXtrn%"#.unicodeScalars)
        + ["\t", "\r", "\n", "\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{202E}", "\u{200B}", "é", "你", "😀", "\u{FEFF}"]

    static let tokens = [
        "\"", "x\"", "\\u{", "\\x", "\\", "#3", "#0", ".", "*", "timeout=", "to=", "[::1]:", "*:", "@", "@\"", "\"\\",
        "99999999999999999999", "=", "all", "off", "unix", "/tmp/s", "0x", "{data}", "-", ",", ":", "]", "[",
    ]

    static let corpus: [String] = CommandCatalog.commands.flatMap(\.examples) + [
        #"send #3 "GET / HTTP/1.1\r\nHost: x\r\n\r\n""#, #"send x"00 01" "tail""#, "send @request.bin",
        #"listen 5000 reply="OK ... {data}" backlog=4 accept=manual"#, "expect OK timeout=2",
        "connect [fe80::1%eth0]:22 from=127.0.0.1:0 timeout=1.5s", "scan 127.0.0.1 20-25,80,443",
        #"send "\u{4F60}\x00\e""#, "http http://[::1]:8080/a?b=c", "set logcap 64MiB", "recv #3 16 all",
    ]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func scalar() -> Unicode.Scalar {
        if int(0..<8) == 0 { return Unicode.Scalar(UInt8(int(0x20..<0x7F))) }
        return LineFuzzer.alphabet[int(0..<LineFuzzer.alphabet.count)]
    }

    mutating func randomLine() -> String {
        var scalars: [Unicode.Scalar] = []
        if int(0..<2) == 0 {
            scalars += CommandCatalog.allWords[int(0..<CommandCatalog.allWords.count)].unicodeScalars
            scalars.append(" ")
        }
        for _ in 0..<int(0..<60) { scalars.append(scalar()) }
        return String(String.UnicodeScalarView(scalars))
    }

    mutating func mutatedLine() -> String {
        var scalars = Array(LineFuzzer.corpus[int(0..<LineFuzzer.corpus.count)].unicodeScalars)
        for _ in 0..<int(1..<5) {
            let at = int(0..<(scalars.count + 1))
            switch int(0..<6) {
            case 0: scalars.insert(scalar(), at: at)
            case 1: if at < scalars.count { scalars.remove(at: at) }
            case 2: if at < scalars.count { scalars[at] = scalar() }
            case 3: scalars.insert(contentsOf: LineFuzzer.tokens[int(0..<LineFuzzer.tokens.count)].unicodeScalars, at: at)
            case 4: scalars.removeSubrange(at..<scalars.count)
            default: scalars.insert(contentsOf: scalars[at...].prefix(int(1..<12)), at: at)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

@Suite("Command parser: fuzz")
struct CommandParserFuzzTests {
    @Test("200,000 random and mutated lines only return or throw, with safe messages")
    func fuzz() {
        var fuzzer = LineFuzzer(random: SplitMix64(state: 0x5EED_50C4_9177))
        var parsed = 0
        var failed = 0
        var unsafeMessages: [String] = []
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for round in 0..<200_000 {
                let line = round % 2 == 0 ? fuzzer.randomLine() : fuzzer.mutatedLine()
                do throws(ParseError) {
                    _ = try CommandParser.parse(line)
                    parsed += 1
                } catch {
                    failed += 1
                    let message = error.message
                    let unsafe = message.unicodeScalars.contains { scalar in
                        let v = scalar.value
                        return v < 0x20 || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v)
                            || (0x2066...0x2069).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF
                    }
                    if message.isEmpty || unsafe || message.unicodeScalars.count > 500, unsafeMessages.count < 5 {
                        unsafeMessages.append(line)
                    }
                }
            }
        }
        #expect(parsed + failed == 200_000)
        #expect(parsed > 10_000, "the fuzzer should reach valid commands, not only errors")
        #expect(failed > 10_000, "the fuzzer should reach errors")
        #expect(unsafeMessages == [], "messages must be non-empty, short, and free of raw control characters")
        #expect(elapsed < .seconds(120), "parsing must stay fast: \(elapsed)")
    }
}
