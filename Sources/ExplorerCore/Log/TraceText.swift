// TraceText — a traced system call as the log shows it: descriptors named `fd 7`, so a number
// in a trace line is never read as a socket id (`#7`) or a count (issue 14).

import SocketKit

/// The log's text of one trace record: `bind(fd 7, 127.0.0.1:5000) = 0`, `socket(…) = fd 7`,
/// `send(fd 7, 1 byte, MSG_NOSIGNAL) = 1`.
///
/// The record itself keeps the plain numbers (`TraceRecord.description`, what `strace` prints):
/// `explain` and the engine read descriptors back from it.
public enum TraceText {
    /// Calls whose first argument is a descriptor.
    static let descriptorFirst: Set<String> = [
        "accept", "accept4", "bind", "close", "connect", "epoll_ctl", "epoll_wait", "fcntl", "fstat", "fsync",
        "getpeername", "getsockname", "getsockopt", "ioctl", "listen", "pread", "read", "recv", "recvfrom",
        "send", "sendto", "setsockopt", "shutdown", "write",
    ]
    /// Calls that return a new descriptor.
    static let descriptorResult: Set<String> = ["accept", "accept4", "epoll_create1", "open", "socket"]

    public static func line(_ record: TraceRecord) -> String {
        var parts = splitArguments(record.arguments)
        if descriptorFirst.contains(record.call), !parts.isEmpty { parts[0] = named(parts[0]) }
        // epoll_ctl(epfd, op, fd, events): the watched descriptor is the third.
        if record.call == "epoll_ctl", parts.count > 2 { parts[2] = named(parts[2]) }
        if let count = parts.firstIndex(where: { $0 == "1 bytes" }) { parts[count] = "1 byte" }
        var text = "\(record.call)(\(parts.joined(separator: ", "))) = "
        text += descriptorResult.contains(record.call) && record.result >= 0 ? "fd \(record.result)" : "\(record.result)"
        if let code = record.errorCode { text += " " + SystemError(call: record.call, code: code).reason }
        return text
    }

    /// `7` → `fd 7`; anything that is not a plain number stays as it is.
    private static func named(_ argument: String) -> String {
        guard !argument.isEmpty, argument.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return argument }
        return "fd " + argument
    }

    /// The arguments split at `, ` outside quotes (a quoted path may hold a comma).
    private static func splitArguments(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts: [String] = []
        var current = ""
        var quoted = false
        var previous: Character = " "
        for character in text {
            if character == "\"" && previous != "\\" { quoted.toggle() }
            if character == "," && !quoted {
                parts.append(current)
                current = ""
            } else if !(character == " " && current.isEmpty && !quoted) {
                current.append(character)
            }
            previous = character
        }
        parts.append(current)
        return parts
    }
}
