// LogLineFormatter.swift — log entries as lines: the headless/`save text` form
// (`12:00:02.900 #3 < 17 "Ho\r\n"`), JSON lines (lossless, base64 data) and the hex form.
// Everything a peer controls goes through the Sanitizer.

import SocketKit

/// Turns entries into bytes for stdout and files. Formats into byte buffers: a flood must not
/// cost a String per byte.
public struct LogLineFormatter: Sendable {
    public var timestamps: Settings.TimestampStyle
    /// Wall-clock µs the relative timestamps count from.
    public var start: Int64
    /// Caches the broken-down time per second: formatting a flood's timestamps stays cheap.
    private var clock: TimestampFormatter

    public init(timestamps: Settings.TimestampStyle, start: Int64, zone: TimeZoneRule = .local) {
        self.timestamps = timestamps
        self.start = start
        self.clock = TimestampFormatter(zone: zone)
    }

    // MARK: Text

    /// `12:00:02.900 ` (or `+1.234 `, or nothing).
    mutating func appendTime(_ time: Int64, to out: inout [UInt8]) {
        switch timestamps {
        case .clock: clock.appendClock(time, to: &out)
        case .relative: out.append(contentsOf: TimestampFormatter.relative(time, since: start).utf8)
        case .off: return
        }
        out.append(0x20)
    }

    /// One entry as one text line (ending in `\n`), the way headless mode prints it.
    public mutating func appendText(_ entry: LogEntry, to out: inout [UInt8]) {
        if entry.kind == .output {
            out.append(contentsOf: entry.text.utf8)
            out.append(0x0a)
            return
        }
        appendTime(entry.time, to: &out)
        if let socket = entry.socket {
            out.append(contentsOf: socket.description.utf8)
            out.append(0x20)
        }
        if entry.kind.isData {
            out.append(entry.kind == .send ? UInt8(ascii: ">") : UInt8(ascii: "<"))
            out.append(contentsOf: " \(entry.bytes.count) ".utf8)
            if let peer = entry.peer {
                out.append(contentsOf: (entry.kind == .send ? "to " : "from ").utf8)
                out.append(contentsOf: "\(peer) ".utf8)
            }
            if let relay = entry.relay { out.append(contentsOf: "\(relay.direction.short) \(relay.partner) ".utf8) }
            out.append(UInt8(ascii: "\""))
            let renderable = entry.renderableBytes
            renderable.withUnsafeBytes { Sanitizer.append($0, to: &out) }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: LogLineFormatter.prefix(entry.kind).utf8)
            out.append(contentsOf: entry.text.utf8)
        }
        out.append(0x0a)
    }

    /// The marker before an event's text: `✗ ` for errors, `! ` for warnings, `trace ` for syscalls.
    public static func prefix(_ kind: LogKind) -> String {
        switch kind {
        case .error: "✗ "
        case .warning: "! "
        case .trace: "trace "
        default: ""
        }
    }

    /// One entry as a text line, without the newline.
    public mutating func text(_ entry: LogEntry) -> String {
        var out: [UInt8] = []
        appendText(entry, to: &out)
        out.removeLast()
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: JSON lines

    /// One entry as one JSON object on one line: `t`, `id`, `event`, and for data `len`, `text`,
    /// `data_b64` (and `peer` for datagrams); for other entries `text`.
    public mutating func appendJSON(_ entry: LogEntry, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"t\":\"".utf8)
        clock.appendISO8601(entry.time, to: &out)
        out.append(UInt8(ascii: "\""))
        if let socket = entry.socket {
            out.append(contentsOf: ",\"id\":\(socket.value)".utf8)
        }
        out.append(contentsOf: ",\"event\":\"\(entry.kind.rawValue)\"".utf8)
        if entry.kind.isData {
            out.append(contentsOf: ",\"len\":\(entry.bytes.count)".utf8)
            if let peer = entry.peer {
                out.append(contentsOf: ",\"peer\":".utf8)
                JSONText.appendQuoted("\(peer)", to: &out)
            }
            if let relay = entry.relay {
                out.append(contentsOf: ",\"dir\":\"\(relay.direction.rawValue)\",\"pair\":\(relay.partner.value)".utf8)
            }
            out.append(contentsOf: ",\"offset\":\(entry.streamOffset)".utf8)
            var rendered: [UInt8] = []
            let truncated = entry.bytes.count > Limits.jsonTextBytes
            if truncated {
                // A large chunk renders only its start: rendering costs several times Base64, and
                // nobody reads 64 KiB of escapes on one line (see DECISIONS.md, "JSON lines").
                let head = entry.carryIn + entry.bytes[..<Limits.jsonTextBytes]
                head.withUnsafeBytes { Sanitizer.append(UnsafeRawBufferPointer(rebasing: $0[..<LogLineFormatter.wholeCharacters(head)]), to: &rendered) }
            } else {
                entry.renderableBytes.withUnsafeBytes { Sanitizer.append($0, to: &rendered) }
            }
            out.append(contentsOf: ",\"text\":".utf8)
            rendered.withUnsafeBytes { JSONText.appendQuoted($0, to: &out) }
            if truncated { out.append(contentsOf: ",\"text_truncated\":true".utf8) }
            out.append(contentsOf: ",\"data_b64\":\"".utf8)
            entry.bytes.withUnsafeBytes { Base64.append($0, to: &out) }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: ",\"text\":".utf8)
            JSONText.appendQuoted(entry.text, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// How many of `bytes` end on a character boundary: a UTF-8 sequence cut by the end is left
    /// out (rendered whole it would be `\xNN` escapes of a character that is really there).
    static func wholeCharacters(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        while start > 0, bytes.count - start < 4 {
            start -= 1
            let byte = bytes[start]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
            guard byte >= 0xC0 else { return bytes.count }  // ASCII ends a character
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            return bytes.count - start < length ? start : bytes.count
        }
        return bytes.count
    }

    // MARK: Hex

    /// A data entry as a header line and `hexdump -C` rows at its stream offsets; events as text lines.
    public mutating func appendHex(_ entry: LogEntry, to out: inout [UInt8]) {
        guard entry.kind.isData else {
            appendText(entry, to: &out)
            return
        }
        appendTime(entry.time, to: &out)
        if let socket = entry.socket { out.append(contentsOf: "\(socket) ".utf8) }
        out.append(contentsOf: "\(entry.kind == .send ? ">" : "<") \(entry.bytes.count)".utf8)
        if let peer = entry.peer { out.append(contentsOf: " \(entry.kind == .send ? "to" : "from") \(peer)".utf8) }
        if let relay = entry.relay { out.append(contentsOf: " \(relay.direction.short) \(relay.partner)".utf8) }
        out.append(0x0a)
        entry.bytes.withUnsafeBytes { HexDump.append($0, startOffset: entry.streamOffset, into: &out) }
    }

    /// Formats in the given file format. pcapng is no line format (`LogFileWriter` encodes it
    /// with a `LogCapture`): asked for it, this writes JSON lines, the lossless one.
    public mutating func append(_ entry: LogEntry, format: LogFormat, to out: inout [UInt8]) {
        switch format {
        case .text: appendText(entry, to: &out)
        case .jsonl, .pcapng: appendJSON(entry, to: &out)
        case .hex: appendHex(entry, to: &out)
        }
    }
}
