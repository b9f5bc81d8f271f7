// SeedTutorialTests — the repository's copy of the seed tutorial (Tests/Peers/seed) is the team's
// seed, byte for byte, wherever the team's own copy (../shared/seed) is there to compare with.

import Foundation
import Testing

@Suite struct SeedTutorialTests {
    @Test(.enabled(if: SeedTutorial.teamCopy != nil, "no ../shared/seed beside this clone"))
    func theCopyIsTheTeamsSeed() throws {
        let team = try #require(SeedTutorial.teamCopy)
        let names = try FileManager.default.contentsOfDirectory(atPath: team.path).filter { $0.hasSuffix(".txt") }
        try #require(names.count == 1, "the seed has one tutorial file: \(names)")
        let original = try Data(contentsOf: team.appendingPathComponent(names[0]))
        let copy = try Data(contentsOf: SeedTutorial.packageRoot.appendingPathComponent("Tests/Peers/seed/tutorial.txt"))
        #expect(copy == original, "Tests/Peers/seed/tutorial.txt differs from \(names[0]): copy it again")
    }
}
