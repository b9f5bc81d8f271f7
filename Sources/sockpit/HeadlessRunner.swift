// HeadlessRunner.swift — sockpit without a screen: run the script (-e, --script, or stdin), print
// every log entry to stdout as a sanitized line or JSON, errors to stderr; exit 0 or 1.

import ExplorerCore
import Glibc
import SocketKit

enum HeadlessRunner {
    struct Options {
        var json = false
        var keepGoing = false
        var verbose = false
        var readStandardInput = false
    }

    /// How long the end of a script waits for queued outgoing bytes before closing anyway.
    static let drainLimit: Int64 = 10_000_000

    /// Runs to the end of the script (or `quit`, or a signal) and returns the exit status.
    static func run(lines: [ScriptLine], options: Options) -> Int32 {
        let engine: Engine
        do {
            engine = try Engine()
        } catch {
            FileOutput.standardError.write("error: \(error)\n")
            return 1
        }
        let stdout = standardOutput(engine)
        var formatter = engine.lineFormatter
        // Unowned: the engine keeps its observers, and only it calls them (a strong capture was a
        // retain cycle that LeakSanitizer reported at every exit).
        engine.logObservers.append { [unowned engine] entry in
            // `set timestamps …` takes effect from the next line on.
            if formatter.timestamps != engine.settings.timestamps { formatter.timestamps = engine.settings.timestamps }
            stdout.withBuffer { buffer in
                if options.json {
                    formatter.appendJSON(entry, to: &buffer)
                } else {
                    formatter.appendText(entry, to: &buffer)
                }
            }
        }
        engine.statusObserver = { status, _ in
            if !status.ok {
                stdout.flush()
                FileOutput.standardError.write("\(status)\n")
            } else if options.verbose {
                stdout.flush()
                FileOutput.standardError.write("\(status)\n")
            }
        }
        var caughtSignal: Int32?
        engine.handleSignals([SIGINT, SIGTERM, SIGHUP]) { signal in caughtSignal = signal }

        engine.enqueueScript(lines, keepGoing: options.keepGoing)
        let input = options.readStandardInput ? StandardInputLines(engine: engine, keepGoing: options.keepGoing) : nil
        input?.start()

        while caughtSignal == nil && !engine.quitRequested && !stdout.broken {
            let inputDone = input?.finished ?? true
            if engine.scriptIdle && inputDone { break }
            if engine.scriptAborted && !options.keepGoing { break }
            // `step` runs queued lines first and does not block when it ran any, so a script that
            // finished at once is noticed here.
            engine.step()
            engine.flushRecording()
            stdout.flush()
        }
        if caughtSignal == nil && !stdout.broken {
            drainOutgoing(engine, stdout: stdout, stop: { caughtSignal != nil })
            // Show what has already arrived (a datagram sent to ourselves, a last reply) before closing.
            for _ in 0..<2 { engine.step(maxWaitMilliseconds: 0) }
        }
        let drain: Int64 = caughtSignal == nil ? 10_000_000 : 500_000
        engine.closeAll(recordDrainLimit: drain)
        stdout.finish(until: MonotonicClock.now() + drain)
        if let caughtSignal { return 128 + caughtSignal }
        return engine.failedCommands > 0 ? 1 : 0
    }

    /// Where the log goes: into a pipe or socket through the engine's non-blocking writer (a slow
    /// reader then holds peers back instead of freezing the loop, and a signal still ends the run
    /// at once); a terminal or a file is written directly.
    private static func standardOutput(_ engine: Engine) -> HeadlessOutput {
        var info = stat()
        guard fstat(1, &info) == 0, [S_IFIFO, S_IFSOCK].contains(info.st_mode & S_IFMT) else { return FileOutput(fd: 1) }
        return engine.openOutput(fd: 1, shown: "standard output")
    }

    /// Gives queued outgoing bytes a chance to leave before the sockets close.
    private static func drainOutgoing(_ engine: Engine, stdout: HeadlessOutput, stop: () -> Bool) {
        let deadline = MonotonicClock.now() + drainLimit
        while engine.queuedOutboundBytes > 0 && MonotonicClock.now() < deadline && !stop() {
            engine.step(maxWaitMilliseconds: 100)
            stdout.flush()
        }
    }
}

/// Commands read from standard input as they arrive (a pipe), or all at once (a file).
final class StandardInputLines {
    private let engine: Engine
    private let keepGoing: Bool
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private(set) var finished = false

    init(engine: Engine, keepGoing: Bool) {
        self.engine = engine
        self.keepGoing = keepGoing
    }

    func start() {
        var info = stat()
        if fstat(0, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG || isatty(0) != 0 {
            // epoll refuses regular files; a terminal in headless mode is read the same blocking way.
            readAllBlocking()
            return
        }
        let flags = fcntl(0, F_GETFL)
        _ = fcntl(0, F_SETFL, flags | O_NONBLOCK)
        do {
            try engine.watchInput(0) { [unowned self] in self.readAvailable() }
        } catch {
            readAllBlocking()
        }
    }

    private func readAllBlocking() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0 && Glibc.errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
        }
        emitLines(final: true)
        finished = true
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                if Glibc.errno == EAGAIN { break }
            }
            if count <= 0 {
                engine.unwatchInput(0)
                emitLines(final: true)
                finished = true
                return
            }
            pending.append(contentsOf: chunk[0..<count])
        }
        emitLines(final: false)
    }

    private func emitLines(final: Bool) {
        var lines: [ScriptLine] = []
        while let newline = pending.firstIndex(of: 0x0a) {
            lines.append(line(pending[..<newline]))
            pending.removeSubrange(...newline)
        }
        if final && !pending.isEmpty {
            lines.append(line(pending[...]))
            pending.removeAll()
        }
        if !lines.isEmpty { engine.enqueueScript(lines, keepGoing: keepGoing) }
    }

    private func line(_ bytes: ArraySlice<UInt8>) -> ScriptLine {
        lineNumber += 1
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return ScriptLine(text, location: "")
    }
}
