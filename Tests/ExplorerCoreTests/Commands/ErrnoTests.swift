// ErrnoTests — `errno CODE|NAME`: name, number and glibc's message, by number or by name.

import Testing
@testable import ExplorerCore

@Suite struct ErrnoTests {
    @Test func byNumberAndByName() throws {
        let session = try EngineSession()
        #expect(session.status("errno 111") == Status.ok("ECONNREFUSED (111): Connection refused"))
        #expect(session.status("errno ECONNREFUSED") == Status.ok("ECONNREFUSED (111): Connection refused"))
        #expect(session.status("errno eaddrinuse") == Status.ok("EADDRINUSE (98): Address already in use"))
        #expect(session.status("errno AGAIN") == Status.ok("EAGAIN (11): Resource temporarily unavailable"))
        #expect(session.status("errno EWOULDBLOCK") == Status.ok("EWOULDBLOCK = EAGAIN (11): Resource temporarily unavailable"))
        #expect(session.lines.last == "EWOULDBLOCK = EAGAIN (11): Resource temporarily unavailable", "headless runs print the answer")
    }

    @Test func unknownCodesAndNamesAreClearErrors() throws {
        let session = try EngineSession()
        #expect(session.failing("errno 4000") == Status.error("errno: no error number 4000 on Linux (they run from 1 to 132, with gaps) — usage: errno CODE|NAME"))
        #expect(session.failing("errno ECONNREFUSD") == Status.error(#"errno: no error named "ECONNREFUSD" (did you mean ECONNREFUSED?) — usage: errno CODE|NAME"#))
        #expect(session.failing("errno").message.hasPrefix("errno: expected an error number or name"))
        #expect(session.failing("errno 1 2") == Status.error(#"errno: unexpected "2" — usage: errno CODE|NAME"#))
    }
}
