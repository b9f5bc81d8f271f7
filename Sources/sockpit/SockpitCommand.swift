// SockpitCommand.swift — the command line: options, then either the screen or headless mode.

import ArgumentParser
import ExplorerCore
import Glibc
import SocketKit

@main
struct SockpitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sockpit",
        abstract: "Explore sockets: listen, connect, send and watch every byte, live.",
        discussion: """
            Without --headless sockpit opens its screen. Type `help` at the prompt for every command.
            Headless examples:
              sockpit --headless -e 'listen 127.0.0.1:0' -e 'wait connected' -e 'wait closed'
              printf 'connect 127.0.0.1:5000\\nsendl hello\\nexpect OK\\nquit\\n' | sockpit --headless
            """,
        version: "0.1.0"
    )

    @Flag(name: .long, help: "Run without the screen: print the log to stdout, one line per event.")
    var headless = false

    @Option(name: [.customShort("e"), .customLong("execute")], help: ArgumentHelp("Run a command first (repeatable).", valueName: "command"))
    var commands: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run the commands in a file (one per line, # starts a comment).", valueName: "file"))
    var script: String?

    @Flag(name: .long, help: "Headless: print JSON lines (lossless; data also as base64).")
    var json = false

    @Flag(name: .long, help: "Keep going after a command fails (the exit status is still 1).")
    var keepGoing = false

    @Flag(name: .long, help: "Headless: also print each command's ok: line to stderr.")
    var verbose = false

    @Flag(name: .long, help: "Do not run the init file ($XDG_CONFIG_HOME/sockpit/init, else ~/.config/sockpit/init) when the screen starts.")
    var noInit = false

    mutating func run() throws {
        // Thousands of peers (maxconns defaults to 10,000) need more descriptors than the usual soft 1,024.
        OpenFileLimit.raiseToHardLimit()
        var lines = commands.map { ScriptLine($0) }
        if let script {
            do throws(CommandError) {
                lines += try ScriptSource.read(script)
            } catch {
                FileOutput.standardError.write("error: --script \(error.message)\n")
                throw ExitCode(2)
            }
        }
        if headless {
            let options = HeadlessRunner.Options(json: json, keepGoing: keepGoing, verbose: verbose,
                                                 readStandardInput: commands.isEmpty && script == nil)
            let status = HeadlessRunner.run(lines: lines, options: options)
            throw ExitCode(status)
        }
        // The init file is the screen's (like a shell's rc file): headless runs stay reproducible.
        var scripts = [ScreenApp.ScriptBatch(lines: lines, keepGoing: keepGoing)]
        var notice: String?
        if !noInit, let path = InitFile.path() {
            switch InitFile.load(path) {
            case .success(let initLines)?: scripts.insert(ScreenApp.ScriptBatch(lines: initLines, keepGoing: true), at: 0)
            case .failure(let error)?: notice = "init file not run: \(error.message)"
            case nil: break
            }
        }
        let status = ScreenApp.run(scripts: scripts, notice: notice)
        throw ExitCode(status)
    }
}
