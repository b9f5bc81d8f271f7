// Filter — `filter [TARGET|all]`: show one socket in the log (a listener with its peers), or all again.

/// `filter`: which socket's entries the log shows.
struct FilterCommand: SessionCommand {
    /// `.all` (from `all` or `*`) shows every socket again.
    var target: Target

    static let info = CommandInfo(
        "filter", usage: "filter [TARGET|all]", summary: "show only one socket in the log, or all again",
        arguments: [.target(.any), .keyword(["all"], optional: true)], examples: ["filter #3", "filter all"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> FilterCommand {
        var words = try WordArguments(args)
        var target = Target.selected
        if let word = words.peek(), !word.isQuoted, word.keyword == "all" {
            _ = words.next()
            target = .all
        } else if words.peek() != nil {
            target = try words.requireTarget(allowAll: true)
        }
        try words.finish()
        return FilterCommand(target: target)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if case .all = target {
            engine.view.filter = nil
            engine.markChanged()
            return .done(.ok("showing every socket"))
        }
        let id = try engine.resolve(target, "filter")
        engine.view.filter = id
        engine.markChanged()
        return .done(.ok("showing \(id) only" + (engine.table[id]?.role == .listener ? " and its peers" : "")))
    }
}
