// Engine+Steps.swift — step mode (PRODUCT.md §7): the seed's calls one at a time on a socket the
// user made with `socket`. Each command makes the one system call it names, through the traced
// path, and shows its result as the kernel gave it; a refused call changes nothing. The socket's
// state in the table (created, bound, listening, connecting, established…) follows each success.
//
// Decided: the kernel socket is always O_NONBLOCK, since sockpit's one thread must never wait in a
// call. A step socket's "blocking" mode (the default, as after `socket_create`) is kept by sockpit:
// a blocking `read`, `accept` or `connect` waits in the loop until the kernel has something
// (poll(2), traced), then makes its one call; a non-blocking one makes it at once and shows
// EAGAIN/EINPROGRESS. A step socket is paused from birth, so nothing reads it but `read`.

import Glibc
import SocketKit

extension Engine {
    /// How long a blocking `read`/`accept` waits before giving up (the loop never waits in a call).
    static let blockingWait: Int64 = 30_000_000

    /// From here until `endStepCalls`, the system calls are kept for `explain` (and traced when
    /// trace is on). Returns what `endStepCalls` puts back.
    func startStepCalls() -> ((TraceRecord) -> Void)? {
        stepping.startCalls()
        let previous = system.tracer
        system.tracer = { [unowned self] record in
            self.stepping.note(record)
            previous?(record)
        }
        return previous
    }

    func endStepCalls(_ previous: ((TraceRecord) -> Void)?) { system.tracer = previous }

    /// The open record of a step command's target, with its descriptor.
    func stepRecord(_ id: SocketID, _ call: String) throws(CommandError) -> SocketRecord {
        let record: SocketRecord
        do { record = try openRecord(id) } catch { throw CommandError("\(call): \(error.message)") }
        guard record.fd >= 0 else { throw CommandError("\(call) \(id): \(table[id]?.state.name ?? "gone") (no descriptor yet)") }
        return record
    }

    /// The kernel's refusal of `call` on `id`, as PRODUCT.md §7 prints it: `listen #7: EINVAL (Invalid argument)`.
    static func refusal(_ call: String, _ id: SocketID, _ error: SystemError) -> CommandError {
        CommandError("\(call) \(id): \(error.reason)", reason: error.reason)
    }

    // MARK: socket

    /// `socket tcp|udp|unix [v6]`: a new socket with no address, state `created`, in Listeners.
    func stepSocket(_ transport: Transport, v6: Bool) throws(CommandError) -> SocketID {
        let family = transport == .unix ? AF_UNIX : v6 ? AF_INET6 : AF_INET
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        let fd: FileDescriptor
        do { fd = try system.openSocket(family: family, transport: transport) } catch { throw CommandError(error) }
        let id = sockets.allocateID()
        var entry = SocketEntry(id: id, transport: transport, role: transport == .udp ? .datagram : .listener, state: .created,
                                requested: "no address", openedAt: WallClock.now())
        entry.acceptMode = .manual
        entry.paused = true
        entry.step = StepMode(fd: fd)
        sockets.insert(entry)
        sockets.adopt(SocketRecord(id: id, fd: fd, family: family))
        event(id, .event, "socket: fd \(fd), \(transport.rawValue)\(v6 ? " (IPv6)" : ""), no address yet")
        select(id)
        noteLesson(.state(socket: id.value, .created, transport))
        return id
    }

    // MARK: bind

    /// `bind [TARGET] ADDR`: state `bound`, the local address the kernel reports.
    func stepBind(_ id: SocketID, to address: SocketAddress) throws(CommandError) -> String {
        let record = try stepRecord(id, "bind")
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        do { try system.bind(record.fd, to: address) } catch { throw Engine.refusal("bind", id, error) }
        if case .unix(let path) = address, !path.hasPrefix("@") { record.unixPathToRemove = path }
        let local = (try? system.localAddress(record.fd)) ?? address.displaySafe
        update(id) {
            $0.local = local
            if $0.state == .created { $0.state = .bound }
        }
        // A bound UDP socket can receive: the loop counts what waits for `read`.
        if table[id]?.transport == .udp, !record.inLoop { try watchStep(record) }
        event(id, .event, "bound to \(local)")
        if let entry = table[id] { noteLesson(.state(socket: id.value, .bound, entry.transport)) }
        return "bound \(id) to \(local)"
    }

