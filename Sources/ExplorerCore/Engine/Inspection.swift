// Inspection.swift — `info` and `sockopt`: everything the kernel and sockpit know about a socket.

import Glibc
import SocketKit

extension Engine {
    /// `info [TARGET]`: addresses, state, counters, queues, options and TCP_INFO, as output lines.
    func info(_ id: SocketID) throws(CommandError) -> [String] {
        guard let entry = table[id] else { throw CommandError("no socket \(id)") }
        var lines = ["\(id) \(entry.protocolName) \(roleText(entry)) — \(entry.state.name)"]
        lines.append("  local  \(entry.local.map { "\($0)" } ?? "-")   (getsockname)")
        if !entry.role.isListening || entry.remote != nil {
            lines.append("  remote \(entry.remote.map { "\($0)" } ?? (entry.requested.isEmpty ? "-" : entry.requested))   (getpeername)")
        }
        if entry.role.isListening && entry.transport != .udp {
            lines.append("  backlog \(entry.backlog), accepted \(entry.acceptedCount), waiting \(entry.pendingAccepts), accept=\(entry.acceptMode.rawValue)"
                + (entry.refusedCount > 0 ? ", refused \(entry.refusedCount)" : ""))
        }
        lines.append("  in  \(Units.bytes(entry.bytesIn))" + (entry.transport == .udp ? " in \(entry.datagramsIn) datagrams" : "")
            + "   out \(Units.bytes(entry.bytesOut))" + (entry.transport == .udp ? " in \(entry.datagramsOut) datagrams" : ""))
        let reply = data.effectiveReply(id) ?? AutoReply.off
        lines.append("  reply \(reply)" + (entry.reply == nil && entry.parent != nil && reply != .off ? " (from \(entry.parent!))" : "")
            + (entry.banner.map { "   banner \"\(Sanitizer.escape($0))\"" } ?? "")
            + (entry.paused ? "   paused" : ""))
        if let held = entry.held {
            let queued = sockets.record(id)?.stream.sendQueue.memoryBytes ?? 0
            lines.append("  reading held: \(held) (\(queued) of \(settings.queuecap) bytes queued here, \(data.queuedMemory) of "
                + "\(settings.queuetotal) in all; set queuecap, queuetotal); resumes below half")
        }
        if let lastPeer = entry.lastPeer { lines.append("  last peer \(lastPeer)") }
        lines += relayInfoLines(id)
        var clock = TimestampFormatter()
        let opened = clock.clock(entry.openedAt)
        lines.append("  opened \(opened)" + (entry.closedAt.map { ", closed \(clock.clock($0))" } ?? ""))
        lines += tlsInfo(id)
        guard let record = sockets.record(id), record.fd >= 0 else { return lines }
        if entry.role != .listener {
            let unread = system.bytesUnread(record.fd).map(String.init) ?? "?"
            var queues = "  kernel queues: unread \(unread)"
            if let unacked = system.bytesUnacknowledged(record.fd) { queues += ", unacknowledged \(unacked)" }
            if let unsent = system.bytesUnsent(record.fd) { queues += ", unsent \(unsent)" }
            queues += "; sockpit queue \(Units.bytes(record.stream.sendQueue.byteCount))   (SIOCINQ/SIOCOUTQ)"
            lines.append(queues)
        }
        if entry.transport == .udp, let drops = system.droppedDatagrams(record.fd) {
            lines.append("  kernel drops: \(drops) datagrams   (SO_MEMINFO)")
        }
        lines.append("  fd \(record.fd)")
        if entry.transport == .tcp, let tcp = try? system.tcpInfo(record.fd) {
            if entry.role == .listener {
                lines.append("  tcp_info: \(tcp.state), accept queue \(tcp.unacked)")
            } else {
                lines.append("  tcp_info: \(tcp.state), rtt \(Double(tcp.rtt) / 1000) ms ± \(Double(tcp.rttVariance) / 1000) ms, rto \(tcp.retransmitTimeout / 1000) ms")
                lines.append("            cwnd \(tcp.congestionWindow), ssthresh \(tcp.slowStartThreshold), mss \(tcp.sendMSS)/\(tcp.receiveMSS), pmtu \(tcp.pathMTU)")
                lines.append("            unacked \(tcp.unacked), lost \(tcp.lost), retransmits \(tcp.retransmits) now / \(tcp.totalRetransmits) total")
            }
        }
        lines.append("  options: " + optionSummary(record, entry))
        return lines
    }

    /// `info` with nothing selected: the session at a glance.
    func sessionSummary() -> [String] {
        let listeners = table.listeners.filter { $0.state.isOpen }.count
        let open = table.openConnections.count
        var lines = ["session: \(listeners) listening, \(open) open connections, \(table.count) sockets in all"]
        if table.folded.count > 0 {
            lines.append("  \(table.folded.count) older closed sockets folded into counters (\(Units.bytes(table.folded.bytesIn)) in, \(Units.bytes(table.folded.bytesOut)) out; set keepclosed)")
        }
        lines.append("  send queues: \(data.queuedMemory) of \(settings.queuetotal) bytes in memory; expect windows: \(waits.windowBytes) of \(Limits.expectWindowTotal) bytes")
        lines.append("  log: \(log.count) entries kept (\(log.keptBytes) of \(log.capacity) bytes, \(log.keptDataBytes) data bytes), \(log.evictedEntries) evicted (\(log.evictedDataBytes) data bytes)")
        lines.append("  recording: " + (recording.writer.map {
            "\(Sanitizer.clean($0.path)) (\($0.format.rawValue)), \($0.sink.written) bytes written, \($0.sink.buffered) waiting"
                + ($0.sink.isBehind ? " (behind: peers are held)" : "")
        } ?? "off"))
        return lines
    }

