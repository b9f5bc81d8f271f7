// ScreenProcess.swift — what the screen tests ask of the sockpit process inside tmux besides its
// screen: its pid (to signal it), its CPU time (to prove a stalled queue does not spin), and
// whether it gave the terminal back.

import Foundation
import Glibc
import Testing

extension TmuxScreen {
    /// The sockpit process: the child of the pane's shell whose command name is `sockpit`.
    func appPID(timeout: Double = 10) throws -> pid_t? {
        guard let shell = pid_t(try paneVariable("pane_pid")) else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = pid_t(name), let stat = ProcessStat(pid: pid) else { continue }
                if stat.parent == shell && stat.command == "sockpit" { return pid }
            }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }

    /// Checks what a person gets back after sockpit exits: the shell's `exit=N`, echo and
    /// canonical mode on, the alternate screen off.
    func expectTerminalRestored(exitStatus: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let exit = file("exit.txt")
        #expect(exit?.contains("exit=\(exitStatus)\n") == true, "\(exit ?? "no exit.txt")", sourceLocation: sourceLocation)
        let modes = file("stty.txt") ?? ""
        #expect(modes.contains(" echo ") || modes.hasSuffix(" echo\n"), "echo is off: \(modes)", sourceLocation: sourceLocation)
        #expect(!modes.contains("-echo ") && !modes.contains("-icanon"), "\(modes)", sourceLocation: sourceLocation)
        #expect(modes.contains("icanon"), sourceLocation: sourceLocation)
        #expect(try paneVariable("alternate_on") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
    }
}

/// The few fields of /proc/PID/stat the tests read.
struct ProcessStat {
    var command: String
    var parent: pid_t
    /// User plus system CPU time, in seconds.
    var cpuSeconds: Double

    init?(pid: pid_t) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        command = String(text[text.index(after: open)..<close])
        // After "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        let fields = text[text.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 12, let parent = pid_t(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        self.parent = parent
        cpuSeconds = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
