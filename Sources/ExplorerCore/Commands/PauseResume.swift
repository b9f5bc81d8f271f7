// PauseResume — `pause [TARGET]` and `resume [TARGET]`: stop and restart reading; while paused,
// bytes wait in the kernel and the pane shows how many.

/// `pause`: stop reading; bytes wait in the kernel.
struct PauseCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "pause", usage: "pause [TARGET]", summary: "stop reading; bytes wait in the kernel",
        arguments: [.target()], examples: ["pause #3"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> PauseCommand {
        PauseCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.forEachTarget(target, "pause", check: { id throws(CommandError) in try engine.checkPausable(id, true) }) {
            id throws(CommandError) in try engine.setPaused(id, true)
        }))
    }
}

/// `resume`: read again after `pause`.
struct ResumeCommand: SessionCommand {
    var target: Target

    static let info = CommandInfo(
        "resume", usage: "resume [TARGET]", summary: "read again after pause", arguments: [.target()], examples: ["resume"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ResumeCommand {
        ResumeCommand(target: try args.onlyTarget(allowAll: true))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        .done(.ok(try engine.forEachTarget(target, "resume", check: { id throws(CommandError) in try engine.checkPausable(id, false) }) {
            id throws(CommandError) in try engine.setPaused(id, false)
        }))
    }
}
