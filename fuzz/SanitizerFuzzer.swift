// SanitizerFuzzer.swift — libFuzzer target for the sanitizer: any bytes, rendered in bulk
// (`Sanitizer.append`, straight from libFuzzer's exactly sized buffer so AddressSanitizer sees any
// read past the end), as pieces (`Sanitizer.pieces`) and as a stream split into reads
// (`Utf8Carry`). Checks the invariants of SanitizerPropertyTests and InputFuzzTests: the output is
// display-safe UTF-8, `unescape` gives the input back, the piece renderer agrees with the bulk one,
// and no split of the input changes the rendering.
//
// Input layout: byte 0 chooses up to three cut points (bits 0–1: how many; the next bytes say
// where); the rest is the stream. See fuzz/README.md.

import ExplorerCore

@_cdecl("LLVMFuzzerTestOneInput")
public func sanitizerFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    let cutBytes = input.dropFirst().prefix(Int((input.first ?? 0) & 3))
    let stream = UnsafeBufferPointer(rebasing: input[(input.isEmpty ? 0 : 1 + cutBytes.count)...])
    let bytes = Array(stream)

    var rendered: [UInt8] = []
    Sanitizer.append(UnsafeRawBufferPointer(stream), to: &rendered)
    guard let out = String(validating: rendered, as: UTF8.self) else {
        require(false, "rendering of \(bytes) is not UTF-8: \(rendered)")
        return 0
    }
    require(!rendered.contains { $0 < 0x20 || $0 == 0x7F }, "control byte in the rendering of \(bytes): \(out)")
    require(!out.unicodeScalars.contains { Sanitizer.isHidden($0.value) }, "hidden scalar in the rendering of \(bytes)")
    require(Sanitizer.isDisplaySafe(out), "rendering of \(bytes) is not display-safe")
    require(Sanitizer.escape(bytes) == out, "escape and append disagree for \(bytes)")
    require(unescape(out) == bytes, "unescape(escape(x)) != x for \(bytes): \(out)")

    checkPieces(bytes, out)
    checkSplits(bytes, out, cuts: cutBytes.map { Int($0) * (bytes.count + 1) / 256 })
    require(Sanitizer.isDisplaySafe(Sanitizer.clean(String(decoding: bytes, as: UTF8.self))), "clean is unsafe for \(bytes)")
    return 0
}

/// The piece renderer: the same characters; pieces never empty and merged as documented (never two
/// texts or two escapes in a row); one line break per LF.
private func checkPieces(_ bytes: [UInt8], _ out: String) {
    let pieces = Sanitizer.pieces(bytes)
    require(pieces.map(\.rendered).joined() == out, "pieces and escape disagree for \(bytes)")
    require(pieces.filter { $0 == .lineBreak }.count == bytes.filter { $0 == 0x0A }.count, "line breaks != LFs for \(bytes)")
    for (index, piece) in pieces.enumerated() {
        require(!piece.rendered.isEmpty, "empty piece for \(bytes)")
        guard index > 0 else { continue }
        switch (pieces[index - 1], piece) {
        case (.text, .text), (.escape, .escape): require(false, "unmerged pieces \(pieces) for \(bytes)")
        default: break
        }
    }
}

/// The stream read in chunks renders as the whole: at the cuts the input chose, at every single
/// cut and one byte per read (for short inputs, where that stays cheap).
private func checkSplits(_ bytes: [UInt8], _ out: String, cuts: [Int]) {
    func chunks(_ cuts: [Int]) -> [[UInt8]] {
        var start = 0
        var result: [[UInt8]] = []
        for cut in cuts.sorted() + [bytes.count] {
            result.append(Array(bytes[start..<cut]))
            start = cut
        }
        return result
    }
    require(renderStream(chunks(cuts)) == out, "split at \(cuts) changes the rendering of \(bytes)")
    guard bytes.count <= 64 else { return }
    for cut in 0...bytes.count {
        require(renderStream(chunks([cut])) == out, "split at \(cut) changes the rendering of \(bytes)")
    }
    require(renderStream(bytes.map { [$0] }) == out, "one byte per read changes the rendering of \(bytes)")
}
