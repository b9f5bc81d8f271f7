// ErrnoLookupTests.swift — `errno CODE|NAME`: by number and by name in any spelling, glibc's
// messages (checked against Python's errno and os.strerror), aliases, and clear errors.

import Foundation
import Testing
@testable import ExplorerCore

@Suite struct ErrnoLookupTests {
    @Test func byNumberAndByName() throws {
        #expect(try ErrnoLookup.lookup("111").line == "ECONNREFUSED (111): Connection refused")
        for typed in ["ECONNREFUSED", "econnrefused", "EConnRefused", "CONNREFUSED", " connrefused "] {
            #expect(try ErrnoLookup.lookup(typed).line == "ECONNREFUSED (111): Connection refused", "\(typed)")
        }
        #expect(try ErrnoLookup.lookup("98").line == "EADDRINUSE (98): Address already in use")
        #expect(try ErrnoLookup.lookup("EXIST").name == "EEXIST")
        #expect(try ErrnoLookup.lookup("1").line == "EPERM (1): Operation not permitted")
        #expect(try ErrnoLookup.lookup("111").phpLine == "socket_strerror(111) returns 'Connection refused'")
    }

    @Test func aliasesNameTheNumberTheyShare() throws {
        #expect(try ErrnoLookup.lookup("EWOULDBLOCK").line == "EWOULDBLOCK = EAGAIN (11): Resource temporarily unavailable")
        #expect(try ErrnoLookup.lookup("enotsup").line == "ENOTSUP = EOPNOTSUPP (95): Operation not supported")
        #expect(try ErrnoLookup.lookup("EDEADLOCK").code == 35)
        #expect(try ErrnoLookup.lookup("11").alias == nil)
    }

    @Test func unknownNumbersAndNamesSayWhy() {
        #expect(throws: ErrnoLookupError(description: "no error number 0 on Linux (0 means success; they run from 1 to 132, with gaps)")) {
            try ErrnoLookup.lookup("0")
        }
        #expect(throws: ErrnoLookupError(description: "no error number 41 on Linux (they run from 1 to 132, with gaps)")) {
            try ErrnoLookup.lookup("41")
        }
        #expect(throws: ErrnoLookupError(description: "no error number 99999999999999 on Linux (they run from 1 to 132, with gaps)")) {
            try ErrnoLookup.lookup("99999999999999")
        }
        #expect(throws: ErrnoLookupError(description: "no error named \"ECONREFUSED\" (did you mean ECONNREFUSED?)")) {
            try ErrnoLookup.lookup("ECONREFUSED")
        }
        #expect(throws: ErrnoLookupError(description: "no error named \"adrinuse\" (did you mean EADDRINUSE?)")) {
            try ErrnoLookup.lookup("adrinuse")
        }
        #expect(throws: ErrnoLookupError(description: "no error named \"xyzzy\"")) { try ErrnoLookup.lookup("xyzzy") }
        #expect(throws: ErrnoLookupError(description: "no error named \"-1\"")) { try ErrnoLookup.lookup("-1") }
        #expect(throws: ErrnoLookupError(description: "expected an error number or name (errno 111, errno ECONNREFUSED)")) {
            try ErrnoLookup.lookup("  ")
        }
        // Typed text is quoted safely, never raw.
        #expect(throws: ErrnoLookupError(description: "no error named \"\\x1b[2J\"")) { try ErrnoLookup.lookup("\u{1B}[2J") }
    }

    /// Every name and message agrees with Python's errno module and os.strerror (glibc's strerror).
    @Test func namesAndMessagesAgreeWithPython() throws {
        let python = try ScriptProcess("python3", ["-c", """
            import errno, os
            for code in sorted(errno.errorcode):
                print(code, errno.errorcode[code], os.strerror(code), sep="\\t")
            """])
        #expect(python.finish() == 0, "\(python.transcript)")
        let rows = python.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count > 100)
        var checked = 0
        for row in rows where row.count == 3 {
            guard let code = Int32(row[0]), code <= ErrnoLookup.known.last?.code ?? 0 else { continue }
            let entry = try ErrnoLookup.lookup(row[0])
            // Python names an alias once (EAGAIN or EWOULDBLOCK); either must lead to this number.
            #expect(try ErrnoLookup.lookup(row[1]).code == code, "\(row)")
            #expect(entry.message == row[2], "\(row)")
            checked += 1
        }
        #expect(checked == ErrnoLookup.known.count, "Python knows numbers SocketKit does not: \(checked) vs \(ErrnoLookup.known.count)")
    }
}
