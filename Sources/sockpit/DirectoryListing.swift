// DirectoryListing.swift — the directory lister behind Tab completion of paths (`source `,
// `save `, `@file`): the file access TerminalUI's Completer leaves to the program.

import Glibc
import TerminalUI

extension Completer {
    /// The real path lister: `opendir`/`readdir` on the typed directory (`""` is the current
    /// directory, a leading `~/` is the home directory). Unreadable directories list nothing.
    @Sendable static func listDirectory(_ typed: String) -> [String] {
        var path = typed.isEmpty ? "." : typed
        if path == "~/" || path.hasPrefix("~/"), let home = getenv("HOME") {
            path = String(cString: home) + path.dropFirst()
        }
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(isDirectory(entry.pointee.d_type, path: path, name: name) ? name + "/" : name)
        }
        return names.sorted()
    }

    /// d_type when the file system fills it in, `stat` (following links) when it says DT_UNKNOWN or
    /// the entry is a link, so a symlink to a directory completes with `/`.
    private static func isDirectory(_ type: UInt8, path: String, name: String) -> Bool {
        if type == UInt8(DT_DIR) { return true }
        guard type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) else { return false }
        var info = stat()
        let full = path.hasSuffix("/") ? path + name : path + "/" + name
        return stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