    private func roleText(_ entry: SocketEntry) -> String {
        switch entry.role {
        case .listener: "listener"
        case .datagram: "bound datagram socket"
        case .outgoing: "outgoing connection"
        case .accepted(let via): "accepted via \(via)"
        case .paired(let other): "pair with \(other)"
        }
    }

    private func optionSummary(_ record: SocketRecord, _ entry: SocketEntry) -> String {
        let saved = system.tracer
        system.tracer = nil
        defer { system.tracer = saved }
        return SocketOption.applicable(to: entry.transport, family: record.family)
            .filter { $0.kind != .readOnly }
            .compactMap { option in (try? system.getOption(record.fd, option)).map { "\(option.name)=\($0)" } }
            .joined(separator: " ")
    }

    /// `sockopt [TARGET] [NAME [VALUE]]` on one socket: list, get or set; returns the status text.
    func sockopt(_ id: SocketID, _ name: String?, _ value: String?) throws(CommandError) -> String {
        switch (name, value) {
        case (nil, _):
            output(try listOptions(id), socket: id)
            return "\(id) options listed in the log"
        case (let name?, nil):
            return try getOption(id, name)
        case (let name?, let value?):
            return try setOption(id, name, value)
        }
    }

    /// `sockopt [TARGET]`: every applicable option and its value.
    func listOptions(_ id: SocketID) throws(CommandError) -> [String] {
        let record = try openRecord(id)
        guard let entry = table[id] else { throw CommandError("no socket \(id)") }
        var lines = ["\(id) socket options:"]
        for option in SocketOption.applicable(to: entry.transport, family: record.family) {
            let value: String
            do { value = "\(try system.getOption(record.fd, option))" } catch { value = "(\(error.reason))" }
            let name = option.name.padding(12)
            let shown = value.padding(10)
            lines.append("  \(name) \(shown) \(option.levelName)/\(option.optionName) — \(option.summary)")
        }
        return lines
    }

    /// `sockopt [TARGET] NAME`.
    func getOption(_ id: SocketID, _ name: String) throws(CommandError) -> String {
        let record = try openRecord(id)
        let option = try Engine.option(named: name)
        do { return "\(id) \(option.name) = \(try system.getOption(record.fd, option))" } catch {
            throw CommandError("sockopt \(id) \(option.name): \(error.reason)", reason: error.reason)
        }
    }

    /// What `sockopt` checks on every socket before setting any: the socket is open, the option
    /// exists, the value is well-formed and allowed. What only the kernel knows it says per socket.
    func checkSockopt(_ id: SocketID, _ name: String?, _ text: String?) throws(CommandError) {
        _ = try openRecord(id)
        guard let name else { return }
        let option = try Engine.option(named: name)
        guard let text else { return }
        _ = try optionValue(option, text, for: id)
    }

    private func optionValue(_ option: SocketOption, _ text: String, for id: SocketID) throws(CommandError) -> SocketOptionValue {
        let value: SocketOptionValue
        do { value = try option.parse(text) } catch { throw CommandError("sockopt \(error.description)") }
        if option.kind == .fileFlag, value == .flag(false) {
            // One thread reads every socket until EAGAIN: a blocking one would freeze the loop.
            throw CommandError("sockopt \(id) nonblock off: sockpit's one event loop needs non-blocking sockets (a blocking read would freeze it)")
        }
        return value
    }

    /// `sockopt [TARGET] NAME VALUE`.
    func setOption(_ id: SocketID, _ name: String, _ text: String) throws(CommandError) -> String {
        let record = try openRecord(id)
        let option = try Engine.option(named: name)
        let value = try optionValue(option, text, for: id)
        do { try system.setOption(record.fd, option, value) } catch {
            throw CommandError("sockopt \(id) \(option.name) \(text): \(error.reason)", reason: error.reason)
        }
        let now = (try? system.getOption(record.fd, option)).map { "\($0)" } ?? "\(value)"
        event(id, .event, "sockopt \(option.name) = \(now)")
        return "\(id) \(option.name) = \(now)" + (now != "\(value)" ? " (asked \(value); the kernel adjusted it)" : "")
    }

    static func option(named name: String) throws(CommandError) -> SocketOption {
        guard let option = SocketOption.named(name) else {
            throw CommandError("sockopt: unknown option \"\(Sanitizer.clean(name))\" (options: \(SocketOption.all.map(\.name).joined(separator: ", ")))")
        }
        return option
    }
}

extension String {
    /// Left-aligned in `width` columns (ASCII text).
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
