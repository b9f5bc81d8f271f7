// TmuxScreen.swift — the real sockpit binary in a real terminal: a private tmux server per test,
// keys sent with send-keys, the screen read with capture-pane, polled (never slept on).

import Foundation
import Glibc

/// Runs a program and waits for it, with posix_spawn and waitpid rather than Foundation's Process:
/// the test runner's threads block SIGCHLD and other signals, which children would inherit (a
/// tmux server that ignores SIGTERM and SIGHUP outlives its test) and which keep Process from
/// noticing exits. The child gets an empty signal mask and default handlers; a shell closes every
/// inherited descriptor above 2 before exec, so a tmux server started here cannot hold another
/// test's pipe open.
enum ChildProcess {
    static func run(_ argv: [String], outputPath: String?) -> Int32 {
        let script = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        // bash, not dash: dash cannot name descriptors above 9 in a redirection.
        let full = ["/bin/bash", "-c", script, "bash"] + argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let output = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE, SIGWINCH, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let cArguments = full.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        guard posix_spawn(&pid, full[0], &actions, &attributes, cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}

/// One tmux server with one session running a command.
final class TmuxScreen {
    let server: String
    let directory: URL
    private(set) var width: Int
    private(set) var height: Int

    static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts `sockpit ARGS` in a fresh tmux server, with `environment` (`NAME=value …`, shell
    /// syntax) added and `initFile` as its init file (`$XDG_CONFIG_HOME/sockpit/init`, which is
    /// otherwise absent). After sockpit exits, the shell records the terminal modes (`stty -a`) into
    /// `stty.txt` and stays for inspection.
    init(width: Int = 120, height: Int = 40, arguments: String = "", environment: String = "", initFile: String? = nil) throws {
        server = "sockpit-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(server)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.width = width
        self.height = height
        if let initFile {
            let folder = directory.appendingPathComponent("config/sockpit")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try initFile.write(to: folder.appendingPathComponent("init"), atomically: true, encoding: .utf8)
        }
        let state = directory.appendingPathComponent("state").path
        // The init file is looked for here (`config/sockpit/init`), never in the user's own config.
        // A SWIFT_BACKTRACE the tests run with is added to ours (the ThreadSanitizer run turns the
        // backtracer off, Tests/Sanitizers/swift-test.sh).
        let config = directory.appendingPathComponent("config").path
        let script = """
            cd '\(directory.path)'; export LANG=C.UTF-8 XDG_STATE_HOME='\(state)' XDG_CONFIG_HOME='\(config)' SWIFT_BACKTRACE=interactive=no${SWIFT_BACKTRACE:+,$SWIFT_BACKTRACE}; \
            \(environment) '\(try SockpitBinary.location.get())' \(arguments); echo "exit=$?" > exit.txt; stty -a > stty.txt; sleep 600
            """
        // The server tmux starts here lives on as a daemon and would inherit a pipe: give it none.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", "\(width)", "-y", "\(height)", "sh", "-c", script],
                 capture: false)
    }

    deinit {
        // sockpit saves its history (into this directory) when the server's SIGHUP ends it: wait
        // for it to exit before removing the directory, or that write recreates it and it leaks.
        let app = try? appPID(timeout: 0)
        _ = try? tmux(["kill-server"], capture: false)
        if let app {
            let deadline = Date().addingTimeInterval(3)
            while kill(app, 0) == 0 && Date() < deadline { usleep(20_000) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        guard capture else {
            _ = ChildProcess.run(["/usr/bin/tmux", "-L", server] + arguments, outputPath: nil)
            return ""
        }
        let outputPath = directory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        _ = ChildProcess.run(["/usr/bin/tmux", "-L", server] + arguments, outputPath: outputPath)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        try? FileManager.default.removeItem(atPath: outputPath)
        return String(decoding: data, as: UTF8.self)
    }

    /// Types text literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "s", "-l", text]) }

    /// Sends named keys (`Enter`, `F2`, `C-c`, `PageUp`).
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "s"] + keys) }

    /// The screen as lines.
    func capture() throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", "s"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The screen as one string, for failure messages (empty when tmux cannot say).
    var shown: String { ((try? capture()) ?? []).joined(separator: "\n") }

    /// A tmux format variable of the pane (`pane_title`, `alternate_on`).
    func paneVariable(_ name: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "s", "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen every 50 ms until `predicate` holds; returns that screen once it is whole,
    /// or nil on timeout.
    ///
    /// One frame reaches tmux as many writes, so a capture can fall inside one (the log's title
    /// already says `hex`, its rows are still text). A screen counts as whole when the next capture,
    /// 20 ms later, is the same; when the screen keeps changing (a flood) the newest match after
    /// 1 s, and when it stops matching (a passing status) the last match.
    func waitFor(timeout: Double = 10, _ predicate: ([String]) -> Bool) throws -> [String]? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let screen = try capture()
            if predicate(screen) { return try settled(screen, predicate) }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }

    private func settled(_ first: [String], _ predicate: ([String]) -> Bool) throws -> [String] {
        var match = first
        let giveUp = Date().addingTimeInterval(1)
        while Date() < giveUp {
            usleep(20_000)
            let next = try capture()
            guard predicate(next) else { return match }
            if next == match { return next }
            match = next
        }
        return match
    }

    /// Polls until the screen contains `text`.
    func waitFor(_ text: String, timeout: Double = 10) throws -> [String]? {
        try waitFor(timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// A left click at a zero-based cell, as the terminal reports it to sockpit (X10 mouse
    /// encoding, which ncurses asks tmux for).
    func click(x: Int, y: Int) throws {
        let bytes = [0x1b, 0x5b, 0x4d, 0x20, 33 + x, 33 + y].map { String(format: "%02x", $0) }
        try tmux(["send-keys", "-t", "s", "-H"] + bytes)
    }

    /// Pastes `text` as a terminal does with bracketed paste on (tmux adds the markers only when
    /// the program asked for them, and turns LF into CR as a terminal's paste does).
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "-b", "e2e", text])
        try tmux(["paste-buffer", "-p", "-b", "e2e", "-t", "s"])
    }

    func resize(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        try tmux(["resize-window", "-t", "s", "-x", "\(width)", "-y", "\(height)"])
    }

    /// A file the shell wrote after sockpit exited (`exit.txt`, `stty.txt`), once it exists.
    func file(_ name: String, timeout: Double = 10) -> String? {
        let url = directory.appendingPathComponent(name)
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let text = try? String(contentsOf: url, encoding: .utf8), !text.isEmpty { return text }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }
}

/// Checks that a captured screen is laid out sanely: every row fits the width, boxes are closed.
enum ScreenShape {
    static func columns(_ line: String) -> Int {
        line.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value) || (0x20000...0x3FFFD).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    /// Problems found: rows wider than the terminal, box rows whose right border is missing.
    static func problems(_ screen: [String], width: Int) -> [String] {
        var problems: [String] = []
        for (index, line) in screen.enumerated() {
            if columns(line) > width { problems.append("row \(index) is \(columns(line)) columns wide: \(line)") }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let first = trimmed.first, "│┌└├".contains(first), let last = trimmed.last, !"│┐┘┤".contains(last) {
                problems.append("row \(index) has an open box: \(line)")
            }
        }
        return problems
    }
}
