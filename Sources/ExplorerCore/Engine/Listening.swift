// Listening.swift — `listen` (TCP, UDP, Unix; port 0; `*:PORT` on every interface), accepting
// (automatic or `accept` by hand), banners, and refusing gracefully at the connection limits.

import Glibc
import SocketKit

/// What `listen` needs to know.
public struct ListenRequest: Equatable, Sendable {
    public var transport: Transport
    /// nil host with a port: 127.0.0.1. `allInterfaces`: `*:PORT`.
    public var host: String?
    public var port: UInt16
    public var allInterfaces = false
    public var path: String?
    public var backlog: Int32 = 128
    public var reply: AutoReply = .off
    public var acceptMode: AcceptMode = .auto

    public init(transport: Transport, host: String? = nil, port: UInt16 = 0, allInterfaces: Bool = false, path: String? = nil,
                backlog: Int32 = 128, reply: AutoReply = .off, acceptMode: AcceptMode = .auto) {
        self.transport = transport
        self.host = host
        self.port = port
        self.allInterfaces = allInterfaces
        self.path = path
        self.backlog = backlog
        self.reply = reply
        self.acceptMode = acceptMode
    }
}

extension Engine {
    /// Creates, binds and (for streams) listens. Returns the new socket's id.
    func listen(_ request: ListenRequest) throws(CommandError) -> SocketID {
        let address = try listenAddress(request)
        let fd: Int32
        do { fd = try system.openSocket(family: address.family, transport: request.transport) } catch { throw CommandError(error) }
        var createdPath: String?
        do throws(SystemError) {
            if address.family != AF_UNIX {
                try system.setOption(fd, SocketOption.named("reuseaddr")!, .flag(true))
            }
            if request.allInterfaces && address.family == AF_INET6 {
                // One dual-stack socket serves IPv4 and IPv6 alike.
                try system.setOption(fd, SocketOption.named("v6only")!, .flag(false))
            }
            if case .unix(let path) = address {
                // Our own listener is not stale: probing it would make it accept the probe.
                if sockets.openRecords.contains(where: { $0.unixPathToRemove == path }) {
                    throw SystemError(call: "bind", context: "\(address)", code: EADDRINUSE)
                }
                try removeStaleUnixSocket(path)
                createdPath = path
            }
            try system.bind(fd, to: address)
            if request.transport != .udp { try system.listen(fd, backlog: request.backlog) }
        } catch {
            system.close(fd)
            throw CommandError(error.with(context: request.allInterfaces ? "*:\(request.port)" : error.context))
        }
        let local = (try? system.localAddress(fd)) ?? address.displaySafe
        let id = sockets.allocateID()
        var entry = SocketEntry(id: id, transport: request.transport, role: request.transport == .udp ? .datagram : .listener,
                                state: .listening, requested: "\(local)", openedAt: WallClock.now())
        entry.local = local
        entry.backlog = request.transport == .udp ? 0 : Int(request.backlog)
        entry.reply = request.reply == .off ? nil : request.reply
        entry.acceptMode = request.acceptMode
        sockets.insert(entry)
        let record = SocketRecord(id: id, fd: fd, family: address.family)
        record.unixPathToRemove = createdPath.flatMap { $0.hasPrefix("@") ? nil : $0 }
        do { try data.register(record) } catch {
            system.close(fd)
            sockets.discard(id)
            throw CommandError(error)
        }
        let shown = request.allInterfaces ? "\(local) (all interfaces)" : "\(local)"
        event(id, .listening, "listening \(request.transport.rawValue) \(shown)" + (request.transport == .udp ? "" : " backlog \(request.backlog)"))
        // Loopback is the default; anything wider is the user's explicit choice, said out loud.
        if address.family != AF_UNIX && !address.isLoopback {
            event(id, .warning, address.isWildcard
                ? "bound to all interfaces: other machines can connect"
                : "bound to \(local.host), not loopback: other machines on that network can connect")
        }
        select(id)
        return id
    }

    private func listenAddress(_ request: ListenRequest) throws(CommandError) -> SocketAddress {
        if let path = request.path {
            guard path.utf8.count <= SocketAddress.maxUnixPathLength else {
                throw CommandError("listen \(Sanitizer.clean(path)): path longer than \(SocketAddress.maxUnixPathLength) bytes")
            }
            return .unix(path: path)
        }
        if request.allInterfaces {
            // Prefer a dual-stack IPv6 socket; fall back to IPv4 on machines without IPv6.
            let probe = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if probe >= 0 {
                Glibc.close(probe)
                return .ipv6(address: [UInt8](repeating: 0, count: 16), port: request.port, scopeID: 0)
            }
            return .ipv4(address: [0, 0, 0, 0], port: request.port)
        }
        let host = request.host ?? "127.0.0.1"
        // Only numeric hosts and localhost: a listening address must be local, and looking a name
        // up in DNS would block the loop.
        let numeric = host.lowercased() == "localhost" ? "127.0.0.1" : host
        guard let address = SocketAddress(numericHost: numeric, port: request.port) else {
            throw CommandError("listen \(Sanitizer.clean(host)): expected a numeric address (127.0.0.1, ::1, 0.0.0.0) or localhost")
        }
        return address
    }

    /// A Unix socket file left by a dead process makes bind fail with EADDRINUSE. If nobody
    /// answers on it (ECONNREFUSED), it is stale: remove it. A live socket or any other file is kept.
    private func removeStaleUnixSocket(_ path: String) throws(SystemError) {
        guard !path.hasPrefix("@") else { return }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else { return }
        // A non-blocking probe, through the one syscall path (so `trace` shows it): a live server
        // with a full backlog answers EAGAIN at once instead of keeping the loop in connect.
        guard let probe = try? system.openSocket(family: AF_UNIX, transport: .unix) else { return }
        defer { system.close(probe) }
        do {
            _ = try system.connect(probe, to: .unix(path: path))
        } catch {
            if error.code == ECONNREFUSED { try system.unlink(path) }
        }
    }

