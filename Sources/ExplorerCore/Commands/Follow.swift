// Follow — `follow`: jump to the end of the log and follow new entries again.

/// `follow`: scroll to the newest entry and stay there.
struct FollowCommand: SessionCommand {
    static let info = CommandInfo(
        "follow", usage: "follow", summary: "jump to the end of the log and follow new data", examples: ["follow"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> FollowCommand {
        try args.noArguments()
        return FollowCommand()
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        engine.view.follow = true
        engine.markChanged()
        return .done(.ok("following new entries"))
    }
}
