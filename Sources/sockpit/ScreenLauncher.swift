// ScreenLauncher.swift — TEMPORARY until the screen lands: says so plainly.

import ExplorerCore
import Glibc

enum ScreenLauncher {
    static func run(lines: [ScriptLine], keepGoing: Bool) -> Int32 {
        FileOutput.standardError.write("sockpit: the screen is not built yet; run with --headless (see sockpit --help)\n")
        return 2
    }
}
