// HTTPRequest.swift — `http [TARGET|HOST:PORT] [PATH]`: the seed's hand-written `GET / HTTP/1.1`,
// on an existing connection or a new one, finishing when the server closes.

import SocketKit

extension Engine {
    /// The request sockpit sends: minimal, valid HTTP/1.1 (a Host header is required).
    public static func httpRequest(host: String, path: String) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: sockpit\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
    }

    /// Sends a GET on `id` (already connected, or connecting) and waits for the response to end.
    func http(on id: SocketID, hostHeader: String, path: String, timeout: Int64, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard table[id] != nil else { throw CommandError("no socket \(id)") }
        let request = Engine.httpRequest(host: hostHeader, path: path)
        var sent = false
        var startBytes: UInt64 = 0
        let label = "http \(id) GET \(path)"
        let poll: () -> Status? = { [unowned self] in
            guard let entry = self.table[id] else { return .error("\(id) is gone") }
            if !sent {
                switch entry.state {
                case .resolving, .connecting: return nil
                case .failed(let reason): return .error(reason)
                case .closed: return .error("http: \(id) is closed")
                default:
                    guard let record = self.sockets.record(id) else { return .error("http: \(id) is closed") }
                    startBytes = entry.bytesIn
                    record.waits.responseHead = []
                    do throws(CommandError) { try self.data.transmit(request, on: record) } catch { return .error("http: \(error.message)") }
                    sent = true
                }
            }
            guard !entry.state.isOpen || entry.state == .halfClosedIn else { return nil }
            let received = entry.bytesIn - startBytes
            let head = self.sockets.recentRecord(id)?.waits.responseHead ?? []
            if received == 0, case .failed(let reason) = entry.state { return .error(reason) }
            guard received > 0 else { return .error("http \(id): the server closed without answering") }
            return .ok("\(Engine.statusLine(head)) — \(received) bytes on \(id)")
        }
        let operation = Operation(label: label, origin: origin, timeout: timeout, poll: poll) { [unowned self] in
            let received = (self.table[id]?.bytesIn ?? startBytes) - startBytes
            let head = self.sockets.record(id)?.waits.responseHead ?? []
            if received > 0 { return .ok("\(Engine.statusLine(head)) — \(received) bytes on \(id) (the server kept the connection open)") }
            return .error("http \(id): no answer after \(Units.duration(timeout))")
        }
        return begin(operation, progress: "GET \(path) on \(id)…")
    }

    /// The response's first line, sanitized: `HTTP/1.1 200 OK`.
    static func statusLine(_ head: [UInt8]) -> String {
        let line = head.prefix { $0 != 0x0d && $0 != 0x0a }
        return line.isEmpty ? "response" : Sanitizer.escape(line.prefix(120))
    }
}
