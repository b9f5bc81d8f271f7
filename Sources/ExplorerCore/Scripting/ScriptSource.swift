// ScriptSource.swift — reading a script file (`--script FILE`, `source FILE`) into lines that
// remember where they came from.

import Glibc
import SocketKit

public enum ScriptSource {
    /// The largest script sockpit reads.
    public static let maximumSize = Limits.scriptFileBytes

    /// The file's lines, each with `FILE:LINE` for error messages. `system` is the session's
    /// syscall path (so `source` shows in `trace`); before a session there is none to show.
    public static func read(_ path: String, system: SystemCalls = SystemCalls()) throws(CommandError) -> [ScriptLine] {
        let fd: Int32
        do { fd = try system.openFile(path, O_RDONLY | O_CLOEXEC) } catch { throw CommandError(error) }
        defer { system.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let outcome: Result<Int?, SystemError> = chunk.withUnsafeMutableBytes { raw in
                do throws(SystemError) { return .success(try system.read(fd, into: raw, shown: path)) } catch { return .failure(error) }
            }
            let count: Int?
            switch outcome {
            case .success(let value): count = value
            case .failure(let error): throw CommandError(error)
            }
            // A regular file never says "not now"; a pipe at start-up (`--script <(…)`) may: wait for it.
            guard let count else { continue }
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
