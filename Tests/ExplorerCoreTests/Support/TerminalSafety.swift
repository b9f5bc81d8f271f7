// TerminalSafety.swift — an independent check of what a terminal would act on, so tests of the
// sanitizer's users do not grade the sanitizer with its own rules.

import Foundation

enum TerminalSafety {
    /// The scalars in `text` that a terminal would act on or hide: C0 controls, DEL, C1 controls,
    /// bidi controls, zero-width characters, the BOM — and U+FFFD, which would mean bytes were lost.
    static func activeScalars(_ text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            let v = scalar.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v) || v == 0xFEFF || v == 0xFFFD
        }.map { String(format: "U+%04X", $0.value) }
    }

    /// The same for raw bytes as written to a file or stdout (which must also be valid UTF-8).
    static func activeScalars(_ bytes: [UInt8]) -> [String] {
        guard let text = String(validating: bytes, as: UTF8.self) else { return ["(not UTF-8)"] }
        // A file is lines: its newlines are the format's own, not a peer's.
        return activeScalars(text.replacingOccurrences(of: "\n", with: ""))
    }
}

/// nil when `actual` equals `expected`, else a short description of the first difference. For
/// megabytes: `#expect(a == b)` on arrays that differ makes Swift Testing compute their difference
/// (Myers, O(n·d)); for two 12 MiB payloads that ran for over 20 minutes, a failure seen as a hang.
func byteDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    if actual == expected { return nil }
    let common = zip(actual, expected).prefix { $0 == $1 }.count
    return "\(actual.count) bytes, expected \(expected.count); first difference at byte \(common)"
}
