// Where the init file is looked for, and what reading it gives.
import Foundation
import Testing
@testable import sockpit

@Suite struct InitFileTests {
    @Test func pathFollowsXDGConfigHome() {
        let both: [String: String] = ["XDG_CONFIG_HOME": "/c", "HOME": "/home/u"]
        #expect(InitFile.path(environment: { both[$0] }) == "/c/sockpit/init")
        let relative: [String: String] = ["XDG_CONFIG_HOME": "conf", "HOME": "/home/u"]
        #expect(InitFile.path(environment: { relative[$0] }) == "/home/u/.config/sockpit/init")
        #expect(InitFile.path(environment: { _ in nil }) == nil)
    }

    @Test func aMissingFileIsNothingAndAFileGivesItsLinesWithTheirPlace() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(InitFile.load(root + "/init") == nil)
        try "set timestamps off\n# a comment\necho ready\n".write(toFile: root + "/init", atomically: true, encoding: .utf8)
        guard case .success(let lines)? = InitFile.load(root + "/init") else {
            Issue.record("the init file was not read")
            return
        }
        #expect(lines.map(\.text) == ["set timestamps off", "# a comment", "echo ready"])
        #expect(lines.map(\.location) == ["\(root)/init:1", "\(root)/init:2", "\(root)/init:3"])
        // A directory where the file should be is an error to show, not silence.
        try FileManager.default.createDirectory(atPath: root + "/dir/init", withIntermediateDirectories: true)
        guard case .failure(let error)? = InitFile.load(root + "/dir/init") else {
            Issue.record("a directory read as an init file")
            return
        }
        #expect(error.message.contains("EISDIR"), "\(error.message)")
    }
}
