// Expect — `expect [TARGET] PAYLOAD [timeout=SEC]`: wait until the bytes received since the last
// match contain PAYLOAD, as expect(1) does; the match consumes up to its end.

/// `expect`: a script's way to stay in step with a peer's answers.
struct ExpectCommand: SessionCommand {
    var target: Target
    var payload: Payload
    var timeoutMicros: Int64

    static let info = CommandInfo(
        "expect", usage: "expect [TARGET] PAYLOAD [timeout=SEC]",
        summary: "wait until the bytes received since the last expect contain PAYLOAD",
        arguments: [.target(.any), ArgumentInfo("PAYLOAD", .payload)],
        options: [.timeout("fail after", default: WaitCommand.defaultTimeout)],
        examples: ["expect OK timeout=2", #"expect #3 "HTTP/1.1 200""#])

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> ExpectCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: false)
        var timeout = WaitCommand.defaultTimeout
        // The payload runs to the end of the line, so the option is only seen as its last word.
        if let last = args.line.words(in: args.rest).last, last.keyword.hasPrefix("timeout=") {
            timeout = try ValueSyntax.duration(String(last.text.dropFirst(8)), option: MessageText.visible(last.text))
            args.stop(at: last.range.lowerBound)
        }
        return ExpectCommand(target: target, payload: try args.requiredPayload(), timeoutMicros: timeout)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.expect(try engine.bytes(of: payload), on: try engine.resolve(target, "expect"), timeout: timeoutMicros, origin: origin)
    }
}
