// SeedTutorial.swift — the seed tutorial the learning tests check against (../shared/seed beside
// the package root, where the team keeps it), and the `socket_*` names it mentions.

import Foundation
import Testing

enum SeedTutorial {
    /// The package root: four levels above this file (Tests/ExplorerCoreTests/Learning/Support).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where the seed is: the repository's copy (Tests/Peers/seed, so a fresh clone has it);
    /// `SOCKPIT_SEED_DIR` overrides it.
    static var candidates: [URL] {
        if let override = ProcessInfo.processInfo.environment["SOCKPIT_SEED_DIR"], !override.isEmpty {
            return [URL(fileURLWithPath: override)]
        }
        return [packageRoot.appendingPathComponent("Tests/Peers/seed")]
    }

    /// The team's own seed directory, `../shared/seed` beside a clone (a helper's worktree,
    /// /work/wt/NAME, sits one level deeper), when it is there.
    static var teamCopy: URL? {
        let parent = packageRoot.deletingLastPathComponent()
        return [parent.appendingPathComponent("shared/seed"), parent.deletingLastPathComponent().appendingPathComponent("shared/seed")]
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The text of every `.txt` file of the seed directory, joined; fails naming where it looked.
    static func text() throws -> String {
        for directory in candidates {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            let files = names.filter { $0.hasSuffix(".txt") }.sorted()
            guard !files.isEmpty else { continue }
            return try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
                .joined(separator: "\n")
        }
        throw SeedError(description: "the seed tutorial was not found (looked in \(candidates.map(\.path).joined(separator: ", ")))")
    }

    /// The seed's lines with their indentation and trailing blanks removed.
    static func lines() throws -> Set<String> {
        Set(try text().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// What `grep -o 'socket_[a-z_]*' seed | sort -u` prints: every distinct `socket_…` name.
    static func socketNames() throws -> [String] {
        let bytes = Array(try text().utf8)
        let prefix = Array("socket_".utf8)
        var names = Set<String>()
        var index = 0
        while index + prefix.count <= bytes.count {
            guard bytes[index ..< index + prefix.count].elementsEqual(prefix) else { index += 1; continue }
            var end = index + prefix.count
            while end < bytes.count, (bytes[end] >= 0x61 && bytes[end] <= 0x7A) || bytes[end] == 0x5F { end += 1 }
            names.insert(String(decoding: bytes[index ..< end], as: UTF8.self))
            index = end
        }
        return names.sorted()
    }

    struct SeedError: Error, CustomStringConvertible {
        var description: String
    }
}
