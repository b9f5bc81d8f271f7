// HeadlessFaultTests.swift — faults that need a process of their own: too many open files (the
// descriptor limit is lowered for sockpit only, never for the test runner), a bind refused to an
// unprivileged user, and a disk that fills up (a tiny tmpfs in a private mount namespace).

import Foundation
import Glibc
import Testing

/// Runs `sockpit ARGS` through bash after `setup` (shell commands), with every inherited
/// descriptor above 2 closed so limits and counts are sockpit's own.
private func shellWrapped(_ setup: String, _ arguments: [String], input: SockpitProcess.Input = .null,
                          timeout: TimeInterval = 60) throws -> SockpitProcess {
    let script = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; "# + setup + #"; exec "$@""#
    return try SockpitProcess(["-c", script, "bash", try SockpitBinary.location.get()] + arguments,
                              executable: "/bin/bash", input: input, timeout: timeout)
}

/// Counts the lines of `text` that contain `part`.
private func count(_ part: String, in text: String) -> Int {
    text.split(separator: "\n").filter { $0.contains(part) }.count
}

@Suite struct HeadlessFaultTests {
    static let emfileLine = "#1 ✗ accept #1: EMFILE (Too many open files): connection refused (raise the open-file limit)"

    /// With 16 descriptors, accepts beyond the limit are refused gracefully: the peer is closed at
    /// once, each refusal is logged and counted, nothing spins, and room freed by a close is used.
    @Test func tooManyOpenFiles() throws {
        let sockpit = try shellWrapped("ulimit -n 16", ["--headless", "--keep-going"], input: .pipe)
        sockpit.write("listen 127.0.0.1:0\n")
        #expect(sockpit.waitForOutput("listening tcp 127.0.0.1:"), "\(sockpit.stdout)")
        let port = try #require(HeadlessSignalTests.listeningPort(in: sockpit.stdout))
        var peers: [PeerSocket] = []
        defer { peers.forEach { $0.close() } }
        for index in 1...14 {
            peers.append(try #require(PeerSocket.connect(port: port), "connect \(index)"))
            #expect(sockpit.waitFor { count(" accepted 127.0.0.1:", in: $0.stdout) + count(Self.emfileLine, in: $0.stdout) == index },
                    "peer \(index) was neither accepted nor refused: \(sockpit.stdout)")
        }
        let accepted = count(" accepted 127.0.0.1:", in: sockpit.stdout)
        let refused = count(Self.emfileLine, in: sockpit.stdout)
        #expect(accepted >= 4 && refused >= 4 && accepted + refused == 14, "accepted \(accepted), refused \(refused)")
        for peer in peers[accepted...] {
            let (bytes, eof) = peer.receive()
            #expect(bytes.isEmpty && eof, "a refused peer was left waiting")
        }
        sockpit.write("info #1\n")
        #expect(sockpit.waitForOutput("  backlog 128, accepted \(accepted), waiting 0, accept=auto, refused \(refused)\n"), "\(sockpit.stdout)")

        peers[0].close()
        #expect(sockpit.waitForOutput("#2 closed\n"))
        let later = try #require(PeerSocket.connect(port: port))
        peers.append(later)
        #expect(sockpit.waitFor { count(" accepted 127.0.0.1:", in: $0.stdout) == accepted + 1 }, "a freed descriptor was not reused")
        #expect(count(Self.emfileLine, in: sockpit.stdout) == refused, "a refusal was logged that refused nobody")
        sockpit.write("echo still answering\nquit\n")
        let result = sockpit.finish()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\nstill answering\n"))
    }

