// Resolution — the engine's part that looks names up: getaddrinfo blocks inside libc for as long as
// DNS takes, so it runs on the resolver's worker thread and its answers come back through the wake
// pipe; numeric hosts never leave the loop.

import SocketKit

/// Name lookups in flight and the callbacks waiting for them.
final class Resolution {
    private let resolver: BackgroundResolver
    private let log: SessionLog
    private var nextTicket: UInt64 = 1
    private var pending: [UInt64: (Result<[SocketAddress], SystemError>) -> Void] = [:]
    /// With `trace on`, each lookup is logged (it happens on another thread, outside the syscall trace).
    var tracing = false

    init(wakePipe: WakePipe, log: SessionLog) {
        self.resolver = BackgroundResolver(wakePipe: wakePipe, threads: Limits.resolverThreads, queueLimit: Limits.resolverQueue)
        self.log = log
    }

    /// Resolves `host` (numeric hosts answer at once) and calls `done` on the loop.
    func resolve(host: String, port: UInt16, transport: Transport, _ done: @escaping (Result<[SocketAddress], SystemError>) -> Void) {
        if let numeric = SocketAddress(numericHost: host, port: port) {
            done(.success([numeric]))
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        pending[ticket] = done
        if tracing {
            log.append(LogEntry(time: WallClock.now(), socket: nil, kind: .trace, text: "getaddrinfo(\"\(Sanitizer.clean(host))\") on the resolver thread"))
        }
        resolver.start(ticket: ticket, host: host, port: port, transport: transport)
    }

    /// Hands the answers that arrived to their callbacks (the wake pipe was readable).
    func deliverAnswers() {
        for answer in resolver.takeAnswers() {
            pending.removeValue(forKey: answer.ticket)?(answer.result)
        }
    }
}
