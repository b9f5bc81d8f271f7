// Seeds.swift — writes the fuzzers' seed corpora and dictionaries (run by fuzz/run.sh before each
// run, so they follow the code): every `help` example, the test suite's hand-written lines, tokens
// and samples (FuzzSeeds, shared with the tests), and the payload part of each line.

import ExplorerCore
import Glibc

@main
enum Seeds {
    static func main() {
        guard CommandLine.arguments.count == 2 else {
            fail("usage: seeds DIRECTORY (writes DIRECTORY/{parser,payload,sanitizer}/ and *.dict)")
        }
        let root = CommandLine.arguments[1]
        let lines = CommandCatalog.commands.flatMap(\.examples) + FuzzSeeds.lines
        write(lines.map { Array($0.utf8) }, into: root + "/parser")
        write((lines.flatMap(payloadParts) + payloads).map { Array($0.utf8) }, into: root + "/payload")
        write(sanitizerSeeds, into: root + "/sanitizer")

        let options = CommandCatalog.commands.flatMap { $0.options.map { $0.name + "=" } + $0.options.flatMap(\.choices) }
        let words = CommandCatalog.allWords + CommandCatalog.commands.flatMap(\.keywords) + options
            + CommandCatalog.socketOptionNames + CommandCatalog.settingNames + FuzzSeeds.tokens
        writeDictionary(words.map { Array($0.utf8) }, to: root + "/parser.dict")
        writeDictionary((FuzzSeeds.tokens + escapes).map { Array($0.utf8) }, to: root + "/payload.dict")
        writeDictionary((FuzzSeeds.hiddenSamples + FuzzSeeds.visibleSamples).map { Array($0.utf8) }, to: root + "/sanitizer.dict")
    }

    /// Every escape of the payload syntax, and the starts of its pieces.
    static let escapes = [
        #"\r"#, #"\n"#, #"\t"#, #"\\"#, #"\""#, #"\'"#, #"\0"#, #"\a"#, #"\b"#, #"\e"#, #"\f"#, #"\v"#,
        #"\x"#, #"\u{"#, #"\u{10FFFF}"#, #"x""#, #"@""#, "0x", "{data}",
    ]

    /// Payloads beyond those in the example lines: each kind of piece and each escape.
    static let payloads = [
        #""\r\n\t\\\"\'\0\a\b\e\f\v\x41\u{4F60}\u{1F600}""#, #"x"de ad:be,ef 0x00""#, #"x"0x0a0D""#,
        #"@"a file" @b "c" x"64""#, #"bare words \x00 "quotes" stay\r\n"#, #""""#, #"x"""#, "  padded  ",
        #""\u{D800}""#, #""\u{110000}""#, #""\xZZ""#, #""abc\"#, #"x"abc""#, "@", #"@"unterminated"#,
    ]

    /// The text after the command word, and after a target word if one follows.
    static func payloadParts(_ line: String) -> [String] {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count > 1 else { return [] }
        let rest = line.dropFirst(words[0].count + 1)
        let target = words[1]
        guard words.count > 2, target.first == "#" || target == "." || target == "*" else { return [String(rest)] }
        return [String(rest), String(words[2])]
    }

    /// Sanitizer inputs: byte 0 picks the cuts (see SanitizerFuzzer.swift); one seed per sample
    /// whole, and cut in the middle.
    static var sanitizerSeeds: [[UInt8]] {
        let illFormed: [[UInt8]] = [
            [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xBD], [0xBD], [0xFF],
            [0xF0, 0x9F, 0x98], [0xE4, 0xBD, 0xE4, 0xBD, 0xA0],
        ]
        let texts = FuzzSeeds.hiddenSamples + FuzzSeeds.visibleSamples + ["plain ASCII text", "tab\tcr\rlf\n\\x1b", "\u{1B}[31mred\u{7}"]
        let streams = texts.map { Array($0.utf8) } + illFormed + [Array(0...255)]
        return streams.flatMap { stream in [[0] + stream, [1, 128] + stream, [3, 40, 120, 200] + stream] }
    }

    static func write(_ seeds: [[UInt8]], into directory: String) {
        mkdir(directory, 0o755)
        for (index, seed) in seeds.enumerated() {
            writeFile(directory + "/seed-\(index)", seed)
        }
    }

    /// libFuzzer's dictionary format: one quoted entry per line, bytes outside printable ASCII as \xNN.
    static func writeDictionary(_ entries: [[UInt8]], to path: String) {
        var text: [UInt8] = []
        for entry in Set(entries).sorted(by: { $0.lexicographicallyPrecedes($1) }) where !entry.isEmpty {
            text.append(UInt8(ascii: "\""))
            for byte in entry {
                if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    text.append(byte)
                } else {
                    let digits = Array("0123456789abcdef".utf8)
                    text += [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
                }
            }
            text += [UInt8(ascii: "\""), 0x0A]
        }
        writeFile(path, text)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { fail("seeds: cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { fail("seeds: cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    static func fail(_ message: String) -> Never {
        let text = message + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress, $0.count - 1) }
        exit(2)
    }
}
