// ScriptSource.swift — reading a script file (`--script FILE`, `source FILE`) into lines that
// remember where they came from.

import Glibc
import SocketKit

public enum ScriptSource {
    /// The largest script sockpit reads.
    public static let maximumSize = 16 << 20

    /// The file's lines, each with `FILE:LINE` for error messages.
    public static func read(_ path: String) throws(CommandError) -> [ScriptLine] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CommandError(SystemError(call: "open", context: path, code: Glibc.errno)) }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                throw CommandError(SystemError(call: "read", context: path, code: Glibc.errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize { throw CommandError("\(path): larger than \(maximumSize >> 20) MiB") }
        }
        return lines(String(decoding: bytes, as: UTF8.self), location: path)
    }

    /// Splits script text into lines (`\n` or `\r\n`), numbered from 1.
    public static func lines(_ text: String, location: String) -> [ScriptLine] {
        var result: [ScriptLine] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var content = String(line)
            if content.hasSuffix("\r") { content.removeLast() }
            result.append(ScriptLine(content, location: "\(location):\(index + 1)"))
        }
        if result.last?.text.isEmpty == true { result.removeLast() }
        return result
    }
}
