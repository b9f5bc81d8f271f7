// TraceExplainer.swift — `explain on`: what a traced system call is in the seed's PHP, with the
// arguments filled in from the trace (address, port, backlog, length, how), and its C prototype.
//
// Decided: a call sockpit makes that PHP has no function for (epoll_*, ioctl, getsockopt TCP_INFO,
// fcntl F_GETFL on its own) gets a short honest note instead of a PHP call, naming what plays its
// part in the seed where something does (socket_select for the event loop). A call this file does
// not know (the TLS layer's SSL_* calls, anything added later) gets no explanation at all: nil,
// and the trace line stays as it is, rather than a guess.

import Glibc
import SocketKit

/// What `explain on` adds to one trace line.
public struct TraceExplanation: Equatable, Sendable {
    /// The PHP code that makes this call, arguments filled in (`socket_bind($sock, '127.0.0.1', 5000)`);
    /// nil when PHP has no counterpart.
    public let php: String?
    /// The C prototype of the traced call.
    public let prototype: String
    /// A short remark: why it would block in PHP, what PHP returns on failure, or why PHP has no
    /// such call. Empty when there is nothing to add.
    public let note: String

    /// What follows the trace line, as PRODUCT.md §7 shows it:
    /// `   · PHP socket_bind($sock, '127.0.0.1', 5000) · int bind(int sockfd, …)`.
    public var suffix: String {
        var parts: [String] = []
        if let php { parts.append("PHP " + php) } else if !note.isEmpty { parts.append(note) }
        parts.append(prototype)
        if php != nil && !note.isEmpty { parts.append(note) }
        return "   · " + parts.joined(separator: " · ")
    }
}

/// Turns trace records into explanations.
public enum TraceExplainer {
    /// The explanation of `record`, or nil for a call sockpit does not explain (see the header).
    /// `variable` names the PHP variable of a descriptor (`$sock`, `$client`); when it returns nil,
    /// an operand is `$sock`, the socket `accept` returns `$client`, and a pair is `$pair`.
    public static func explain(_ record: TraceRecord, variable: (Int32) -> String? = { _ in nil }) -> TraceExplanation? {
        guard let c = CFunction.named(record.call) else { return nil }
        let call = Call(record: record, variable: variable)
        guard let (php, note) = phpCall(for: call) else { return nil }
        return TraceExplanation(php: php, prototype: c.prototype, note: note.isEmpty ? call.failureNote : note)
    }

