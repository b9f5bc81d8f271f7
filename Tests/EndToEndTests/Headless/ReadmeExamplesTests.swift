// ReadmeExamplesTests.swift — every ```sh block under "## Headless examples" in README.md, run as
// a newcomer would paste it (with the built binary and free ports swapped in), must exit 0 and show
// what it promises.

import Foundation
import Glibc
import Testing

@Suite struct ReadmeExamplesTests {
    /// What each example, in README order, must print (after the port rewrite). A new example needs a
    /// new entry here, so no example goes untested.
    static func expectations(base: UInt16) -> [[String]] {
        [
            [#"#1 listening tcp 127.0.0.1:\#(base) backlog 128"#, #"#1 > 6 "hello\n""#, #"#1 < 13 "OK ... hello\n""#,
             #"#2 < 6 "hello\n""#, #"#2 > 13 "OK ... hello\n""#],
            [#"#1 > 20 "你好, \x1b[31mworld\r\n""#, #"#2 < 20 "你好, \x1b[31mworld\r\n""#],
            [#""id":2,"event":"recv","len":5"#, #""data_b64":"aGVsbG8=""#],
            [#"#1 relaying each client to tcp 127.0.0.1:\#(base + 3)"#, #"#3 < 94 c→s #4 "GET / HTTP/1.1\r\nHost: 127.0.0.1:\#(base + 2)\r\n"#,
             #"#4 < "#, #"s→c #3 "HTTP/1.0 200 OK\r\n"#, "#3 shutdown wr (passing on #4's eof)", "#4 closed (both directions done)"],
            ["stopped recording to session.pcapng: 7 events", "Node 0: 127.1.0.1:49152", "ping", "pong"],
            ["\(base + 1)/tcp open", "\(base)/tcp closed", "\(base + 2)/tcp closed", "\(base + 3)/tcp closed"],
            ["#1 tls handshake done: TLSv1.3", "verify ok", #"#1 > 6 "hello\n""#, #"#1 < 6 "olleh\n""#],
        ]
    }

    @Test func everyHeadlessExampleRunsAsPasted() throws {
        let examples = try Self.headlessExamples()
        let base = try #require(Self.freePortRun(count: 4), "no four consecutive free ports")
        let expected = Self.expectations(base: base)
        #expect(examples.count == expected.count, "README has \(examples.count) headless examples; expectations cover \(expected.count)")
        let binary = try SockpitBinary.location.get()
        for (index, example) in examples.enumerated() {
            let script = Self.rewrite(example, binary: binary, base: base)
            let directory = try TemporaryDirectory()
            let result = try SockpitProcess.run(["-c", script], executable: "/bin/sh", directory: directory.url, timeout: 40)
            #expect(result.status == 0, "example \(index + 1):\n\(script)\n\(result)")
            #expect(!result.stdoutBytes.contains(0x1b), "example \(index + 1) printed a raw ESC")
            // The scan table pads its columns to the widest port: compare with runs of spaces collapsed.
            let output = result.stdout.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
            for text in index < expected.count ? expected[index] : [] {
                #expect(output.contains(text), "example \(index + 1) should print \(text):\n\(script)\n\(result)")
            }
            if script.contains("--json") {
                for line in result.lines {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
                }
            }
        }
    }

    @Test func theExamplesUseOnlyLoopbackAndTheBuiltBinary() throws {
        for example in try Self.headlessExamples() {
            #expect(!example.contains("0.0.0.0") && !example.contains("*:"), "\(example)")
            for line in example.split(separator: "\n") where !line.hasPrefix("#") && line.contains("sockpit") {
                #expect(line.contains(".build/debug/sockpit"), "not the binary `swift build` makes: \(line)")
            }
        }
    }

    /// The body of each ```sh block between "## Headless examples" and the next "## " heading.
    static func headlessExamples() throws -> [String] {
        let readme = try String(contentsOf: SockpitBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## Headless examples") else {
            Issue.record("README.md has no \"## Headless examples\" section")
            return []
        }
        var examples: [String] = []
        var current: [String]?
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sh" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                examples.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return examples
    }

    /// The example with the built binary's path and the README's ports 7000–7003 moved to base…base+3.
    static func rewrite(_ example: String, binary: String, base: UInt16) -> String {
        var script = example.replacingOccurrences(of: ".build/debug/sockpit", with: "'\(binary)'")
        // The test runner's threads block SIGTERM and children inherit the mask: a background
        // server the example ends with `kill` would outlive the test.
        script = script.replacingOccurrences(of: "kill $server", with: "kill -KILL $server")
        for offset in (0..<4).reversed() {
            script = script.replacingOccurrences(of: #"\b700\#(offset)\b"#, with: "\(Int(base) + offset)", options: .regularExpression)
        }
        return script
    }

    /// `count` consecutive TCP ports on 127.0.0.1 that nothing listens on, below the ephemeral range
    /// (so port-0 sockets of tests running in parallel cannot take them).
    static func freePortRun(count: Int) -> UInt16? {
        for _ in 0..<50 {
            let base = UInt16.random(in: 20_000...32_000)
            let free = (0..<count).allSatisfy { offset in
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
                defer { Glibc.close(fd) }
                var address = PeerSocket.loopback(port: base + UInt16(offset))
                return withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
            }
            if free { return base }
        }
        return nil
    }
}
