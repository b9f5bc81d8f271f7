// Command-line history: the bounded list in memory and its file under $XDG_STATE_HOME.
import Glibc

/// Previously submitted command lines, oldest first.
///
/// Bounded (the oldest entries fall out), and clean: blank lines, lines containing a line break and
/// a repeat of the newest entry are not recorded, so ↑ never shows the same line twice in a row.
public struct History: Equatable, Sendable {
    /// The default bound.
    public static let defaultCapacity = 1000

    /// The maximum number of entries kept.
    public let capacity: Int
    /// The entries, oldest first.
    public private(set) var entries: [String] = []

    /// A history holding `entries` filtered through the same rules as `add`.
    public init(entries: [String] = [], capacity: Int = History.defaultCapacity) {
        self.capacity = max(1, capacity)
        for entry in entries { add(entry) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public subscript(index: Int) -> String { entries[index] }

    /// Records a submitted line (see the type's rules).
    public mutating func add(_ line: String) {
        guard line.contains(where: { !$0.isWhitespace }),
              !line.contains(where: { $0.isNewline }),
              line != entries.last else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}

/// Loads and saves `History` as a text file, one entry per line.
///
/// Loading never fails (a missing, unreadable or garbled file is an empty or repaired history);
/// saving reports failures as values, because losing history must never stop the program.
public enum HistoryFile {
    /// A failed save: which operation, on which path, and the errno.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var operation: String
        public var path: String
        public var code: Int32

        public var description: String {
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        }
    }

    /// Files larger than this are read only up to this size, so a corrupted history cannot eat memory.
    static let maxFileSize = 16 << 20

    /// `$XDG_STATE_HOME/sockpit/history`, or `$HOME/.local/state/sockpit/history`; `nil` when neither
    /// variable gives an absolute directory (the XDG spec says to ignore relative ones).
    /// `environment` defaults to the process environment and is injectable for tests.
    public static func defaultPath(environment: (String) -> String? = processEnvironment) -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            return state + "/sockpit/history"
        }
        if let home = environment("HOME"), home.hasPrefix("/") {
            return home + "/.local/state/sockpit/history"
        }
        return nil
    }

    /// Reads a variable from the process environment.
    public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The history stored at `path`, or an empty one when it cannot be read. Invalid UTF-8 is
    /// repaired, not rejected.
    public static func load(from path: String, capacity: Int = History.defaultCapacity) -> History {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return History(capacity: capacity) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < maxFileSize {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return History(entries: lines.suffix(capacity), capacity: capacity)
    }

    /// Writes `history` to `path` atomically (a temporary file in the same directory, then
    /// `rename`), creating missing directories with mode 0700 and the file with 0600, since
    /// commands may hold host names and payloads the user considers private.
    public static func save(_ history: History, to path: String) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        if !directory.isEmpty { try makeDirectories(directory) }
        let temporary = "\(path).tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(operation: "open", path: temporary, code: errno) }
        var body = Array(history.entries.joined(separator: "\n").utf8)
        if !body.isEmpty { body.append(UInt8(ascii: "\n")) }
        if let failure = writeAll(fd, body) ?? (fsync(fd) == 0 ? nil : errno) {
            close(fd)
            unlink(temporary)
            throw Failure(operation: "write", path: temporary, code: failure)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(operation: "rename", path: path, code: code)
        }
    }

    /// `mkdir -p` with mode 0700 for the components it creates.
    private static func makeDirectories(_ directory: String) throws(Failure) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw Failure(operation: "mkdir", path: prefix, code: errno)
            }
        }
    }

    /// Writes every byte, retrying short writes and EINTR; returns the errno of a failure.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
}
