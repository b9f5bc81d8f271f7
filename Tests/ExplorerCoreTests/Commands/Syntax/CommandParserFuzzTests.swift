// Seeded fuzz test: 1,000,000 random and mutated lines (five shards of 200,000, run in parallel)
// through CommandParser.parse and PayloadParser.parse must only return or throw, with safe messages.

import Testing
@testable import ExplorerCore

/// Builds hostile lines: random scalars biased to the syntax's special characters, and mutations of valid lines.
struct LineFuzzer {
    var random: SeededGenerator

    static let alphabet: [Unicode.Scalar] = Array(#" "\\x@#.*:=[]{}/-,0123456789abcdefxuXtrn%"#.unicodeScalars)
        + ["\t", "\r", "\n", "\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{202E}", "\u{200B}", "é", "你", "😀", "\u{FEFF}"]

    static let tokens = FuzzSeeds.tokens

    static let corpus: [String] = CommandCatalog.commands.flatMap(\.examples) + FuzzSeeds.lines

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
        mutate(LineFuzzer.corpus[int(0..<LineFuzzer.corpus.count)])
    }

    /// `line` with one to four random edits: insertions, deletions, replacements, syntax tokens,
    /// truncation, duplicated stretches.
    mutating func mutate(_ line: String) -> String {
        var scalars = Array(line.unicodeScalars)
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
    /// A fifth under AddressSanitizer, a twentieth under ThreadSanitizer, which make every line
    /// several times slower (under ASan one full shard overran the time limit, under TSan one fifth
    /// of a shard did); fuzz/ has coverage-guided targets for those builds.
    static let linesPerShard = SanitizerBuild.thread ? 10_000 : SanitizerBuild.active ? 40_000 : 200_000

    /// Each shard has its own seed (reproducible: rerun one shard by its argument); together they
    /// parse 1,000,000 lines as commands, and the same lines — whole, and after the command word —
    /// as payloads. Measured: about 10 s per shard in a debug build, two shards at a time on 2 cores.
    /// A hung parser fails the time limit; how fast parsing is belongs to bench/, not here.
    @Test("1,000,000 random and mutated lines only return or throw, with safe messages", .timeLimit(.minutes(3)), arguments: 0..<5)
    func fuzz(shard: Int) {
        var fuzzer = LineFuzzer(random: SeededGenerator(seed: 0x5EED_50C4_9177 &+ UInt64(shard) &* 0x9E37_79B9))
        var parsed = 0
        var failed = 0
        var payloads = 0
        var unsafeMessages: [String] = []
        do {
            for round in 0..<Self.linesPerShard {
                let line = round % 2 == 0 ? fuzzer.randomLine() : fuzzer.mutatedLine()
                do throws(ParseError) {
                    _ = try CommandParser.parse(line)
                    parsed += 1
                } catch {
                    failed += 1
                    if isUnsafeMessage(error.message), unsafeMessages.count < 5 { unsafeMessages.append(line) }
                }
                let rest = line.drop { $0 != " " }.dropFirst()
                for text in [line, String(rest)] {
                    do throws(ParseError) {
                        _ = try PayloadParser.parse(text)
                        payloads += 1
                    } catch {
                        if isUnsafeMessage(error.message), unsafeMessages.count < 5 { unsafeMessages.append(text) }
                    }
                }
            }
        }
        #expect(parsed + failed == Self.linesPerShard)
        #expect(parsed > Self.linesPerShard / 20, "the fuzzer should reach valid commands, not only errors")
        #expect(failed > Self.linesPerShard / 20, "the fuzzer should reach errors")
        #expect(payloads > Self.linesPerShard / 20, "the fuzzer should reach valid payloads")
        #expect(unsafeMessages == [], "messages must be non-empty, short, and free of raw control characters")
    }
}
