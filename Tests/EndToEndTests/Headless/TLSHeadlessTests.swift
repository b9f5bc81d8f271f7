// TLSHeadlessTests.swift — TLS through the real binary: SSLKEYLOGFILE in the environment sets the
// key log, and tshark, given that file, decrypts a loopback capture of the session to the very
// plaintext sockpit logged; `--json` carries the TLS events as `"event":"tls"`.

import Foundation
import Glibc
import Testing

@Suite struct TLSHeadlessTests {
    /// SSLKEYLOGFILE, a capture by tshark (when it can capture here), and tshark decrypting it.
    @Test func sslkeylogfileLetsTsharkDecryptACapture() throws {
        let directory = try TemporaryDirectory()
        let keys = directory.url.appendingPathComponent("keys.log").path
        let capture = directory.url.appendingPathComponent("tls.pcapng").path
        let port = try #require(ReadmeExamplesTests.freePortRun(count: 1))
        let tshark = Self.canCapture ? try Self.startCapture(port: port, to: capture) : nil
        let binary = try SockpitBinary.location.get()
        let result = try SockpitProcess.run(["SSLKEYLOGFILE=\(keys)", binary, "--headless",
                                             "-e", "listen tls 127.0.0.1:\(port) reply=echo", "-e", "set keylog",
                                             "-e", "connect tls 127.0.0.1:\(port) verify=off",
                                             "-e", "sendl secret plaintext 42", "-e", "expect \"secret plaintext 42\"",
                                             "-e", "close #2", "-e", "wait #3 closed"],
                                            executable: "/usr/bin/env", directory: directory.url, timeout: 30)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("keylog = \(keys)"), "\(result)")
        let lines = ((try? String(contentsOfFile: keys, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(lines.count == 10, "five TLS 1.3 secrets for each end: \(lines)")
        guard let tshark else { return }
        usleep(300_000)
        // SIGTERM: tshark finishes the file and exits (bounded: SIGKILL after 10 s).
        kill(tshark.processIdentifier, SIGTERM)
        let stop = Date().addingTimeInterval(10)
        while tshark.isRunning && Date() < stop { usleep(20_000) }
        if tshark.isRunning { kill(tshark.processIdentifier, SIGKILL) }
        let follow = try SockpitProcess.run(["-r", capture, "-o", "tls.keylog_file:\(keys)", "-q", "-z", "follow,tls,ascii,0"],
                                            executable: "/usr/bin/tshark", timeout: 60)
        #expect(follow.stdout.contains("secret plaintext 42"), "\(follow)")
        // Without the key log the same capture shows no plaintext.
        let blind = try SockpitProcess.run(["-r", capture, "-q", "-z", "follow,tcp,ascii,0"], executable: "/usr/bin/tshark", timeout: 60)
        #expect(!blind.stdout.contains("secret plaintext 42"))
    }

    @Test func jsonCarriesTheTLSEvents() throws {
        let port = try #require(ReadmeExamplesTests.freePortRun(count: 1))
        let result = try SockpitProcess.run(["--headless", "--json", "-e", "listen tls 127.0.0.1:\(port)",
                                             "-e", "connect tls localhost:\(port)"], timeout: 30)
        #expect(result.status == 1, "the generated certificate is refused with verify on: \(result)")
        #expect(result.stderr.contains("certificate verify failed: self-signed certificate"), "\(result)")
        let events = result.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.contains { $0["event"] as? String == "tls" && ($0["text"] as? String)?.contains("tls certificate O=sockpit") == true },
                "\(result)")
        #expect(events.contains { $0["event"] as? String == "error" && ($0["text"] as? String)?.contains("tls handshake") == true })
    }

    /// tshark is installed and we may capture on lo (root, or dumpcap's capabilities).
    static let canCapture: Bool = FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") && getuid() == 0

    /// `tshark -i lo -w FILE -f "tcp port PORT"`, returned once dumpcap has written the file's header
    /// (it is capturing then), or after 15 s.
    static func startCapture(port: UInt16, to path: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tshark")
        process.arguments = ["-i", "lo", "-w", path, "-f", "tcp port \(port)"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) == 0 {
            usleep(20_000)
        }
        usleep(200_000)
        return process
    }
}