    /// The PHP code and a note for one call; nil for calls without an explanation.
    private static func phpCall(for call: Call) -> (String?, String)? {
        let sock = call.operand
        switch call.name {
        case "socket":
            let type = call.part(1).prefix { $0 != "|" }
            return ("\(call.resultVariable("$sock")) = socket_create(\(call.part(0)), \(type), \(call.part(2)))", "")
        case "bind":
            return ("socket_bind(\(sock), \(PHPAddress(call.rest(from: 1)).arguments))", "")
        case "connect":
            let note = call.failed(EINPROGRESS)
                ? "handshake under way: a blocking socket_connect waits here; SO_ERROR gives the outcome" : ""
            return ("socket_connect(\(sock), \(PHPAddress(call.rest(from: 1)).arguments))", note)
        case "listen":
            return ("socket_listen(\(sock), \(call.part(1)))", "")
        case "accept", "accept4":
            let note = call.wouldBlock ? "nobody waits in the backlog: a blocking socket_accept waits here" : ""
            return ("\(call.resultVariable("$client")) = socket_accept(\(sock))", note)
        case "send", "write":
            let length = call.part(1).prefix { $0 != " " }
            let note = call.wouldBlock ? "the send buffer is full: a blocking socket_write waits here"
                : (call.record.result >= 0 && String(call.record.result) != length
                    ? "wrote \(call.record.result) of \(length) bytes: socket_write returns the count" : "")
            return ("socket_write(\(sock), $data, \(length))", note)
        case "sendto":
            let length = call.part(1).prefix { $0 != " " }
            return ("socket_sendto(\(sock), $data, \(length), 0, \(PHPAddress(call.rest(from: 3)).arguments))", "")
        case "sendmsg":
            return ("socket_sendmsg(\(sock), $message, 0)", "")
        case "recv", "read":
            return (readCall(call), readNote(call))
        case "recvfrom":
            return ("socket_recvfrom(\(sock), $data, \(call.part(1)), 0, $address, $port)", readNote(call))
        case "recvmsg":
            return ("socket_recvmsg(\(sock), $message, 0)", readNote(call))
        case "shutdown":
            let mode = ["SHUT_RD": "0", "SHUT_WR": "1", "SHUT_RDWR": "2"][call.part(1)] ?? call.part(1)
            return ("socket_shutdown(\(sock), \(mode))", "")
        case "close":
            return ("socket_close(\(sock))", "")
        case "setsockopt":
            let option = PHPOption(level: call.part(1), name: call.part(2))
            return ("socket_set_option(\(sock), \(option.level), \(option.name), \(option.value(call.rest(from: 3))))", "")
        case "getsockopt":
            if call.part(2) == "TCP_INFO" {
                return (nil, "no PHP counterpart: socket_get_option cannot read struct tcp_info")
            }
            let option = PHPOption(level: call.part(1), name: call.part(2))
            return ("socket_get_option(\(sock), \(option.level), \(option.name))", "")
        case "getsockname", "getpeername":
            return ("socket_\(call.name)(\(sock), $address, $port)", "")
        case "fcntl":
            switch (call.part(1), call.part(2)) {
            case ("F_SETFL", "O_NONBLOCK"): return ("socket_set_nonblock(\(sock))", "")
            case ("F_SETFL", _): return ("socket_set_block(\(sock))", "")
            default: return (nil, "no PHP call of its own: socket_set_nonblock and socket_set_block read the flags first")
            }
        case "socketpair":
            let type = call.part(1).prefix { $0 != "|" }
            return ("socket_create_pair(\(call.part(0)), \(type), \(call.part(2)), $pair)", "")
        case "epoll_create1", "epoll_ctl", "epoll_wait":
            return (nil, "no PHP call: sockpit's event loop, where the seed calls socket_select($read, $write, $except, null)")
        case "ioctl":
            return (nil, "no PHP counterpart")
        case "unlink":
            return ("unlink(\(PHPAddress.quote(call.part(0).trimmingQuotes)))", "PHP's file function: the old socket file goes first")
        default:
            return nil
        }
    }

    private static func readCall(_ call: Call) -> String {
        let flags = call.part(2)
        if flags.isEmpty || flags == "0" {
            return "\(call.resultVariable("$data", always: true)) = socket_read(\(call.operand), \(call.part(1)))"
        }
        return "socket_recv(\(call.operand), $data, \(call.part(1)), \(flags))"
    }

    private static func readNote(_ call: Call) -> String {
        if call.wouldBlock { return "nothing has arrived: a blocking socket_read waits here" }
        if call.record.result == 0 && call.record.errorCode == nil { return "0 bytes: the peer closed its side (socket_read returns '')" }
        return ""
    }
}

/// One traced call, its arguments split the way SocketKit formats them.
private struct Call {
    let record: TraceRecord
    private let parts: [Substring]
    private let operandName: String?
    private let resultName: String?

    init(record: TraceRecord, variable: (Int32) -> String?) {
        self.record = record
        parts = record.arguments.split(separator: ",", omittingEmptySubsequences: false)
        let first = parts.first.map { String($0).trimmingBlanks() } ?? ""
        operandName = Int32(first).flatMap(variable)
        resultName = record.result < 0 ? nil : variable(Int32(truncatingIfNeeded: record.result))
    }

    var name: String { record.call }

    /// The `index`-th argument, trimmed; empty when absent.
    func part(_ index: Int) -> String {
        index < parts.count ? String(parts[index]).trimmingBlanks() : ""
    }