    // MARK: Accepting

    /// Accepts what is pending (bounded per wake-up), for listeners in automatic mode.
    func acceptReady(_ listener: SocketRecord) {
        if data.holdIfAllowanceSpent(listener) { return }
        for _ in 0..<64 {
            guard sockets.record(listener.id) != nil else { return }
            // Accepting logs: while an output file is behind, it spends the listener's share, and
            // churn waits in the backlog rather than in memory.
            if data.chargingOutput(to: listener, { acceptOne(listener) }) == nil { return }
            if table[listener.id]?.held != nil { return }
        }
    }

    /// Accepts one connection. Returns its id, or nil when none was pending (or it was refused).
    @discardableResult
    func acceptOne(_ listener: SocketRecord) -> SocketID? {
        let accepted: (fd: FileDescriptor, peer: SocketAddress?)?
        do {
            accepted = try system.accept(listener.fd)
        } catch {
            if error.code == EMFILE || error.code == ENFILE {
                refuseForLackOfDescriptors(listener, error)
            } else if error.code != ECONNABORTED {
                event(listener.id, .error, "\(error.with(context: "\(listener.id)"))")
            }
            return nil
        }
        guard let accepted else { return nil }
        let listenerID = listener.id
        if sockets.openCount >= settings.maxconns {
            system.close(accepted.fd)
            update(listenerID) { $0.refusedCount += 1 }
            event(listenerID, .warning, "refused \(accepted.peer.map { "\($0)" } ?? "a peer"): maxconns \(settings.maxconns) reached (set maxconns N)")
            return nil
        }
        let id = sockets.allocateID()
        let transport = table[listenerID]?.transport ?? .tcp
        var entry = SocketEntry(id: id, transport: transport, role: .accepted(via: listenerID), state: .established,
                                requested: "", openedAt: WallClock.now())
        entry.local = try? system.localAddress(accepted.fd)
        entry.remote = accepted.peer
        sockets.insert(entry)
        let record = SocketRecord(id: id, fd: accepted.fd, family: listener.family)
        do { try data.register(record) } catch {
            system.close(accepted.fd)
            update(id) { $0.state = .failed(error.reason) }
            event(id, .error, "\(error)")
            return nil
        }
        update(listenerID) {
            $0.acceptedCount += 1
            if $0.pendingAccepts > 0 { $0.pendingAccepts -= 1 }
        }
        listener.waits.acceptedSinceWait = true
        let peerText = accepted.peer.map { $0.description == "(unnamed)" ? "a local peer" : "\($0)" } ?? "a peer"
        event(id, .accepted, "accepted \(peerText) via \(listenerID)")
        // The target stays put: a peer becomes `.` only while no open connection is selected
        // (nothing, a closed socket or a listener), so `listen`, `wait connected`, `send` works.
        if !sockets.selectionIsOpenConnection { select(id) }
        if let tls = listener.tls {
            // A TLS listener's peers start their handshake at once; a banner waits for its end.
            do { try startTLS(on: record, context: tls.context) } catch { event(id, .error, error.message) }
            guard sockets.isOpen(record) else { return id }
        }
        if let banner = table[listenerID]?.banner, !banner.isEmpty {
            do { try data.transmit(banner, on: record) } catch { event(id, .error, "banner: \(error.message)") }
        }
        if listener.relay.target != nil { relayAccepted(record, via: listener) }
        data.fanOutJoined(record, via: listenerID)
        return id
    }

    /// Out of descriptors: accept with the spare one and close at once, so the peer gets a clean
    /// close instead of waiting and the listener does not spin on a level-triggered readable event.
    /// `accept` fails with EMFILE whenever the table is full, even with nobody waiting, so only a
    /// connection the spare actually took counts as refused.
    private func refuseForLackOfDescriptors(_ listener: SocketRecord, _ error: SystemError) {
        let message = "accept \(listener.id): \(error.reason): connection refused (raise the open-file limit)"
        guard spareDescriptor >= 0 else {
            update(listener.id) { $0.refusedCount += 1 }
            event(listener.id, .error, message)
            return
        }
        system.close(spareDescriptor)
        let taken = (try? system.accept(listener.fd)) ?? nil
        if let taken { system.close(taken.fd) }
        spareDescriptor = (try? system.openFile("/dev/null", O_RDONLY | O_CLOEXEC)) ?? -1
        guard taken != nil else { return }
        update(listener.id) { $0.refusedCount += 1 }
        event(listener.id, .error, message)
    }

    /// `accept [#L]`: takes the next pending connection of a manual listener.
    func acceptManually(_ listenerID: SocketID) throws(CommandError) -> SocketID {
        let record = try openRecord(listenerID)
        guard table[listenerID]?.role == .listener else { throw CommandError("accept: \(listenerID) is not a listening stream socket") }
        guard let id = acceptOne(record) else {
            throw CommandError("accept \(listenerID): EAGAIN (no connection is waiting in the backlog)")
        }
        refreshPendingAccepts(record)
        return id
    }

    /// A manual-accept listener: how many connections wait in the backlog (TCP_INFO's unacked
    /// field holds the accept queue length for listening sockets).
    func refreshPendingAccepts(_ record: SocketRecord) {
        guard table[record.id]?.transport == .tcp, let info = try? system.tcpInfo(record.fd) else { return }
        let pending = Int(info.unacked)
        let before = table[record.id]?.pendingAccepts ?? 0
        if before != pending { update(record.id) { $0.pendingAccepts = pending } }
        if pending > 0 { notePending(record.id, pending, before: before) }
    }
}
