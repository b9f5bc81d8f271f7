// Connecting.swift — `connect` (TCP, UDP, Unix): resolve off the loop, try each address with a
// non-blocking connect, give up at the timeout; and `pair`.

import Glibc
import SocketKit

/// What `connect` needs to know.
public struct ConnectRequest: Equatable, Sendable {
    public var transport: Transport
    public var host: String
    public var port: UInt16
    public var path: String?
    /// Microseconds.
    public var timeout: Int64
    public var fromHost: String?
    public var fromPort: UInt16 = 0
    /// False for a relay's server leg: it never takes the selection.
    var selects = true

    public init(transport: Transport, host: String = "", port: UInt16 = 0, path: String? = nil, timeout: Int64,
                fromHost: String? = nil, fromPort: UInt16 = 0) {
        self.transport = transport
        self.host = host
        self.port = port
        self.path = path
        self.timeout = timeout
        self.fromHost = fromHost
        self.fromPort = fromPort
    }

    /// What the user typed, for the panes: `example.org:80`, `[::1]:80`, `/tmp/s.sock`.
    public var target: String {
        if let path { return path }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension Engine {
    /// Starts a connection; it shows as resolving/connecting until it succeeds or fails. `prepare`
    /// sees the new record before anything happens to it (`connect tls` gives it its TLS section).
    func connect(_ request: ConnectRequest, prepare: (SocketRecord) -> Void = { _ in }) throws(CommandError) -> SocketID {
        var from: SocketAddress?
        if let fromHost = request.fromHost {
            let numeric = fromHost.lowercased() == "localhost" ? "127.0.0.1" : fromHost
            guard let address = SocketAddress(numericHost: numeric, port: request.fromPort) else {
                throw CommandError("connect from=\(Sanitizer.clean(fromHost)): expected a numeric local address")
            }
            from = address
        }
        if let path = request.path, path.utf8.count > SocketAddress.maxUnixPathLength {
            throw CommandError("connect \(Sanitizer.clean(path)): path longer than \(SocketAddress.maxUnixPathLength) bytes")
        }
        let id = sockets.allocateID()
        let entry = SocketEntry(id: id, transport: request.transport, role: .outgoing, state: .resolving,
                                requested: Sanitizer.clean(request.target), openedAt: WallClock.now())
        sockets.insert(entry)
        let record = SocketRecord(id: id, fd: -1, family: AF_UNSPEC)
        record.attempt = ConnectAttempt(deadline: MonotonicClock.now() + request.timeout, timeout: request.timeout,
                                        from: from, selectedBefore: selected, selects: request.selects)
        prepare(record)
        if request.selects { select(id) }
        sockets.adopt(record)
        sockets.startConnectTimer(id)
        if let path = request.path {
            startAttempts(record, [.unix(path: path)])
        } else {
            resolve(host: request.host, port: request.port, transport: request.transport) { [weak self] result in
                guard let self, self.sockets.isOpen(record) else { return }
                switch result {
                case .success(let addresses) where !addresses.isEmpty:
                    self.startAttempts(record, addresses)
                case .success:
                    self.connectFailed(record, "connect \(entry.requested): no address found")
                case .failure(let error):
                    self.connectFailed(record, "connect \(entry.requested): \(error.reason)")
                }
            }
        }
        return id
    }

    private func startAttempts(_ record: SocketRecord, _ addresses: [SocketAddress]) {
        record.attempt?.candidates = addresses
        record.attempt?.index = 0
        update(record.id) { $0.state = .connecting }
        attemptNext(record)
    }

    /// Tries the current candidate; on an immediate failure moves to the next.
    private func attemptNext(_ record: SocketRecord) {
        let id = record.id
        guard let transport = table[id]?.transport else { return }
        var lastError: SystemError?
        while let address = record.attempt?.current {
            update(id) { $0.remote = address.displaySafe }
            do throws(SystemError) {
                let fd = try system.openSocket(family: address.family, transport: transport)
                record.fd = fd
                record.family = address.family
                if let from = record.attempt?.from {
                    try system.setOption(fd, SocketOption.named("reuseaddr")!, .flag(true))
                    try system.bind(fd, to: from)
                }
                event(id, .connecting, "connecting \(transport.rawValue) to \(address)")
                let connected = try system.connect(fd, to: address)
                try sockets.watch(record, interest: .writable)
                if connected { connectSucceeded(record) }
                return
            } catch {
                lastError = error
                sockets.closeDescriptor(record)
                record.attempt?.index += 1
            }
        }
        connectFailed(record, lastError.map { "\($0)" } ?? "connect: no address to try")
    }

    /// The socket became writable: the connect finished, one way or the other.
    func connectReady(_ record: SocketRecord) {
        let code = system.pendingError(record.fd)
        if code == 0 {
            connectSucceeded(record)
            return
        }
        let address = record.attempt?.current.map { "\($0)" } ?? ""
        let error = SystemError(call: "connect", context: address, code: code)
        sockets.closeDescriptor(record)
        record.attempt?.index += 1
        if record.attempt?.current != nil {
            event(record.id, .warning, "\(error); trying the next address")
            attemptNext(record)
        } else {
            connectFailed(record, error.description)
        }
    }

    private func connectSucceeded(_ record: SocketRecord) {
        let tried = record.attempt?.current
        let selects = record.attempt?.selects ?? true
        record.attempt = nil
        sockets.stopConnectTimer(record.id)
        let local = try? system.localAddress(record.fd)
        let remote = (try? system.peerAddress(record.fd)) ?? tried?.displaySafe
        update(record.id) {
            $0.state = .established
            $0.local = local
            $0.remote = remote
        }
        event(record.id, .connected, "connected to \(remote.map { "\($0)" } ?? "peer")" + (local.map { " from \($0)" } ?? ""))
        // A connection becomes `.` when it opens (PRODUCT.md §2) — also after a listener of ours
        // accepted its other end in the meantime, so `connect` then `send` sends from it.
        if selects { select(record.id) }
        startPendingTLS(record)
        guard sockets.isOpen(record) else { return }
        if !record.stream.sendQueue.isEmpty { data.flush(record) }
        data.refreshInterest(record)
        relayConnected(record)
    }

    /// The connect failed for good: the entry stays, in the failed state, with the reason.
    func connectFailed(_ record: SocketRecord, _ reason: String) {
        let selectedBefore = record.attempt?.selectedBefore
        record.attempt = nil
        sockets.drop(record)
        let now = WallClock.now()
        update(record.id) {
            $0.state = .failed(Sanitizer.guarded(reason))
            $0.closedAt = now
        }
        // A connection that never opened does not keep the selection (a failed command changes nothing else).
        if selected == record.id, let previous = selectedBefore, table[previous] != nil {
            select(previous)
        } else if selected == record.id {
            select(nil)
        }
        event(record.id, .error, reason)
        sockets.noteClosed(record.id, keep: settings.keepclosed)
        relayConnectFailed(record, reason)
    }

    func connectTimedOut(_ record: SocketRecord) {
        guard let attempt = record.attempt else { return }
        let seconds = Units.duration(attempt.timeout)
        let target = attempt.current.map { "\($0)" } ?? (table[record.id]?.requested ?? "")
        let error = SystemError(call: "connect", context: target, code: ETIMEDOUT)
        connectFailed(record, "\(error.description) after \(seconds)")
    }

    // MARK: pair

    /// `pair`: two connected Unix sockets. The first becomes selected.
    func makePair() throws(CommandError) -> (SocketID, SocketID) {
        let fds: (FileDescriptor, FileDescriptor)
        do { fds = try system.socketPair() } catch { throw CommandError(error) }
        let first = sockets.allocateID()
        let second = sockets.allocateID()
        let now = WallClock.now()
        for (id, other, fd) in [(first, second, fds.0), (second, first, fds.1)] {
            var entry = SocketEntry(id: id, transport: .unix, role: .paired(with: other), state: .established, requested: "", openedAt: now)
            entry.local = .unix(path: "")
            entry.remote = .unix(path: "")
            sockets.insert(entry)
            do { try data.register(SocketRecord(id: id, fd: fd, family: AF_UNIX)) } catch { throw CommandError(error) }
        }
        event(first, .connected, "paired with \(second) (socketpair AF_UNIX SOCK_STREAM)")
        event(second, .connected, "paired with \(first)")
        select(first)
        return (first, second)
    }
}
