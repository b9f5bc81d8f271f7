// Sockopt — `sockopt [TARGET] [NAME [VALUE]]`: list, get or set socket options (the seed's
// `socket_get_option` / `socket_set_option`), from SocketKit's one table of options.

import SocketKit

/// `sockopt`: list (no name), get (no value) or set an option.
struct SockoptCommand: SessionCommand {
    var target: Target
    var name: String?
    var value: String?

    static let info = CommandInfo(
        "sockopt", usage: "sockopt [TARGET] [NAME [VALUE]]", summary: "list, get or set socket options",
        seed: ["socket_get_option", "socket_set_option"],
        arguments: [.target(), ArgumentInfo("NAME", .socketOption, optional: true), ArgumentInfo("VALUE", .text, optional: true)],
        examples: ["sockopt", "sockopt #3 nodelay", "sockopt #3 rcvbuf 65536"])

    /// Every option `sockopt` knows, for `help sockopt`.
    static var helpDetails: [String] {
        ["  options:"] + CommandCatalog.socketOptions.map { option in
            "    \(option.name.padding(13))\(option.summary)" + (option.readOnly ? " (read only)" : "")
        }
    }

    static func parse(_ cursor: ArgumentCursor) throws(ParseError) -> SockoptCommand {
        var args = cursor
        let target = try args.takeTarget(allowAll: true)
        guard let word = args.takeWord() else { return SockoptCommand(target: target) }
        guard !word.isQuoted, !word.text.hasPrefix("=") else {
            throw ParseError("expected an option name, got \(MessageText.quoted(word.text))")
        }
        guard let equals = word.text.firstIndex(of: "=") else {
            let value = args.isAtEnd ? nil : args.line.text(args.rest)
            return SockoptCommand(target: target, name: word.keyword, value: value)
        }
        let value = String(word.text[word.text.index(after: equals)...])
        guard !value.isEmpty else { throw ParseError("expected a value after \(MessageText.visible(word.text))") }
        if let extra = args.peekWord() { throw ParseError("unexpected \(MessageText.quoted(extra.text))") }
        return SockoptCommand(target: target, name: String(word.text[..<equals]).lowercased(), value: value)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        // Everything that does not need the kernel is checked on every socket before any is set.
        let label = [name, value].compactMap { $0 }.joined(separator: " ")
        return .done(.ok(try engine.forEachTarget(target, "sockopt", label: label.isEmpty ? "sockopt" : label,
                                                  check: { id throws(CommandError) in try engine.checkSockopt(id, name, value) }) {
            id throws(CommandError) in
            let answer = try engine.sockopt(id, name, value)
            // A value read is the command's answer: it goes to the log too, so headless runs
            // print it (a set logs an event already).
            if name != nil && value == nil { engine.output([answer], socket: id) }
            return answer
        }))
    }
}
