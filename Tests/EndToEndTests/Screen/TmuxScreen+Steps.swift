// TmuxScreen+Steps.swift — steps the screen tests share: start sockpit at a size and wait for its
// first frame, type a line and Enter, listen on a loopback port and read it from the status line.

import Foundation
import Testing

extension TmuxScreen {
    /// sockpit at `width`×`height`, once its empty log's hint shows.
    static func started(width: Int = 80, height: Int = 24) throws -> TmuxScreen {
        let screen = try TmuxScreen(width: width, height: height)
        #expect(try screen.waitFor("Nothing has happened yet") != nil, "sockpit did not start")
        return screen
    }

    /// Types `line` and presses Enter.
    func enter(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    /// `listen 127.0.0.1:0`; the port, from the status line (at 80 columns the log's row wraps
    /// before the address, which never splits).
    func listenOnLoopback() throws -> UInt16 {
        try enter("listen 127.0.0.1:0")
        let shown = try #require(try waitFor("ok: #1 listening on tcp 127.0.0.1:"))
        let line = try #require(shown.first { $0.contains("ok: #1 listening on tcp 127.0.0.1:") })
        let digits = line[line.range(of: "127.0.0.1:")!.upperBound...].prefix { $0.isNumber }
        return try #require(UInt16(digits))
    }
}
