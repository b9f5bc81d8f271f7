// PHPFunctionTableTests.swift — the PHP table covers exactly the socket_* names of the seed, quotes
// the seed faithfully, names only C calls it knows, and `help php` prints it within 100 columns.

import Testing
@testable import ExplorerCore

@Suite struct PHPFunctionTableTests {
    /// Every name `grep -o 'socket_[a-z_]*' seed | sort -u` finds has a row, and no row is made up.
    @Test func theTableCoversEveryNameOfTheSeed() throws {
        let names = try SeedTutorial.socketNames()
        #expect(!names.isEmpty, "no socket_* name found in the seed")
        for name in names {
            #expect(PHPFunctionTable.lookup(name) != nil, "\(name) is not in the table")
        }
        #expect(PHPFunctionTable.seedNames == names)
        #expect(PHPFunctionTable.functions.count + PHPFunctionTable.misspellings.count == names.count)
        print("PHP table coverage: \(names.filter { PHPFunctionTable.lookup($0) != nil }.count)/\(names.count)")
    }

    @Test func theSeedsMisspellingsMeanRealFunctionsAndAreQuotedExactly() throws {
        let lines = try SeedTutorial.lines()
        #expect(PHPFunctionTable.misspellings.map(\.spelling) == ["socket_creat", "socket_last_errr"])
        for misspelling in PHPFunctionTable.misspellings {
            #expect(lines.contains(misspelling.seedLine), "\(misspelling.spelling): the seed has no such line")
            #expect(misspelling.seedLine.contains(misspelling.spelling))
            #expect(PHPFunctionTable.lookup(misspelling.spelling)?.name == misspelling.meant)
            #expect(PHPFunctionTable.functions.contains { $0.name == misspelling.meant })
        }
    }

    /// Each row's description is the seed's own, from its table of functions.
    @Test func descriptionsAreTheSeedsTableRows() throws {
        let lines = try SeedTutorial.lines()
        for function in PHPFunctionTable.functions {
            #expect(lines.contains("| \(function.name)() | \(function.seedDescription) |"), "\(function.name)")
        }
    }

    @Test func everyRowNamesKnownCCallsAndSaysWhatIsMissing() {
        for function in PHPFunctionTable.functions {
            #expect(function.cFunctions.map(\.name) == function.calls, "\(function.name) names an unknown C call")
            #expect(!function.summary.isEmpty && !function.signature.isEmpty, "\(function.name)")
            #expect(function.signature.hasPrefix(function.name + "("), "\(function.name)")
            if case .removed = function.availability {
                #expect(function.commands.isEmpty, "\(function.name) is gone from PHP but has commands")
                #expect(function.note.contains("removed in PHP 5.0"), "\(function.name)")
            }
            // A function with no C call or no command says why.
            if function.calls.isEmpty || function.commands.isEmpty {
                #expect(!function.note.isEmpty, "\(function.name) says nothing about what is missing")
            }
        }
        let hidden = PHPFunctionTable.lookup("socket_create_listen")
        #expect(hidden?.calls == ["socket", "bind", "listen"])
        #expect(hidden?.note.contains("PHP hides three calls") == true)
        for name in ["socket_last_error", "socket_clear_error", "socket_iovec_alloc"] {
            #expect(PHPFunctionTable.lookup(name)?.note.hasPrefix("no kernel counterpart") == true, "\(name)")
        }
        #expect(PHPFunctionTable.lookup("socket_strerror")?.cFunctions.map(\.isSystemCall) == [false])
        for name in ["socket_iovec_free", "socket_readv", "socket_writev"] {
            let note = PHPFunctionTable.lookup(name)?.note ?? ""
            #expect((note.contains("socket_sendmsg") || note.contains("socket_recvmsg")) && note.contains("PHP 5.5"),
                    "\(name): what replaced it?")
        }
    }

    @Test func lookupAcceptsTheWaysPeopleTypeANameAndSuggestsTheClosest() throws {
        for typed in ["socket_bind", "SOCKET_BIND", "bind", "socket_bind()", "Bind"] {
            #expect(PHPFunctionTable.lookup(typed)?.name == "socket_bind", "\(typed)")
        }
        #expect(PHPFunctionTable.lookup("socket_creat")?.name == "socket_create")
        #expect(PHPFunctionTable.lookup("last_errr")?.name == "socket_last_error")
        #expect(PHPFunctionTable.lookup("socket_bnd") == nil)
        #expect(throws: PHPLookupError(description: "no PHP socket function \"socket_bnd\" (did you mean socket_bind?)")) {
            try PHPFunctionTable.find("socket_bnd")
        }
        #expect(throws: PHPLookupError(description: "no PHP socket function \"fopen\"")) { try PHPFunctionTable.find("fopen") }
    }

    @Test func helpPHPFitsOneHundredColumnsWithAlignedRows() throws {
        let lines = PHPHelp.lines()
        #expect(lines.count > 37 + 2)
        for line in lines {
            #expect(TextWrap.width(line) <= PHPHelp.width, "too wide: \(line)")
            #expect(!line.contains("\t"))
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "help php is ASCII: \(line)")
        }
        let table = PHPHelp.table()
        #expect(table.count == 2 + 37)
        #expect(table[1] == "PHP function          C calls                  sockpit")
        #expect(table.contains("socket_create_listen  socket, bind, listen     listen [HOST:]PORT"))
        #expect(table.contains("socket_bind           bind                     bind [TARGET] [HOST:]PORT|PATH"))
        #expect(table.contains("socket_creat          = socket_create (the seed's spelling)"))
        #expect(table.contains("socket_last_error     -                        errno CODE|NAME"))
        #expect(table.contains("socket_iovec_alloc    -                        - (removed in PHP 5.0)"))
        #expect(table.contains("socket_strerror       strerror (libc)          errno CODE|NAME"))
        // Every row's columns start where the header's do.
        for row in table.dropFirst(2) where !row.contains("= socket_") {
            #expect(row.dropFirst(22).first != " " && row.dropFirst(47).first != " ", "misaligned: \(row)")
        }
    }

    @Test func helpPHPForOneFunctionShowsSignaturePrototypesAndNote() throws {
        #expect(try PHPHelp.lines(for: "socket_bind") == [
            "socket_bind(Socket $socket, string $address, int $port = 0): bool",
            "  give a socket its local address (the seed: 把socket绑定在一个IP地址和端口上)",
            "  C        int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)",
            "  sockpit  bind [TARGET] [HOST:]PORT|PATH",
            "  note     PHP builds the struct sockaddr from $address and $port; port 0 lets the kernel choose",
        ])
        let listen = try PHPHelp.lines(for: "create_listen")
        #expect(listen.filter { $0.hasPrefix("  C ") }.count == 3)
        let creat = try PHPHelp.lines(for: "socket_creat")
        #expect(creat.first == "socket_creat is the seed's spelling of socket_create:")
        #expect(creat.contains("socket_create(int $domain, int $type, int $protocol): Socket|false"))
        #expect(try PHPHelp.lines(for: "socket_clear_error").contains("  C        none: no kernel counterpart"))
        for name in try SeedTutorial.socketNames() {
            for line in try PHPHelp.lines(for: name) {
                #expect(TextWrap.width(line) <= PHPHelp.width, "\(name): too wide: \(line)")
            }
        }
        #expect(throws: PHPLookupError.self) { try PHPHelp.lines(for: "socket_nothing") }
    }
}
