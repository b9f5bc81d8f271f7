// FuzzOracles.swift — the checks and seeds the test suite shares with the libFuzzer targets in fuzz/:
// the sanitizer's inverse, a stream rendered read by read, what makes a parse error unfit for the
// status line, and the hand-written lines, tokens and samples random inputs start from. fuzz/run.sh
// compiles this file into the fuzz targets, so it imports ExplorerCore only (no Testing, no Foundation).

import ExplorerCore

/// Reverses the sanitizer's escapes; proves the rendering is unambiguous (nothing is lost).
func unescape(_ text: String) -> [UInt8]? {
    let s = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    func hexValue(_ range: Range<Int>) -> UInt32? {
        guard !range.isEmpty, range.upperBound <= s.count else { return nil }
        return UInt32(String(decoding: s[range], as: UTF8.self), radix: 16)
    }
    while i < s.count {
        guard s[i] == UInt8(ascii: "\\") else { out.append(s[i]); i += 1; continue }
        guard i + 1 < s.count else { return nil }
        switch s[i + 1] {
        case UInt8(ascii: "\\"): out.append(0x5C); i += 2
        case UInt8(ascii: "t"): out.append(0x09); i += 2
        case UInt8(ascii: "r"): out.append(0x0D); i += 2
        case UInt8(ascii: "n"): out.append(0x0A); i += 2
        case UInt8(ascii: "x"):
            guard let v = hexValue(i + 2..<i + 4) else { return nil }
            out.append(UInt8(v)); i += 4
        case UInt8(ascii: "u"):
            guard let close = s[i...].firstIndex(of: UInt8(ascii: "}")),
                  let v = hexValue(i + 3..<close), let scalar = Unicode.Scalar(v) else { return nil }
            out.append(contentsOf: Array(String(Character(scalar)).utf8)); i = close + 1
        default: return nil
        }
    }
    return out
}

/// Renders a stream read in `chunks` the way a connection does: carry, render, flush at EOF.
func renderStream(_ chunks: [[UInt8]]) -> String {
    var carry = Utf8Carry()
    var out = ""
    for chunk in chunks {
        let (carryIn, heldTail) = carry.feed(chunk)
        out += Sanitizer.escape((carryIn + chunk).dropLast(heldTail))
    }
    out += Sanitizer.escape(carry.flush())
    return out
}

/// True when an error message is unfit for the status line: empty, very long, or holding a raw control.
func isUnsafeMessage(_ message: String) -> Bool {
    let unsafe = message.unicodeScalars.contains { scalar in
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF
    }
    return message.isEmpty || unsafe || message.unicodeScalars.count > 500
}

/// Where random inputs start, besides every command's `help` examples.
enum FuzzSeeds {
    /// Command lines that exercise the syntax's corners.
    static let lines = [
        #"send #3 "GET / HTTP/1.1\r\nHost: x\r\n\r\n""#, #"send x"00 01" "tail""#, "send @request.bin",
        #"listen 5000 reply="OK ... {data}" backlog=4 accept=manual"#, "expect OK timeout=2",
        "connect [fe80::1%eth0]:22 from=127.0.0.1:0 timeout=1.5s", "scan 127.0.0.1 20-25,80,443",
        #"send "\u{4F60}\x00\e""#, "http http://[::1]:8080/a?b=c", "set logcap 64MiB", "recv #3 16 all",
    ]

    /// Pieces of the syntax worth inserting into a line.
    static let tokens = [
        "\"", "x\"", "\\u{", "\\x", "\\", "#3", "#0", ".", "*", "timeout=", "to=", "[::1]:", "*:", "@", "@\"", "\"\\",
        "99999999999999999999", "=", "all", "off", "unix", "/tmp/s", "0x", "{data}", "-", ",", ":", "]", "[",
    ]

    /// Scalars the sanitizer must escape although they are well-formed UTF-8.
    static let hiddenSamples = ["\u{9B}", "\u{202E}", "\u{200D}", "\u{FEFF}", "\u{E0041}", "\u{FE0F}", "\u{2066}"]

    /// Well-formed text it must pass as is: CJK, emoji, accents, a combining mark, private use.
    static let visibleSamples = ["你", "😀", "é", "e\u{301}", "\u{E000}", "Ω"]
}
