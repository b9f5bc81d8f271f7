// HexDumpTests — rows compared literally and with the real `hexdump -C`.
import ExplorerCore
import Foundation
import Testing

@Suite("HexDump")
struct HexDumpTests {
    @Test func httpRequestLine() {
        let rows = HexDump.rows(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8))
        #expect(rows == [
            "00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|",
            "00000010  48 6f 73 74 3a 20 78 0d  0a                       |Host: x..|",
        ])
    }

    @Test func startOffsetLabelsRowsFromThere() {
        let rows = HexDump.rows(Array(0..<20) as [UInt8], startOffset: 0x1234)
        #expect(rows == [
            "00001234  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|",
            "00001244  10 11 12 13                                       |....|",
        ])
    }

    @Test func shortRowsPadSoTheAsciiColumnAligns() {
        #expect(HexDump.rows([0x41]) == ["00000000  41                                                |A|"])
        #expect(HexDump.rows(Array("ABCDEFGH".utf8)) == [
            "00000000  41 42 43 44 45 46 47 48                           |ABCDEFGH|",
        ])
        #expect(HexDump.rows(Array("ABCDEFGHI".utf8)) == [
            "00000000  41 42 43 44 45 46 47 48  49                       |ABCDEFGHI|",
        ])
    }

    @Test func nonPrintableAndNonASCIIShowAsDots() {
        let rows = HexDump.rows([0x00, 0x1B, 0x20, 0x7E, 0x7F, 0x80, 0xE4, 0xBD, 0xA0, 0xFF])
        #expect(rows == ["00000000  00 1b 20 7e 7f 80 e4 bd  a0 ff                    |.. ~......|"])
    }

    @Test func eightBytesPerRowForNarrowPanes() {
        let rows = HexDump.rows(Array("GET / HTTP/1.1\r\n!".utf8), startOffset: 8, bytesPerRow: 8)
        #expect(rows == [
            "00000008  47 45 54 20  2f 20 48 54  |GET / HT|",
            "00000010  54 50 2f 31  2e 31 0d 0a  |TP/1.1..|",
            "00000018  21                        |!|",
        ])
        #expect(HexDump.rowWidth(bytesPerRow: 8) == rows[0].count)
        #expect(HexDump.rowWidth() == 78)
    }

    @Test func identicalRowsAreNotSqueezed() {
        let rows = HexDump.rows([UInt8](repeating: 0, count: 48))
        #expect(rows == [
            "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
            "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
            "00000020  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
        ])
    }

    @Test func offsetsBeyondFourGiBGrowMoreDigits() {
        let rows = HexDump.rows([0x61, 0x62], startOffset: 0x1_0000_0000)
        #expect(rows == ["100000000  61 62                                             |ab|"])
        let last = HexDump.rows([0x7A], startOffset: UInt64.max)
        #expect(last == ["ffffffffffffffff  7a                                                |z|"])
    }

    @Test func bulkAppendLiteral() {
        var out: [UInt8] = []
        Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8).withUnsafeBytes {
            HexDump.append($0, startOffset: 0xFFFF_FFF0, into: &out)
        }
        #expect(String(decoding: out, as: UTF8.self) == """
            fffffff0  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|
            100000000  48 6f 73 74 3a 20 78 0d  0a                       |Host: x..|

            """)
    }

    @Test func rowCounts() {
        #expect(HexDump.rowCount(byteCount: 0) == 0)
        #expect(HexDump.rowCount(byteCount: 1) == 1)
        #expect(HexDump.rowCount(byteCount: 16) == 1)
        #expect(HexDump.rowCount(byteCount: 17) == 2)
        #expect(HexDump.rowCount(byteCount: 17, bytesPerRow: 8) == 3)
        #expect(HexDump.rows([UInt8]()) == [])
    }

    @Test func bulkAppendMatchesRows() {
        var rng = SeededGenerator(seed: 42)
        for length in [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 1000, 70_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Offsets crossing 4 GiB leave the unrolled 16-byte path for the general one mid-chunk.
            for (bytesPerRow, startOffset) in [(16, 0xFFF0), (8, 0xFFF0), (16, 0xFFFF_FF00), (16, UInt64.max - 40)] {
                var out = Array("keep\n".utf8)
                bytes.withUnsafeBytes { HexDump.append($0, startOffset: startOffset, bytesPerRow: bytesPerRow, into: &out) }
                let expected = "keep\n" + HexDump.rows(bytes, startOffset: startOffset, bytesPerRow: bytesPerRow)
                    .map { $0 + "\n" }.joined()
                #expect(String(decoding: out, as: UTF8.self) == expected, "length \(length), \(bytesPerRow) per row")
            }
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/hexdump")))
    func matchesRealHexdump() throws {
        var rng = SeededGenerator(seed: 7)
        for length in [1, 5, 8, 9, 15, 16, 17, 100, 257] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var expected = try hexdumpC(bytes).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // hexdump ends with the total length on a line of its own, then a newline.
            #expect(expected.suffix(2) == [String(format: "%08x", length), ""])
            expected.removeLast(2)
            #expect(HexDump.rows(bytes) == expected, "length \(length)")
        }
    }

    private func hexdumpC(_ bytes: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/hexdump")
        process.arguments = ["-C"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
