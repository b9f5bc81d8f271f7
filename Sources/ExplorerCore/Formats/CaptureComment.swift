// CaptureComment — the packet comments that name sockpit's sockets in a capture, written by the
// writer and read back by the reader (replay finds `#N` through them).
//
// Grammar: `sockpit #N is ENDPOINT` optionally followed by ` (DETAIL)`, where ENDPOINT is the
// socket's address as it appears in the packets (`127.0.0.1:5000`, `[::1]:80`) and DETAIL says
// what it is in words (`tcp, connected to 127.0.0.1:5000`). Peer-controlled text (Unix paths, notes)
// passes through the sanitizer first, so a comment is one line of printable text.

import SocketKit

/// Builds and parses sockpit's socket comments.
public enum CaptureComment {
    /// `sockpit #N is ENDPOINT (DETAIL)`.
    static func identity(socket id: Int, is endpoint: WireEndpoint, detail: String) -> String {
        "sockpit #\(id) is \(endpoint) (\(Sanitizer.clean(detail)))"
    }

    /// The socket id, endpoint text and transport (the detail's first word) of a comment written
    /// by `identity`; nil for any other text.
    public static func parseIdentity(_ comment: String) -> (socket: Int, endpoint: String, transport: Transport?)? {
        let prefix = "sockpit #"
        guard comment.hasPrefix(prefix) else { return nil }
        let rest = comment.dropFirst(prefix.count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let id = Int(digits) else { return nil }
        let afterID = rest.dropFirst(digits.count)
        guard afterID.hasPrefix(" is ") else { return nil }
        let endpoint = afterID.dropFirst(4).prefix { $0 != " " }
        guard !endpoint.isEmpty else { return nil }
        let detail = afterID.dropFirst(4 + endpoint.count)
        let word = detail.hasPrefix(" (") ? detail.dropFirst(2).prefix { $0.isASCII && $0.isLetter } : ""
        return (id, String(endpoint), Transport(rawValue: String(word)))
    }

    /// What a stream's first packet says about how it began.
    static func streamDetail(_ socket: CaptureSocket, opening: CaptureOpening, otherEndName: String?) -> String {
        var words: [String] = []
        switch socket.transport {
        case .unix:
            let path = { (address: SocketAddress?) in
                guard case .unix(let path)? = address, !path.isEmpty else { return "(unnamed)" }
                return path
            }
            if socket.otherEnd != nil && path(socket.local) == "(unnamed)" && path(socket.remote) == "(unnamed)" {
                words.append("unix socketpair")
            } else {
                words.append("unix \(path(socket.local)) \(socket.initiator == .local ? "connected to" : "accepted from") \(path(socket.remote))")
            }
            words.append("mapped to TCP over IPv4")
        default:
            let remote = socket.remote.map { "\($0)" } ?? "?"
            words.append("\(socket.transport.rawValue), \(socket.initiator == .local ? "connected to" : "accepted from") \(remote)")
        }
        if let otherEndName { words.append("the other end is \(otherEndName)") }
        if opening == .alreadyOpen { words.append("already open when recording started: handshake written by sockpit") }
        if let note = socket.note { words.append(note) }
        return words.joined(separator: "; ")
    }
}
