// Copy — `copy [TARGET [sent|received]]`: bytes onto the terminal's clipboard (OSC 52, which tmux
// and most terminals pass on): the log entry the screen points at, or one socket's stream.

/// `copy`: the screen's clipboard, fed by the engine's `clipboard` hook (none headless).
struct CopyCommand: SessionCommand {
    /// nil: the entry the screen points at (the match F6 walked to, the bottom entry while scrolled,
    /// else the newest data entry the filter shows).
    var target: Target?
    var direction: LogKind = .recv

    /// The most bytes one copy puts on the clipboard: OSC 52 carries base64 (4/3 as long), and
    /// terminals cap what they take at about 100 KB.
    static let maxBytes = 74_000

    static let info = CommandInfo(
        "copy", usage: "copy [TARGET [sent|received]]",
        summary: "put the entry the log points at (or a socket's received or sent stream) on the terminal's clipboard (OSC 52)",
        arguments: [.target(.any), .keyword(["sent", "received"], optional: true)],
        examples: ["copy", "copy #2", "copy . sent"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> CopyCommand {
        var words = try WordArguments(args)
        var command = CopyCommand()
        if words.peek() != nil {
            command.target = try words.requireTarget(allowAll: false)
            if let word = words.peek(), !word.isQuoted, word.keyword == "sent" || word.keyword == "received" {
                _ = words.next()
                command.direction = word.keyword == "sent" ? .send : .recv
            }
        }
        try words.finish()
        return command
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard let clipboard = engine.clipboard else {
            throw CommandError("copy: no terminal to copy to (OSC 52 needs the screen; headless, use save FILE raw)")
        }
        var bytes: [UInt8] = []
        let what: String
        if let target {
            let id = try engine.resolve(target, "copy")
            engine.log.forEach { entry in
                if entry.socket == id, entry.kind == direction, bytes.count <= CopyCommand.maxBytes { bytes += entry.bytes }
            }
            what = "\(id)'s \(direction == .send ? "sent" : "received") bytes"
        } else {
            let check = engine.view.logFilter.checker()
            var newest = engine.pointedEntry?()
            if newest == nil {
                engine.log.forEach { if $0.kind.isData, check.passes($0, table: engine.table) { newest = $0 } }
            }
            guard let entry = newest else { throw CommandError("copy: no data in the log to copy") }
            bytes = entry.kind.isData ? entry.bytes : Array(entry.text.utf8)
            what = entry.socket.map { "an entry of \($0)" } ?? "a log entry"
        }
        guard !bytes.isEmpty else { throw CommandError("copy: nothing to copy (\(what): none kept in the log)") }
        let cut = bytes.count > CopyCommand.maxBytes
        if cut { bytes.removeLast(bytes.count - CopyCommand.maxBytes) }
        clipboard(bytes)
        return .done(.ok("copied \(Units.bytes(bytes.count)) (\(what)) to the clipboard" + (cut ? ", cut to fit OSC 52" : "")))
    }
}
