// PHPFunctionsInPHPTests.swift — the PHP table against PHP itself: php-cli's reflection gives the
// same parameters and return types as the table's signatures, the constants `explain` writes as
// numbers are exactly those PHP lacks, and strace shows PHP making the C calls the table names
// (socket_create_listen: socket, bind, listen and no setsockopt; socket_last_error: none).

import Foundation
import SocketKit
import Testing
@testable import ExplorerCore

@Suite(.enabled(if: PHPPeers.available, Comment(rawValue: PHPPeers.unavailableReason)))
struct PHPFunctionsInPHPTests {
    static var current: [PHPFunction] {
        PHPFunctionTable.functions.filter { $0.availability == .current }
    }

    /// `name|$a,&$b|return type` for each function, from the table and from PHP's reflection.
    @Test func signaturesAreWhatPHPReports() throws {
        let names = Self.current.map(\.name)
        let php = try ScriptProcess("php", ["-r", """
            foreach (array_slice($argv, 1) as $name) {
                if (!function_exists($name)) { echo "$name|missing|\\n"; continue; }
                $f = new ReflectionFunction($name);
                $params = array_map(fn($p) => ($p->isPassedByReference() ? '&' : '') . '$' . $p->getName(), $f->getParameters());
                echo $name, '|', implode(',', $params), '|', $f->getReturnType(), "\\n";
            }
            """, "--"] + names)
        #expect(php.finish() == 0, "\(php.transcript)")
        let reported = Set(php.stdout.split(separator: "\n").map(String.init))
        for function in Self.current {
            let parameters = function.signature.split(separator: " ").compactMap { word -> String? in
                guard let dollar = word.firstIndex(of: "$") else { return nil }
                let name = word[dollar...].prefix { $0 == "$" || $0.isLetter || $0 == "_" }
                return (word[..<dollar].hasSuffix("&") ? "&" : "") + name
            }
            let returns = function.signature.components(separatedBy: "): ").last ?? ""
            let expected = "\(function.name)|\(parameters.joined(separator: ","))|\(returns)"
            #expect(reported.contains(expected), "table: \(expected); php: \(reported.filter { $0.hasPrefix(function.name + "|") })")
        }
        // The removed ones really are gone.
        let gone = try ScriptProcess("php", ["-r", "foreach (array_slice($argv, 1) as $n) echo function_exists($n) ? \"$n \" : '';", "--"]
            + PHPFunctionTable.functions.filter { $0.availability != .current }.map(\.name))
        #expect(gone.finish() == 0)
        #expect(gone.stdout == "", "PHP still has: \(gone.stdout)")
    }

    /// `explain` writes `3 /* TCP_CORK */` for the option constants PHP does not define, and the
    /// name for the ones it does.
    @Test func theConstantsPHPLacksAreExactlyThoseExplainSpellsAsNumbers() throws {
        let names = SocketOption.all.map(\.optionName).filter { $0.hasPrefix("SO_") || $0.hasPrefix("TCP_") || $0.hasPrefix("IP") }
        let php = try ScriptProcess("php", ["-r", "foreach (array_slice($argv, 1) as $c) if (!defined($c)) echo $c, \"\\n\";", "--"] + names)
        #expect(php.finish() == 0, "\(php.transcript)")
        let undefined = Set(php.stdout.split(separator: "\n").map(String.init))
        for name in names {
            let record = TraceRecord(call: "getsockopt", arguments: "3, SOL_SOCKET, \(name)", result: 0, errorCode: nil)
            let code = try #require(TraceExplainer.explain(record)?.php)
            if name == "TCP_INFO" { continue }
            #expect(code.contains("/* \(name) */") == undefined.contains(name), "\(name): \(code)")
        }
    }

    /// strace cuts a run of Tests/Peers/php/socket_functions.php into one piece per function.
    @Test func straceShowsTheCallsTheTableNames() throws {
        guard ScriptProcess.find("strace") != nil, ScriptProcess.find("unshare") != nil, ScriptProcess.find("ip") != nil else {
            print("skipped: strace, unshare and ip are needed (apt-get install -y strace)")
            return
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-php-strace-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = PHPPeers.directory.appendingPathComponent("socket_functions.php").path
        // A network namespace of its own: socket_create_listen binds 0.0.0.0, which must stay private.
        let run = try ScriptProcess("unshare", ["-n", "--", "sh", "-c",
            "ip link set lo up && exec strace -f -qq -o '\(output.path)' php '\(script)'"])
        let status = run.finish(timeout: 30)
        if status != 0 && (run.stderr.contains("Operation not permitted") || run.stderr.contains("PTRACE")) {
            print("skipped: this machine allows no network namespace or no ptrace: \(run.stderr)")
            return
        }
        #expect(status == 0, "\(run.transcript)")
        let pieces = Self.pieces(try String(contentsOf: output, encoding: .utf8))
        #expect(Set(pieces.keys) == Set(Self.current.map(\.name)), "functions the script did not call")
        for function in Self.current {
            let seen = pieces[function.name] ?? []
            let expected = function.cFunctions.filter(\.isSystemCall).map(\.name)
            var remaining = seen[...]
            for call in expected {
                let kernel = Self.kernelNames[call] ?? [call]
                guard let found = remaining.firstIndex(where: kernel.contains) else {
                    Issue.record("\(function.name): no \(call) in \(seen)")
                    break
                }
                remaining = remaining[(found + 1)...]
            }
            let allowed = Set(expected.flatMap { Self.kernelNames[$0] ?? [$0] })
            let stray = seen.filter { Self.socketCalls.contains($0) && !allowed.contains($0) }
            #expect(stray.isEmpty, "\(function.name) also made \(stray) (the table names \(expected))")
        }
    }

    /// What strace calls the C functions: glibc's recv and send are recvfrom and sendto, select is pselect6.
    static let kernelNames: [String: [String]] = [
        "recv": ["recvfrom", "recv"], "send": ["sendto", "send"], "select": ["pselect6", "select"],
        "accept": ["accept", "accept4"],
    ]

    /// System calls only sockets make (reads and closes of files do not count: socket_create_listen
    /// reads /etc/resolv.conf first).
    static let socketCalls: Set<String> = [
        "socket", "bind", "listen", "accept", "accept4", "connect", "recvfrom", "sendto", "recvmsg", "sendmsg",
        "shutdown", "getsockopt", "setsockopt", "getsockname", "getpeername", "socketpair", "fcntl", "pselect6",
        "select", "readv", "writev", "write", "poll", "ppoll",
    ]

    /// The system call names after each `@@NAME` marker line (the marker writes themselves left out,
    /// and the calls after `@@setup` too).
    static func pieces(_ trace: String) -> [String: [String]] {
        var pieces: [String: [String]] = [:]
        var current: String?
        for line in trace.split(separator: "\n") {
            // `1234 write(1, "@@socket_bind\n", 14) = 14`
            let body = line.drop { $0.isNumber }.drop { $0 == " " }
            if body.hasPrefix("write(1, \"@@") {
                let name = body.dropFirst("write(1, \"@@".count).prefix { $0 != "\\" }
                current = name == "end" || name == "setup" ? nil : String(name)
                if let current { pieces[current] = [] }
                continue
            }
            guard let current, let paren = body.firstIndex(of: "(") else { continue }
            pieces[current]?.append(String(body[..<paren]))
        }
        return pieces
    }
}
