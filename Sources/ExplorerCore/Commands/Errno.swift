// Errno — `errno CODE|NAME`: the name, number and message of an error number, by number or by name
// (the seed's `socket_strerror`).

import SocketKit

/// `errno`: what an error number means.
struct ErrnoCommand: SessionCommand {
    var code: Int32

    static let info = CommandInfo(
        "errno", usage: "errno CODE|NAME", summary: "name, number and message of an error number",
        seed: ["socket_strerror", "socket_last_error"], arguments: [ArgumentInfo("CODE|NAME", .text)],
        examples: ["errno 111", "errno ECONNREFUSED", "errno eagain"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ErrnoCommand {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError("expected an error number or name, e.g. errno 111 or errno ECONNREFUSED") }
        try words.finish()
        if EndpointSyntax.isDigits(word.text) {
            guard word.text.count <= 4, let number = Int32(word.text), ErrnoName.isKnown(number) else {
                throw ParseError("no error number \(MessageText.visible(word.text)) on Linux")
            }
            return ErrnoCommand(code: number)
        }
        let upper = word.text.uppercased()
        guard let code = ErrnoName.code(named: upper) ?? ErrnoName.code(named: "E" + upper) else {
            let guess = Suggestion.closest(to: upper.lowercased(), in: ErrnoName.allNames.map { $0.lowercased() })
            let hint = guess.map { " (did you mean \($0.uppercased())?)" } ?? ""
            throw ParseError("unknown error name \(MessageText.quoted(word.text))\(hint)")
        }
        return ErrnoCommand(code: code)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let line = "\(ErrnoName.name(code)) (\(code)): \(SystemError.strerror(code))"
        engine.output([line])
        return .done(.ok(line))
    }
}
