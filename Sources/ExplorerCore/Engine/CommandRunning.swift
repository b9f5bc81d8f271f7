// CommandRunning — a line in, one status out: parse through the registry, run the command's type,
// and turn any failure into a single `error: …` that changed nothing else.

extension Engine {
    /// Parses and runs one line.
    func run(_ text: String, origin: CommandOrigin) -> Outcome {
        let command: Command?
        do {
            command = try CommandParser.parse(text)
        } catch {
            return .done(.error(error.message))
        }
        guard let command else { return .done(.ok("")) }
        stepping.runningCommand = command.name.rawValue
        defer { stepping.runningCommand = nil }
        let outcome: Outcome
        do {
            outcome = try command.run(on: self, origin: origin)
        } catch {
            outcome = .done(.error(error.message))
        }
        noteCommandOutcome(command.name.rawValue, outcome)
        return outcome
    }

    /// New settings from `set`: the log's cap and the trace follow them at once.
    func apply(_ updated: Settings) {
        settings = updated
        journal.capacity = settings.logcap
        data.bounds = QueueBounds(perSocket: settings.queuecap, total: settings.queuetotal)
        if settings.trace != tracing { setTracing(settings.trace) }
        markChanged()
    }

    /// `source FILE`: inside a script the file's lines run next; at the prompt they run as a script of their own.
    func runSourced(_ lines: [ScriptLine], origin: CommandOrigin) {
        if origin == .script {
            scripting.insertNext(lines)
        } else {
            enqueueScript(lines, keepGoing: false)
        }
    }
}
