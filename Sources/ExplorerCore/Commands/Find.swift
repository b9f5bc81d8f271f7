// Find — `find PAYLOAD` or `find /REGEX/`: search the log; the screen jumps to the newest match,
// highlights every match and walks them with F6 / Shift-F6.

/// `find`: the bytes (or the regular expression) to look for in the log.
struct FindCommand: SessionCommand {
    /// The bytes to find (empty for a regular expression).
    var payload: Payload
    /// `/REGEX/`, instead of the payload.
    var regex: LogSearch?

    static let info = CommandInfo(
        "find", usage: "find PAYLOAD|/REGEX/", summary: "search the log for these bytes or this regular expression",
        arguments: [ArgumentInfo("PAYLOAD", .payload)],
        examples: ["find HTTP/1.1", #"find x"1b""#, #"find /HTTP\/1\.[01] [45]\d\d/"#])

    static var helpDetails: [String] {
        ["  the screen jumps to the newest match (match 1/N in the log's title) and highlights each;",
         "  F6 walks to the next older match, Shift-F6 back; /REGEX/ matches bytes (\\r\\n are two),",
         "  looking at the newest \(LogSearch.regexSearchBytes >> 20) MiB"]
    }

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> FindCommand {
        let text = args.line.text(args.rest)
        if text.count >= 3, text.hasPrefix("/"), text.hasSuffix("/") {
            do throws(CommandError) {
                return FindCommand(payload: Payload(bytes: []), regex: try LogSearch(regex: String(text.dropFirst().dropLast())))
            } catch { throw ParseError(error.message) }
        }
        return FindCommand(payload: try args.requiredPayload())
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let search: LogSearch
        if let regex {
            search = regex
        } else {
            let needle = try engine.bytes(of: payload)
            guard !needle.isEmpty else { throw CommandError("find: nothing to find") }
            search = LogSearch(bytes: needle)
        }
        engine.view.search = search
        engine.view.searchGeneration += 1
        engine.view.follow = false
        engine.markChanged()
        let found = search.collect(in: engine.log)
        return .done(.ok("\(search): \(found.summary)"))
    }
}
