// ScreenFixtures.swift — sessions built from real values (table entries, log entries at fixed
// times) for the whole-screen goldens and the controller tests.
import ExplorerCore
import SocketKit
@testable import TerminalUI

/// A session under construction: sockets get ids from the table, log entries get fixed times
/// counted from `start`, so relative timestamps render the same on every machine.
struct SessionBuilder {
    /// 2023-11-14 22:13:20 UTC, in µs; only differences from it are ever shown.
    static let start: Int64 = 1_700_000_000_000_000

    var table = SocketTable()
    var log = ByteLog()
    var selected: SocketID?
    var status: Status?

    /// The time `seconds` after the start.
    static func at(_ seconds: Double) -> Int64 { start + Int64((seconds * 1_000_000).rounded()) }

    static func v4(_ port: UInt16) -> SocketAddress { SocketAddress(numericHost: "127.0.0.1", port: port)! }

    /// A listening TCP socket and its `listening` event.
    @discardableResult
    mutating func listen(port: UInt16, backlog: Int = 128, at time: Double, _ change: (inout SocketEntry) -> Void = { _ in }) -> SocketID {
        let id = table.allocateID()
        var entry = SocketEntry(id: id, transport: .tcp, role: .listener, state: .listening,
                                requested: "\(port)", openedAt: Self.at(time))
        entry.local = Self.v4(port)
        entry.backlog = backlog
        change(&entry)
        table.insert(entry)
        event(id, .listening, "listening tcp 127.0.0.1:\(port) backlog \(backlog)", at: time)
        return id
    }

    /// A bound UDP socket and its `listening` event.
    @discardableResult
    mutating func bindUDP(port: UInt16, at time: Double, _ change: (inout SocketEntry) -> Void = { _ in }) -> SocketID {
        let id = table.allocateID()
        var entry = SocketEntry(id: id, transport: .udp, role: .datagram, state: .listening,
                                requested: "\(port)", openedAt: Self.at(time))
        entry.local = Self.v4(port)
        change(&entry)
        table.insert(entry)
        event(id, .listening, "listening udp 127.0.0.1:\(port)", at: time)
        return id
    }

    /// A peer accepted by `listener` (on its port) from `peerPort`, and its `accepted` event.
    @discardableResult
    mutating func accept(via listener: SocketID, peerPort: UInt16, at time: Double,
                         _ change: (inout SocketEntry) -> Void = { _ in }) -> SocketID {
        let id = table.allocateID()
        var entry = SocketEntry(id: id, transport: .tcp, role: .accepted(via: listener), state: .established,
                                requested: "", openedAt: Self.at(time))
        entry.local = table[listener]?.local
        entry.remote = Self.v4(peerPort)
        change(&entry)
        table.insert(entry)
        event(id, .accepted, "accepted 127.0.0.1:\(peerPort) via \(listener)", at: time)
        table.update(listener) { $0.acceptedCount += 1 }
        selected = id
        return id
    }

    /// An outgoing connection in `state` (no log entry: callers log what fits the state).
    @discardableResult
    mutating func connect(to port: UInt16, from localPort: UInt16?, state: SocketState, at time: Double) -> SocketID {
        let id = table.allocateID()
        var entry = SocketEntry(id: id, transport: .tcp, role: .outgoing, state: state,
                                requested: "127.0.0.1:\(port)", openedAt: Self.at(time))
        entry.local = localPort.map(Self.v4)
        entry.remote = Self.v4(port)
        table.insert(entry)
        selected = id
        return id
    }

    mutating func event(_ socket: SocketID?, _ kind: LogKind, _ text: String, at time: Double) {
        log.append(LogEntry(time: Self.at(time), socket: socket, kind: kind, text: text))
    }

    /// Bytes received on `socket`, counted in its entry, at the right stream offset.
    mutating func received(_ socket: SocketID, _ text: String, at time: Double, from peer: SocketAddress? = nil) {
        data(socket, .recv, Array(text.utf8), at: time, peer: peer)
    }

    /// Bytes sent on `socket`, counted in its entry, at the right stream offset.
    mutating func sent(_ socket: SocketID, _ text: String, at time: Double, to peer: SocketAddress? = nil) {
        data(socket, .send, Array(text.utf8), at: time, peer: peer)
    }

    private mutating func data(_ socket: SocketID, _ kind: LogKind, _ bytes: [UInt8], at time: Double, peer: SocketAddress?) {
        var entry = LogEntry(time: Self.at(time), socket: socket, kind: kind, bytes: bytes, peer: peer)
        let before = table[socket]
        entry.streamOffset = (kind == .recv ? before?.bytesIn : before?.bytesOut) ?? 0
        table.update(socket) { socket in
            let count = UInt64(bytes.count)
            if kind == .recv { socket.bytesIn += count } else { socket.bytesOut += count }
            if peer != nil {
                if kind == .recv { socket.datagramsIn += 1; socket.lastPeer = peer } else { socket.datagramsOut += 1 }
            }
        }
        log.append(entry)
    }

    /// The model the screen renders, relative timestamps counted from `start`.
    func model(_ change: (inout ScreenModel) -> Void = { _ in }) -> ScreenModel {
        var model = ScreenModel(table: table, log: log, selected: selected, status: status, timestamps: .relative,
                                startTime: Self.start)
        change(&model)
        return model
    }
}

