// Replay — `replay FILE socket=#N [sent|received] [TARGET|HOST:PORT] [speed=1|N|max] [wait=on|off]`:
// send again what a recorded socket sent (or received), chunk by chunk with the recorded gaps.

/// `replay`: a recording's chunks, sent again.
struct ReplayCommand: SessionCommand {
    var request: ReplayRequest

    static let info = CommandInfo(
        "replay", usage: "replay FILE socket=#N [sent|received] [TARGET|HOST:PORT] [speed=1|N|max] [wait=on|off]",
        summary: "send again what socket #N sent (or received) in a record/save file (jsonl or pcapng), with its gaps",
        arguments: [ArgumentInfo("FILE", .file), .keyword(ReplayDirection.self, optional: true), .target(.open(all: false)),
                    ArgumentInfo("HOST:PORT", .address, optional: true)],
        options: [OptionInfo("socket", value: "#N", summary: "the recorded socket whose chunks are sent (required)"),
                  OptionInfo("speed", value: "1|N|max", summary: "divide the recorded gaps by N; max: no gaps (default 1)"),
                  OptionInfo("wait", value: "on|off", choices: ["on", "off"],
                             summary: "before each chunk, wait for as many bytes back as the recording saw (default off)")],
        examples: ["replay session.jsonl socket=#2", "replay session.pcapng socket=#3 127.0.0.1:8080 speed=max",
                   "replay session.jsonl socket=#2 received #5 wait=on"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ReplayCommand {
        var words = try WordArguments(args, options: info.options.map(\.name))
        let path = try words.requireFileName()
        guard let socketWord = words.option("socket") else { throw ParseError("expected socket=#N: which recorded socket to replay") }
        let digits = socketWord.text.hasPrefix("#") ? String(socketWord.text.dropFirst()) : socketWord.text
        guard EndpointSyntax.isDigits(digits), digits.count <= 9, let socket = Int(digits), socket > 0 else {
            throw ParseError("socket=: expected a socket id like #2, got \(MessageText.quoted(socketWord.text))")
        }
        var request = ReplayRequest(path: path, socket: socket)
        request.direction = words.takeKeyword(ReplayDirection.self) ?? .sent
        if let word = words.peek() {
            if let target = try Targets.parse(word) {
                _ = words.next()
                request.destination = .socket(try Targets.check(target, allowAll: false))
            } else {
                request.destination = .connect(try EndpointSyntax.endpointWords(&words, kind: nil, role: .destination, expected: "TARGET or HOST:PORT"))
            }
        }
        if let speed = words.option("speed") {
            if speed.text.lowercased() == "max" {
                request.speed = nil
            } else {
                guard let value = Double(speed.text), value.isFinite, value > 0, value <= 1_000_000 else {
                    throw ParseError("speed=: expected a number above 0 (2: twice as fast) or max, got \(MessageText.quoted(speed.text))")
                }
                request.speed = value
            }
        }
        if let wait = words.option("wait") {
            guard let value = ValueSyntax.switchValue(wait.text) else { throw ParseError("wait=: expected on or off, got \(MessageText.quoted(wait.text))") }
            request.waitForReplies = value
        }
        try words.finish()
        return ReplayCommand(request: request)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try engine.replay(request, origin: origin)
    }
}