    /// Everything from the `index`-th argument on (an address or a value may contain commas).
    func rest(from index: Int) -> String {
        index < parts.count ? parts[index...].joined(separator: ",").trimmingBlanks() : ""
    }

    /// The PHP variable of the descriptor in the first argument.
    var operand: String { operandName ?? "$sock" }

    /// The PHP variable that receives the descriptor this call returned. `always` keeps the
    /// default name for results that are not descriptors.
    func resultVariable(_ fallback: String, always: Bool = false) -> String {
        always ? fallback : resultName ?? fallback
    }

    func failed(_ code: Int32) -> Bool { record.errorCode == code }

    var wouldBlock: Bool { failed(EAGAIN) || failed(EWOULDBLOCK) }

    /// What PHP does when the call fails for real: `false`, with the errno in socket_last_error().
    var failureNote: String {
        guard let code = record.errorCode, code != EAGAIN, code != EWOULDBLOCK, code != EINPROGRESS else { return "" }
        return "in PHP: false, and socket_last_error() is \(code)"
    }
}

/// A traced address as PHP's `$address, $port` arguments.
private struct PHPAddress {
    let arguments: String

    /// `127.0.0.1:5000` → `'127.0.0.1', 5000`; `[::1]:80` → `'::1', 80`; a path → `'/tmp/s.sock'`.
    init(_ text: String) {
        if let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
           text.hasPrefix("[") || text[..<colon].contains(".") {
            var host = text[..<colon]
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            arguments = "\(Self.quote(String(host))), \(port)"
        } else {
            arguments = Self.quote(text)
        }
    }

    /// A PHP single-quoted string. The trace already shows a backslash as `\\`, which is one
    /// backslash in single quotes too, so only the quote needs escaping.
    static func quote(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "\\'") + "'"
    }
}

/// A socket option as PHP spells it: PHP calls IPPROTO_TCP `SOL_TCP`, and it lacks some
/// constants, which then appear as their number with the name in a comment.
private struct PHPOption {
    let level: String
    let name: String
    private let option: SocketOption?

    init(level: String, name: String) {
        self.level = level == "IPPROTO_TCP" ? "SOL_TCP" : level
        option = SocketOption.all.first { $0.optionName == name }
        if let option, PHPOption.undefinedInPHP.contains(name) {
            self.name = "\(option.option) /* \(name) */"
        } else {
            self.name = name
        }
    }

    /// The constants of `SocketOption.all` that PHP 8.2 does not define (checked by a test).
    static let undefinedInPHP: Set<String> = [
        "SO_PRIORITY", "SO_DOMAIN", "SO_PROTOCOL", "SO_ACCEPTCONN", "TCP_CORK", "TCP_QUICKACK", "TCP_MAXSEG",
        "TCP_SYNCNT", "TCP_USER_TIMEOUT", "IP_TTL", "IP_TOS", "IP_FREEBIND",
    ]

    /// The traced value (`on`, `65536`, `on,5`, `{on, 0}`, `1.5`, `cubic`) as PHP's `$value`.
    func value(_ text: String) -> String {
        let bare = text.hasPrefix("{") && text.hasSuffix("}") ? String(text.dropFirst().dropLast()) : text
        let words = bare.split(separator: ",").map { String($0).trimmingBlanks() }
        func flag(_ word: String) -> String { word == "on" ? "1" : word == "off" ? "0" : word }
        switch option?.kind {
        case .linger?:
            return words.first == "off" ? "['l_onoff' => 0, 'l_linger' => 0]"
                : "['l_onoff' => 1, 'l_linger' => \(words.last ?? "0")]"
        case .duration?:
            let seconds = Double(bare) ?? 0
            let whole = Int(seconds)
            return "['sec' => \(whole), 'usec' => \(Int(((seconds - Double(whole)) * 1_000_000).rounded()))]"
        case .text?:
            return PHPAddress.quote(bare)
        default:
            return flag(bare)
        }
    }
}

extension StringProtocol {
    /// Without one pair of surrounding double quotes.
    fileprivate var trimmingQuotes: String {
        hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : String(self)
    }

    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