/// The sessions the goldens show.
enum Sessions {
    /// Nothing yet: the first-run hints.
    static var empty: ScreenModel { ScreenModel(timestamps: .relative, startTime: SessionBuilder.start) }

    /// The seed's welcome server: a listener on 5000 with a banner and three accepted peers, one of
    /// them streaming fast (rates shown), one gone; #3 selected.
    static var threePeers: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 1.120) { $0.banner = Array("Welcome to the server\n".utf8) }
        let first = s.accept(via: listener, peerPort: 51234, at: 2.310)
        s.sent(first, "Welcome to the server\n", at: 2.311)
        s.received(first, "Ho\r\nfirst blood\r\n", at: 2.900)
        let second = s.accept(via: listener, peerPort: 51236, at: 3.500)
        s.sent(second, "Welcome to the server\n", at: 3.501)
        s.table.update(second) { $0.bytesIn = 1_843_200; $0.rateIn = 524_288; $0.rateOut = 12 }
        let third = s.accept(via: listener, peerPort: 51240, at: 4.000)
        s.sent(third, "Welcome to the server\n", at: 4.001)
        s.event(third, .eof, "eof from peer", at: 4.250)
        s.event(third, .closed, "closed", at: 4.251)
        s.table.update(third) { $0.state = .closed }
        s.selected = second
        s.status = .ok("selected #3")
        return s.model()
    }

    /// A peer sends `测试成功！\r\n` and the reply is CJK too: both directions, double width.
    static var cjk: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0.500)
        let peer = s.accept(via: listener, peerPort: 51234, at: 1.000)
        s.received(peer, "测试成功！\r\n", at: 1.250)
        s.sent(peer, "收到：测试成功！\n", at: 1.300)
        return s.model()
    }

    /// A peer tries to retitle the terminal and clear the screen, then sends a line.
    static var escapes: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0.500)
        let peer = s.accept(via: listener, peerPort: 51234, at: 1.000)
        s.received(peer, "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred", at: 1.500)
        s.received(peer, "line one\r\nline two\r\n", at: 2.000)
        return s.model()
    }

    /// An HTTP exchange, for the hex and both views (stream offsets continue across chunks).
    static func http(view mode: LogView) -> ScreenModel {
        var s = SessionBuilder()
        let conn = s.connect(to: 8080, from: 40122, state: .established, at: 0.200)
        s.event(conn, .connected, "connected to 127.0.0.1:8080 from 127.0.0.1:40122", at: 0.201)
        s.sent(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", at: 0.300)
        s.received(conn, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", at: 0.410)
        s.received(conn, "héllo", at: 0.411)
        return s.model { $0.view.mode = mode }
    }

    /// A UDP socket on 6000 echoing datagrams from two peers.
    static var udp: ScreenModel {
        var s = SessionBuilder()
        let socket = s.bindUDP(port: 6000, at: 0.100) { $0.reply = .echo }
        let a = SessionBuilder.v4(41000), b = SessionBuilder.v4(41002)
        s.received(socket, "ping 1\n", at: 1.000, from: a)
        s.sent(socket, "ping 1\n", at: 1.001, to: a)
        s.received(socket, "ping 2\n", at: 1.500, from: b)
        s.sent(socket, "ping 2\n", at: 1.501, to: b)
        s.selected = socket
        return s.model()
    }

    /// A connection refused: the row says why.
    static var failedConnect: ScreenModel {
        var s = SessionBuilder()
        let reason = "connect 127.0.0.1:9: ECONNREFUSED (Connection refused)"
        let conn = s.connect(to: 9, from: nil, state: .failed(reason), at: 0.100)
        s.event(conn, .connecting, "connecting tcp to 127.0.0.1:9", at: 0.100)
        s.event(conn, .error, reason, at: 0.101)
        s.status = .error(reason)
        return s.model()
    }

    /// A listener on 5000 and `count` accepted peers (#2…), the newest selected.
    static func peers(_ count: Int) -> ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0.100)
        for index in 0..<count {
            s.accept(via: listener, peerPort: UInt16(50000 + index), at: 1 + Double(index) / 10)
        }
        return s.model()
    }

    /// Two peers talking in turns, 40 lines in all, some of them wrapping onto several rows.
    static var chatty: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 7000, at: 0.100)
        let a = s.accept(via: listener, peerPort: 50001, at: 0.200)
        let b = s.accept(via: listener, peerPort: 50002, at: 0.300)
        for line in 1...20 {
            let time = Double(line)
            let text = line % 5 == 0 ? "line \(line): a longer message that has to wrap onto the next row of the pane\n"
                                      : "line \(line)\n"
            s.received(a, text, at: time)
            s.received(b, "reply \(line)\n", at: time + 0.5)
        }
        return s.model()
    }
}

/// A UI state with the given focus (everything else default, colours on).
func ui(focus: Focus = .prompt, _ change: (inout UIState) -> Void = { _ in }) -> UIState {
    var state = UIState()
    state.focus = focus
    change(&state)
    return state
}

extension ScreenModel {
    /// The same session with the log filtered to `socket` (what F3 asks the engine for).
    func filtered(to socket: SocketID) -> ScreenModel {
        var model = self
        model.view.filter = socket
        return model
    }
}
