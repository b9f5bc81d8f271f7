// SockpitBinary.swift — where the built `sockpit` executable is: beside the test bundle (the same
// build, so never stale), else `.build/debug/sockpit` under the package root found from this file.

import Foundation

enum SockpitBinary {
    /// The executable's path, or the places looked at when it is missing.
    static let location: Result<String, LocateError> = locate()

    struct LocateError: Error, CustomStringConvertible {
        var tried: [String]
        var description: String {
            "the sockpit executable was not found (looked at \(tried.joined(separator: ", "))); run `swift build` first"
        }
    }

    /// The package root: three levels above Tests/EndToEndTests/Headless/Support.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func locate() -> Result<String, LocateError> {
        // SOCKPIT_BINARY=.build/release/sockpit runs the headless tests against another build
        // (the full-size flood test is much faster against a release build).
        if let override = ProcessInfo.processInfo.environment["SOCKPIT_BINARY"], !override.isEmpty {
            let url = URL(fileURLWithPath: override, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            return FileManager.default.isExecutableFile(atPath: url.path) ? .success(url.path) : .failure(LocateError(tried: [url.path]))
        }
        var candidates: [URL] = []
        // `swift test` runs `.build/<triple>/debug/sockpitPackageTests.xctest`; the executable of the
        // same build sits beside it.
        for bundle in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            candidates.append(bundle.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("sockpit"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/sockpit"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return .success(candidate.path)
        }
        return .failure(LocateError(tried: candidates.map(\.path)))
    }
}
