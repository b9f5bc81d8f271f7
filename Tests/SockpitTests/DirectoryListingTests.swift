// The real directory lister behind Tab completion (moved here from TerminalUI with the code).
import Testing
import TerminalUI
@testable import sockpit

@Suite struct DirectoryListingTests {
    @Test func realListerReadsADirectory() throws {
        let listed = Completer.listDirectory("/")
        #expect(listed.contains("tmp/"))
        #expect(listed.contains("etc/"))
        #expect(!listed.contains("./") && !listed.contains("../"))
        #expect(Completer.listDirectory("/nonexistent-sockpit/").isEmpty)
    }
}
