// Source — `source FILE`: run a file of commands (`#` starts a comment line).

import Glibc

/// `source`: the file's lines, run as a script.
struct SourceCommand: SessionCommand {
    var path: String

    static let info = CommandInfo(
        "source", usage: "source FILE", summary: "run the commands in FILE (# starts a comment line)",
        arguments: [ArgumentInfo("FILE", .file)], examples: ["source session.txt"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> SourceCommand {
        SourceCommand(path: try args.onlyFileName())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        // Inside a session a FIFO or a terminal would block the loop in open or read until
        // someone writes; `--script <(…)` at start-up may still read a pipe.
        var info = stat()
        if stat(path, &info) == 0, [S_IFIFO, S_IFSOCK, S_IFCHR].contains(info.st_mode & S_IFMT) {
            throw CommandError("source \(Sanitizer.clean(path)): not a regular file: sockpit reads only files that cannot keep it waiting")
        }
        let lines = try ScriptSource.read(path, system: engine.system)
        engine.runSourced(lines, origin: origin)
        return .done(.ok("running \(lines.count) lines from \(Sanitizer.clean(path))"))
    }
}
