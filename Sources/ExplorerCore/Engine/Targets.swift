// Targets — which sockets a command's TARGET names (`#N`, `.`, `*`), and how a command that acts on
// several reports: everything checkable is checked on every socket first, and what the kernel
// still refuses on some is named socket by socket, never a silent half.

import SocketKit

extension Engine {
    /// One socket for a command: `#N`, or the selected one.
    func resolve(_ target: Target, _ command: String) throws(CommandError) -> SocketID {
        switch target {
        case .id(let number):
            let id = SocketID(number)
            guard table[id] != nil else { throw CommandError("\(command): no socket \(id)") }
            return id
        case .selected:
            guard let selected else {
                throw CommandError("\(command): no socket selected — give one like #1, or open one first")
            }
            return selected
        case .all:
            throw CommandError("\(command) takes one socket, not *")
        }
    }

    /// The sockets `target` names: one, or with `*` every open connection (and open listeners
    /// when `includeListeners`); `*` with none open is an error.
    func sockets(_ target: Target, _ command: String, includeListeners: Bool = false) throws(CommandError) -> [SocketID] {
        guard case .all = target else { return [try resolve(target, command)] }
        let ids = (includeListeners ? table.order.compactMap { table[$0] }.filter { $0.state.isOpen } : table.openConnections).map(\.id)
        guard !ids.isEmpty else { throw CommandError("\(command) *: no open connections") }
        return ids
    }

    /// Runs `apply` on each socket and returns their answers. One socket: its error is thrown as
    /// it is. Several: when any failed, the error names every outcome
    /// (`nodelay on: #2 #3 ok; #5 EOPNOTSUPP (Operation not supported)`), so the command fails
    /// and says exactly what it changed.
    func applyEach(_ ids: [SocketID], _ label: String, _ apply: (SocketID) throws(CommandError) -> String) throws(CommandError) -> [String] {
        if ids.count == 1 { return [try apply(ids[0])] }
        var answers: [String] = []
        var succeeded: [SocketID] = []
        var failures: [(SocketID, CommandError)] = []
        for id in ids {
            do throws(CommandError) {
                answers.append(try apply(id))
                succeeded.append(id)
            } catch {
                failures.append((id, error))
            }
        }
        guard !failures.isEmpty else { return answers }
        var parts: [String] = []
        if !succeeded.isEmpty { parts.append(succeeded.map(\.description).joined(separator: " ") + " ok") }
        parts += failures.map { "\($0.0) \($0.1.reason ?? $0.1.message)" }
        throw CommandError("\(label): " + parts.joined(separator: "; "))
    }

    /// A command on `target`: `check` runs on every socket first (a failure there changes
    /// nothing), then `apply` on each. Answers `apply`'s text for one socket, `command: N sockets`
    /// for several.
    func forEachTarget(
        _ target: Target, _ command: String, label: String? = nil, includeListeners: Bool = false,
        check: (SocketID) throws(CommandError) -> Void = { _ in },
        _ apply: (SocketID) throws(CommandError) -> String
    ) throws(CommandError) -> String {
        let ids = try sockets(target, command, includeListeners: includeListeners)
        for id in ids { try check(id) }
        let answers = try applyEach(ids, label ?? command, apply)
        return ids.count == 1 ? answers[0] : "\(command): \(ids.count) sockets"
    }
}