    // MARK: listen

    /// `listen TARGET [backlog=N]`: state `listening`; connections wait in the backlog for `accept`.
    func stepListen(_ id: SocketID, backlog: Int32) throws(CommandError) -> String {
        let record = try stepRecord(id, "listen")
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        do { try system.listen(record.fd, backlog: backlog) } catch { throw Engine.refusal("listen", id, error) }
        // listen(2) on an unbound socket binds it to a port the kernel picks: show it.
        let local = try? system.localAddress(record.fd)
        update(id) {
            $0.backlog = Int(backlog)
            // listen(2) again on a listener only changes its backlog; sockpit's own keep their mode.
            guard $0.step != nil else { return }
            $0.state = .listening
            $0.role = .listener
            $0.acceptMode = .manual
            $0.paused = false
            if let local { $0.local = local }
        }
        if !record.inLoop { try watchStep(record) }
        let shown = local.map { "\($0)" } ?? "?"
        event(id, .listening, "listening \(table[id]?.protocolName ?? "") \(shown) backlog \(backlog): connections wait for accept")
        return "\(id) listening on \(shown) backlog \(backlog)"
    }

    /// Registers a step socket with the loop once it can have events (bound UDP, listening, connecting).
    private func watchStep(_ record: SocketRecord) throws(CommandError) {
        do { try sockets.watch(record, interest: data.desiredInterest(record)) } catch { throw CommandError(error) }
    }

    // MARK: accept

    /// `accept` on a step listener: one accept call; a blocking listener with nobody waiting waits.
    func stepAccept(_ id: SocketID, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let record = try stepRecord(id, "accept")
        guard table[id]?.state == .listening else {
            // Not listening: the kernel's own answer (EINVAL), and nothing changes.
            let saved = startStepCalls()
            defer { endStepCalls(saved) }
            do { _ = try system.accept(record.fd) } catch { throw Engine.refusal("accept", id, error) }
            throw CommandError("accept \(id): not listening")
        }
        let attempt: () -> Status? = { [unowned self] in
            let saved = self.startStepCalls()
            defer { self.endStepCalls(saved) }
            if self.table[id]?.step?.blocking == true, !self.system.isReadable(record.fd) { return nil }
            guard let accepted = self.acceptOne(record) else {
                return .error("accept \(id): EAGAIN (Resource temporarily unavailable): nobody waits in the backlog")
            }
            self.refreshPendingAccepts(record)
            self.makeStep(accepted)
            return .ok("accepted \(accepted) from \(self.table[accepted]?.remote.map { "\($0)" } ?? "peer") via \(id)")
        }
        if let status = attempt() { return .done(status) }
        return blockingWait("accept \(id)", origin: origin, attempt)
    }

    /// A connection waits in a manual listener's backlog: the lesson hears it, and a step
    /// listener's log says so (the kernel finished the handshake before any accept).
    func notePending(_ id: SocketID, _ pending: Int, before: Int) {
        if pending > before, table[id]?.step != nil {
            event(id, .event, "\(pending) waiting in the backlog: the kernel completed the handshake; accept \(id) takes the first")
        }
        noteLesson(.pending(listener: id.value))
    }

    /// An accepted socket of a step listener is a step socket too: paused, blocking, its fd shown.
    private func makeStep(_ id: SocketID) {
        guard let record = sockets.record(id) else { return }
        update(id) {
            $0.paused = true
            $0.step = StepMode(fd: record.fd)
        }
        data.refreshInterest(record)
    }

