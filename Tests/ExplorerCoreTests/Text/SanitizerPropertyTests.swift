// SanitizerPropertyTests — seeded random bytes: output is always safe, lossless, and chunk-independent.
import ExplorerCore
import Testing

/// Random bytes biased toward the interesting: ASCII, controls, UTF-8 leads, and hidden scalars.
private func randomInput(_ rng: inout SeededGenerator) -> [UInt8] {
    var out: [UInt8] = []
    let length = Int.random(in: 0...48, using: &rng)
    while out.count < length {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0...3: out.append(UInt8.random(in: 0x20...0x7E, using: &rng))
        case 4: out.append(UInt8.random(in: 0...0x1F, using: &rng))
        case 5: out.append(contentsOf: FuzzSeeds.hiddenSamples.randomElement(using: &rng)!.utf8)
        case 6: out.append(contentsOf: FuzzSeeds.visibleSamples.randomElement(using: &rng)!.utf8)
        case 7: out.append(UInt8.random(in: 0x80...0xBF, using: &rng))
        case 8: out.append(UInt8.random(in: 0xC0...0xFF, using: &rng))
        default: out.append(UInt8.random(in: 0...0xFF, using: &rng))
        }
    }
    return out
}

/// Splits `bytes` at random points into 1...4 chunks.
private func randomChunks(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [[UInt8]] {
    var cuts = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Int.random(in: 0...bytes.count, using: &rng) }
    cuts.sort()
    var chunks: [[UInt8]] = []
    var start = 0
    for cut in cuts + [bytes.count] {
        chunks.append(Array(bytes[start..<cut]))
        start = cut
    }
    return chunks
}

@Suite("Sanitizer properties")
struct SanitizerPropertyTests {
    @Test func tenThousandSeededRandomInputs() {
        var rng = SeededGenerator(seed: 0x50C4_9177)
        for iteration in 0..<10_000 {
            let input = randomInput(&rng)
            let out = Sanitizer.escape(input)
            let label = "iteration \(iteration), input \(input)"
            #expect(!out.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "\(label)")
            #expect(!out.unicodeScalars.contains { Sanitizer.isHidden($0.value) }, "\(label)")
            #expect(unescape(out) == input, "\(label)")
            #expect(Sanitizer.pieces(input).map(\.rendered).joined() == out, "\(label)")
            #expect(renderStream(randomChunks(input, &rng)) == out, "\(label)")
        }
    }
}