    /// Whether the built sockpit runs as `nobody` here (root, setpriv, and readable paths).
    static let nobodyCanRunSockpit: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
              let binary = try? SockpitBinary.location.get(),
              let result = try? SockpitProcess.run(["--reuid=65534", "--regid=65534", "--clear-groups", binary, "--help"],
                                                   executable: "/usr/bin/setpriv", timeout: 20) else { return false }
        return result.status == 0
    }()

    /// As an unprivileged user: a port below ip_unprivileged_port_start and a Unix path in a
    /// directory owned by root are refused with EACCES; sockpit says so and goes on.
    @Test(.enabled(if: nobodyCanRunSockpit, "needs root, setpriv, and a sockpit that nobody may run"))
    func bindPermissionDeniedForAnUnprivilegedUser() throws {
        let firstFree = Int((try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "1024") ?? 1024
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-root-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s.sock").path
        var script = ["--headless", "--keep-going", "-e", "listen unix \(path)"]
        if firstFree > 1 { script += ["-e", "listen 1"] }
        script += ["-e", "listen 0", "-e", "echo still answering"]
        let result = try SockpitProcess.run(["--reuid=65534", "--regid=65534", "--clear-groups", try SockpitBinary.location.get()] + script,
                                            executable: "/usr/bin/setpriv", timeout: 30)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error: bind \(path): EACCES (Permission denied)\n"), "\(result)")
        if firstFree > 1 {
            #expect(result.stderr.contains("error: bind 127.0.0.1:1: EACCES (Permission denied)\n"), "\(result)")
        }
        #expect(result.untimedLines.contains { $0.hasPrefix("#1 listening tcp 127.0.0.1:") }, "\(result)")
        #expect(result.stdout.contains("\nstill answering\n"))
    }

    /// Whether a private mount namespace with a tmpfs can be made here (root; CI runs as root).
    static let privateTmpfsAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
              let result = try? SockpitProcess.run(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
                                                   executable: "/usr/bin/unshare", timeout: 20) else { return false }
        return result.status == 0
    }()

    /// A 64 KiB tmpfs fills up under a recording and a save: each says ENOSPC, the old saved file
    /// is untouched and no temporary file is left, and the in-memory log — saved elsewhere
    /// afterwards — still holds every event.
    @Test(.enabled(if: privateTmpfsAvailable, "needs unshare and mount (root)"))
    func aFullDiskStopsRecordAndSaveButLosesNothing() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-full-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let small = outside.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let payload = outside.appendingPathComponent("payload.bin")
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: payload)
        let s = small.path, o = outside.path
        // The mount exists only in this process's namespace; the shell copies out what the test checks.
        let script = """
            mount -t tmpfs -o size=64k tmpfs '\(s)' && echo old > '\(s)/log.txt' && "$@"; status=$?; \
            cat '\(s)/log.txt' > '\(o)/after.txt'; ls -a '\(s)' > '\(o)/ls.txt'; exit $status
            """
        let binary = try SockpitBinary.location.get()
        let result = try SockpitProcess.run(
            ["-m", "bash", "-c", script, "bash", binary, "--headless", "--keep-going",
             "-e", "set timestamps off", "-e", "pair", "-e", "record \(s)/rec.jsonl", "-e", "send #1 @\(payload.path)",
             "-e", "wait #2 data", "-e", "sleep 0.2", "-e", "save \(s)/log.txt", "-e", "save \(o)/log.txt"],
            executable: "/usr/bin/unshare", timeout: 60)
        #expect(result.status == 1, "\(result)")
        #expect(result.untimedLines.contains("✗ recording stopped: write \(s)/rec.jsonl: ENOSPC (No space left on device)"), "\(result)")
        #expect(result.stderr.contains("error: save \(s)/log.txt: ENOSPC (No space left on device)\n"), "\(result)")
        #expect((try? String(contentsOfFile: "\(o)/after.txt", encoding: .utf8)) == "old\n", "the old file was damaged")
        let listing = (try? String(contentsOfFile: "\(o)/ls.txt", encoding: .utf8)) ?? ""
        #expect(!listing.contains(".tmp"), "a temporary file was left: \(listing)")
        let saved = (try? String(contentsOfFile: "\(o)/log.txt", encoding: .utf8)) ?? ""
        let received = saved.split(separator: "\n").filter { $0.hasPrefix("#2 < ") }
            .compactMap { Int($0.dropFirst(5).prefix { $0.isNumber }) }.reduce(0, +)
        #expect(received == 200_000, "the in-memory log lost data: \(received) bytes in the saved log")
        #expect(saved.contains("✗ recording stopped: write \(s)/rec.jsonl: ENOSPC"))
    }
}
