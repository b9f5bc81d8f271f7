// HistoryFile.swift — the prompt's history on disk: `$XDG_STATE_HOME/sockpit/history` (or
// `~/.local/state/sockpit/history`), loaded at start and replaced atomically when saved.

import Glibc
import TerminalUI

/// Loads and saves `History` as a text file, one entry per line.
///
/// Loading never fails (a missing, unreadable or garbled file is an empty or repaired history);
/// saving reports failures as values, because losing history must never stop the program.
enum HistoryFile {
    /// A failed save: which operation, on which path, and the errno.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var operation: String
        var path: String
        var code: Int32

        var description: String {
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        }
    }

    /// Files larger than this are read only up to this size, so a corrupted history cannot eat memory.
    static let maxFileSize = 16 << 20

    /// `$XDG_STATE_HOME/sockpit/history`, or `$HOME/.local/state/sockpit/history`; `nil` when neither
    /// variable gives an absolute directory (the XDG spec says to ignore relative ones).
    /// `environment` defaults to the process environment and is injectable for tests.
    static func defaultPath(environment: (String) -> String? = processEnvironment) -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            return state + "/sockpit/history"
        }
        if let home = environment("HOME"), home.hasPrefix("/") {
            return home + "/.local/state/sockpit/history"
        }
        return nil
    }

    /// Reads a variable from the process environment.
    static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The history stored at `path`, or an empty one when it cannot be read. Invalid UTF-8 is
    /// repaired, not rejected.
    static func load(from path: String, capacity: Int = History.defaultCapacity) -> History {
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
    /// commands may hold host names and payloads the user considers private. No `fsync`: the
    /// rename already makes a reader see the old file or the new one, never half of one, and a
    /// history is not worth a disk flush (`HistoryKeeper` saves every few seconds and at quit).
    static func save(_ history: History, to path: String) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        if !directory.isEmpty { try makeDirectories(directory) }
        let temporary = "\(path).tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(operation: "open", path: temporary, code: errno) }
        var body = Array(history.entries.joined(separator: "\n").utf8)
        if !body.isEmpty { body.append(UInt8(ascii: "\n")) }
        if let failure = writeAll(fd, body) {
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
