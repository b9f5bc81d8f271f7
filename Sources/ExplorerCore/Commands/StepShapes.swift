// StepShapes — how `listen` and `connect` tell their step forms apart by shape (PRODUCT.md §7):
// `listen #N [backlog=N]` and `connect #N HOST:PORT` name an existing socket first, while
// `listen 5000` and `connect HOST:PORT` make a new one as before. Also the numeric address a
// step call takes.

import Glibc
import SocketKit

/// `listen TARGET [backlog=N]` on a socket made with `socket`.
struct StepListenArguments: Equatable, Sendable {
    var target: Target
    var backlog: Int

    /// The step form, when the first word is a target (`#N` or `.`); nil for `listen PORT`.
    static func parse(_ args: ArgumentCursor) throws(ParseError) -> StepListenArguments? {
        guard try isStepForm(args) else { return nil }
        var words = try WordArguments(args, options: ["backlog"])
        let target = try words.requireTarget(allowAll: false)
        var backlog = ListenOptions.defaultBacklog
        if let value = words.option("backlog") {
            backlog = try ValueSyntax.number(value, option: words.optionText("backlog"), in: 0...65_535)
        }
        try words.finish()
        return StepListenArguments(target: target, backlog: backlog)
    }
}

/// `connect TARGET HOST:PORT|PATH` on a socket made with `socket`.
struct StepConnectArguments: Equatable, Sendable {
    var target: Target
    var endpoint: EndpointSpec
    var timeoutMicros: Int64

    /// The step form, when the first word is a target; nil for `connect HOST:PORT`.
    static func parse(_ args: ArgumentCursor) throws(ParseError) -> StepConnectArguments? {
        guard try isStepForm(args) else { return nil }
        var words = try WordArguments(args, options: ["timeout"])
        let target = try words.requireTarget(allowAll: false)
        let endpoint = try EndpointSyntax.endpointWords(&words, kind: nil, role: .destination, expected: "HOST:PORT or PATH")
        let timeout = try words.timeout(default: ConnectOptions.defaultTimeout)
        try words.finish()
        return StepConnectArguments(target: target, endpoint: endpoint, timeoutMicros: timeout)
    }
}

/// True when the arguments start with `#N` or `.`: an existing socket (`*` is left to the
/// command's own syntax, which refuses it).
private func isStepForm(_ args: ArgumentCursor) throws(ParseError) -> Bool {
    guard let first = args.peekWord(), let target = try Targets.parse(first) else { return false }
    return target != .all
}

extension Engine {
    /// The address a step call on `id` takes: numeric hosts and `localhost` only (a name lookup
    /// would be a call of its own: `resolve NAME`), `*` as the socket's family's wildcard.
    func stepAddress(_ endpoint: EndpointSpec, for id: SocketID, _ call: String) throws(CommandError) -> SocketAddress {
        let family = sockets.record(id)?.family ?? AF_INET
        switch endpoint {
        case .path(let path):
            guard path.utf8.count <= SocketAddress.maxUnixPathLength else {
                throw CommandError("\(call) \(Sanitizer.clean(path)): path longer than \(SocketAddress.maxUnixPathLength) bytes")
            }
            return .unix(path: path)
        case .allInterfaces(let port):
            return family == AF_INET6 ? .ipv6(address: [UInt8](repeating: 0, count: 16), port: port, scopeID: 0)
                : .ipv4(address: [0, 0, 0, 0], port: port)
        case .hostPort(let host, let port):
            let numeric = host.lowercased() == "localhost" ? (family == AF_INET6 ? "::1" : "127.0.0.1") : host
            guard let address = SocketAddress(numericHost: numeric, port: port) else {
                throw CommandError("\(call) \(id): expected a numeric address such as 127.0.0.1 or ::1 (resolve \(Sanitizer.clean(host)) shows its addresses)")
            }
            return address
        }
    }
}