    /// Waits in the loop for `attempt` to stop answering nil, as a blocking call would in PHP.
    func blockingWait(_ label: String, origin: CommandOrigin, _ attempt: @escaping () -> Status?) -> Outcome {
        let seconds = Units.duration(Engine.blockingWait)
        let operation = Operation(label: label, origin: origin, timeout: Engine.blockingWait, poll: attempt) {
            .error("\(label): nothing came within \(seconds) (a blocking PHP call would still be waiting; nonblock on answers at once)")
        }
        return begin(operation, progress: "\(label): blocked, waiting for the kernel…")
    }

    // MARK: connect

    /// `connect TARGET HOST:PORT` on a created or bound socket: one connect call. A blocking socket
    /// waits for the handshake; a non-blocking one answers EINPROGRESS and shows `connecting…`.
    func stepConnect(_ id: SocketID, to address: SocketAddress, timeout: Int64, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let record = try stepRecord(id, "connect")
        guard let entry = table[id] else { throw CommandError("connect: no socket \(id)") }
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        let connected: Bool
        do { connected = try system.connect(record.fd, to: address) } catch { throw Engine.refusal("connect", id, error) }
        update(id) {
            $0.role = .outgoing
            $0.remote = address.displaySafe
            $0.requested = "\(address)"
            $0.paused = true
        }
        if connected {
            let local = try? system.localAddress(record.fd)
            update(id) {
                $0.state = .established
                $0.local = local
            }
            if !record.inLoop { try watchStep(record) } else { data.refreshInterest(record) }
            event(id, .connected, "connected to \(address)" + (local.map { " from \($0)" } ?? ""))
            select(id)
            return .done(.ok("\(id) connected to \(address)"))
        }
        // In progress: the engine's connect machinery sees it through (writable, then SO_ERROR).
        record.attempt = ConnectAttempt(candidates: [address], deadline: MonotonicClock.now() + timeout, timeout: timeout,
                                        selectedBefore: selected)
        update(id) { $0.state = .connecting }
        if record.inLoop {
            if let error = sockets.setInterest(record, .writable) { throw CommandError(error) }
        } else {
            try watchStep(record)
            _ = sockets.setInterest(record, .writable)
        }
        sockets.startConnectTimer(id)
        event(id, .connecting, "connecting \(entry.protocolName) to \(address)")
        if entry.step?.blocking == false {
            return .done(.ok("connect \(id): EINPROGRESS (Operation now in progress): the handshake goes on; \(id) shows connecting…"))
        }
        return try wait(for: .connected, on: id, timeout: timeout + 1_000_000, origin: origin)
            .relabeled(progress: "connect \(id): blocked in the handshake with \(address)…")
    }

    // MARK: nonblock

    /// `nonblock TARGET on|off`: the step socket's mode. `on` makes the seed's fcntl calls
    /// (socket_set_nonblock); `off` reads the flags and leaves O_NONBLOCK set (see the header).
    func stepNonblock(_ id: SocketID, _ on: Bool) throws(CommandError) -> String {
        let record = try stepRecord(id, "nonblock")
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        do {
            if on { try system.setOption(record.fd, SocketOption.named("nonblock")!, .flag(true)) }
            else { _ = try system.getOption(record.fd, SocketOption.named("nonblock")!) }
        } catch { throw Engine.refusal("nonblock", id, error) }
        update(id) {
            if $0.step == nil { $0.step = StepMode(fd: record.fd) }
            $0.step?.blocking = !on
        }
        event(id, .event, on ? "non-blocking: read, accept and connect answer at once (EAGAIN, EINPROGRESS)"
            : "blocking: read, accept and connect wait (in sockpit's loop; the kernel socket stays O_NONBLOCK)")
        return on ? "\(id) non-blocking" : "\(id) blocking"
    }
}
