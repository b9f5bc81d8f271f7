// Accept — `accept [#L]`: take the next pending peer of a listener in accept=manual mode (the
// seed's `socket_accept`).

/// `accept`: one pending connection, accepted now.
struct AcceptCommand: SessionCommand {
    var listener: Target

    static let info = CommandInfo(
        "accept", usage: "accept [#L]", summary: "accept the next pending peer of a listener in accept=manual mode",
        seed: ["socket_accept"], arguments: [.target(.listener)], examples: ["accept #1"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> AcceptCommand {
        AcceptCommand(listener: try args.onlyTarget(allowAll: false))
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let listenerID = try acceptTarget(engine)
        // A listener made step by step: one accept call, waiting while it blocks.
        if engine.table[listenerID]?.step != nil { return try engine.stepAccept(listenerID, origin: origin) }
        let id = try engine.acceptManually(listenerID)
        return .done(.ok("accepted \(id) from \(engine.table[id]?.remote.map { "\($0)" } ?? "peer") via \(listenerID)"))
    }

    /// The target if it is a listener; with no target, the selected socket's listener or the only
    /// manual listener.
    private func acceptTarget(_ engine: Engine) throws(CommandError) -> SocketID {
        if case .selected = listener {
            if let selected = engine.selected, engine.table[selected]?.role == .listener { return selected }
            if let selected = engine.selected, let parent = engine.table[selected]?.parent { return parent }
            let manual = engine.table.listeners.filter { $0.acceptMode == .manual && $0.state == .listening }
            if manual.count == 1 { return manual[0].id }
            // A step socket that does not listen: the kernel's answer (EINVAL).
            if let selected = engine.selected, engine.table[selected]?.step != nil { return selected }
            throw CommandError("accept: which listener? give one like #1")
        }
        return try engine.resolve(listener, "accept")
    }
}
