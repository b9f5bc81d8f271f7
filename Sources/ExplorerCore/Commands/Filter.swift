// Filter — `filter [TARGET|all] [sent|received] [data|events|errors|trace|output]… ["TEXT"|/REGEX/]`:
// what the log shows; every part given must hold. A bare `filter` (F3) shows the selected socket.

/// `filter`: which entries the log shows.
struct FilterCommand: SessionCommand {
    /// `.all` (from `all` or `*`) for no socket; `.selected` when neither a target nor anything
    /// else was given (F3).
    var target: Target
    var direction: LogKind?
    var kinds: [LogFilter.Kinds] = []
    var content: LogSearch?

    init(target: Target, direction: LogKind? = nil, kinds: [LogFilter.Kinds] = [], content: LogSearch? = nil) {
        self.target = target
        self.direction = direction
        self.kinds = kinds
        self.content = content
    }

    static let info = CommandInfo(
        "filter", usage: "filter [TARGET|all] [sent|received] [data|events|errors|trace|output]… [\"TEXT\"|/REGEX/]",
        summary: "show only some of the log: a socket, a direction, kinds, matching bytes; all shows everything",
        arguments: [.target(.any), .keyword(["all", "sent", "received"] + LogFilter.Kinds.allCases.map(\.rawValue), optional: true)],
        examples: ["filter #3", "filter all", "filter #3 received", "filter errors", #"filter received /HTTP\/1\.[01] [45]\d\d/"#,
                   #"filter sent "GET ""#])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> FilterCommand {
        var words = try WordArguments(args)
        var command = FilterCommand(target: .selected)
        var target: Target?
        var narrowed = false  // something other than a socket was given
        while let word = words.next() {
            if !word.isQuoted, word.keyword == "all" {
                target = .all
            } else if !word.isQuoted, let parsed = try Targets.parse(word) {
                target = try Targets.check(parsed, allowAll: true)
            } else if !word.isQuoted, word.keyword == "sent" || word.keyword == "received" {
                command.direction = word.keyword == "sent" ? .send : .recv
                narrowed = true
            } else if !word.isQuoted, let kind = LogFilter.Kinds(rawValue: word.keyword) {
                if !command.kinds.contains(kind) { command.kinds.append(kind) }
                narrowed = true
            } else if word.isQuoted {
                let (bytes, _) = try PayloadParser.decodeQuoted(args.line, at: word.range.lowerBound, end: word.range.upperBound)
                guard !bytes.isEmpty else { throw ParseError("expected text to filter on, got \"\"") }
                command.content = LogSearch(bytes: bytes)
                narrowed = true
            } else if !word.isQuoted, word.text.hasPrefix("/") {
                // A regular expression runs to the end of the line (it may hold blanks).
                let text = args.line.text(word.range.lowerBound..<args.rest.upperBound)
                guard text.count >= 3, text.hasSuffix("/") else { throw ParseError("a /REGEX/ ends the line and ends with /") }
                do throws(CommandError) {
                    command.content = try LogSearch(regex: String(text.dropFirst().dropLast()))
                } catch { throw ParseError(error.message) }
                narrowed = true
                break
            } else if !word.text.isEmpty, word.text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                throw ParseError("expected a target (#N, . or *), got \(MessageText.quoted(word.text)) — did you mean #\(word.text)?")
            } else {
                let kinds = LogFilter.Kinds.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError("expected a target, all, sent, received, a kind (\(kinds)), \"TEXT\" or /REGEX/, got \(MessageText.quoted(word.text))")
            }
        }
        // Without a target, a narrowed filter spans every socket; a bare `filter` (F3) is the selected one.
        command.target = target ?? (narrowed ? .all : .selected)
        return command
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        var filter = LogFilter(direction: direction, content: content, kinds: kinds)
        if target != .all { filter.socket = try engine.resolve(target, "filter") }
        engine.view.logFilter = filter
        engine.markChanged()
        if filter.isEmpty { return .done(.ok("showing every socket")) }
        let peers = filter.socket.map { engine.table[$0]?.role == .listener ? " and its peers" : "" } ?? ""
        let only = filter == LogFilter(socket: filter.socket) ? " only" : ""
        return .done(.ok("showing \(filter)\(only)\(peers)"))
    }
}
