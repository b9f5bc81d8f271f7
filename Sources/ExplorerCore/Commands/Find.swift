// Find — `find PAYLOAD`: search the log for these bytes; the screen jumps to the newest match.

/// `find`: the bytes to look for in the log.
struct FindCommand: SessionCommand {
    var payload: Payload

    static let info = CommandInfo(
        "find", usage: "find PAYLOAD", summary: "search the log for these bytes",
        arguments: [ArgumentInfo("PAYLOAD", .payload)], examples: ["find HTTP/1.1", #"find x"1b""#])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> FindCommand {
        FindCommand(payload: try args.requiredPayload())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let needle = try engine.bytes(of: payload)
        guard !needle.isEmpty else { throw CommandError("find: nothing to find") }
        engine.view.search = needle
        engine.view.searchGeneration += 1
        engine.view.follow = false
        engine.markChanged()
        var matches = 0
        engine.log.forEach { entry in
            let haystack = entry.kind.isData ? entry.bytes : Array(entry.text.utf8)
            if ByteSearch.endOfFirstMatch(needle, in: haystack) != nil { matches += 1 }
        }
        return .done(.ok("\"\(Sanitizer.escape(needle))\" found in \(matches) log entries"))
    }
}
