// ReplayDecoding — what `replay FILE socket=#N` reads from a record/save file, fed in pieces: the
// chunks socket N sent (or received), with their times and UDP peers, and how many bytes went the
// other way between them. Every file is read twice: the first pass checks all of it (a damaged file
// fails before anything is sent) and finds socket N — in a pcapng file, which stream and end it is,
// an end that may be named after its first bytes — the second takes its chunks. Memory holds one
// line, or one block and one chunk, whatever the file's size.

import SocketKit

/// Which of a recorded socket's directions is replayed.
public enum ReplayDirection: String, CaseIterable, Sendable {
    case sent, received
}

/// What a decoder found.
enum ReplayItem: Equatable {
    /// A chunk of the replayed direction.
    case chunk(time: Microseconds, bytes: [UInt8], peer: SocketAddress?)
    /// Bytes that went the other way (what `wait=on` waits for).
    case reply(Int)
}

/// A file `replay` cannot use, with where and why.
struct ReplayFileError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Decodes one file for one socket and direction.
enum ReplayDecoder {
    case jsonl(JSONLReplayDecoder)
    case pcapng(PcapngReplayDecoder)

    /// Picks the decoder by the file's first bytes: a pcapng Section Header or a JSON object.
    static func detect(_ first: some Collection<UInt8>, socket: Int, direction: ReplayDirection) throws(ReplayFileError) -> ReplayDecoder {
        let head = Array(first.prefix(4))
        if head == [0x0a, 0x0d, 0x0d, 0x0a] { return .pcapng(PcapngReplayDecoder(socket: socket, direction: direction)) }
        if head.first == UInt8(ascii: "{") { return .jsonl(JSONLReplayDecoder(socket: socket, direction: direction)) }
        throw ReplayFileError("neither sockpit's JSON lines (record FILE jsonl) nor pcapng: it starts with "
                              + head.map { "\\x" + String($0, radix: 16) }.joined())
    }

    /// Reads the next bytes of the file.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (ReplayItem) -> Void) throws(ReplayFileError) {
        switch self {
        case .jsonl(var decoder):
            defer { self = .jsonl(decoder) }
            try decoder.feed(bytes, emit)
        case .pcapng(var decoder):
            defer { self = .pcapng(decoder) }
            try decoder.feed(bytes, emit)
        }
    }

    /// True when socket N is a UDP socket (known after the first pass).
    var isDatagram: Bool {
        switch self {
        case .jsonl(let decoder): decoder.isDatagram
        case .pcapng(let decoder): decoder.isDatagram
        }
    }

    /// The file ended. True: read it again from the start (the second pass).
    mutating func endOfFile(_ emit: (ReplayItem) -> Void) throws(ReplayFileError) -> Bool {
        switch self {
        case .jsonl(var decoder):
            defer { self = .jsonl(decoder) }
            return try decoder.endOfFile(emit)
        case .pcapng(var decoder):
            defer { self = .pcapng(decoder) }
            return try decoder.endOfFile(emit)
        }
    }
}

/// Sockets a file names, for the error when socket N is not among them (the first few).
struct SeenSockets {
    private(set) var ids: Set<Int> = []
    static let listed = 20
    mutating func add(_ id: Int) { if ids.count < Self.listed { ids.insert(id) } }
    func missing(_ socket: Int) -> ReplayFileError {
        let names = ids.sorted().map { "#\($0)" }.joined(separator: " ")
        return ReplayFileError("no data of socket #\(socket) in the file" + (ids.isEmpty ? " (it has no socket data)" : " (it has \(names))"))
    }
}

// MARK: JSON lines

/// sockpit's JSON lines: `send`/`recv` events of socket N, `data_b64` decoded.
struct JSONLReplayDecoder {
    let socket: Int
    let direction: ReplayDirection
    private var line: [UInt8] = []
    private var lineNumber = 0
    private var found = false
    private var seen = SeenSockets()
    private var pass = 1
    /// Its data events name a `peer`: it is a UDP socket.
    private(set) var isDatagram = false

    init(socket: Int, direction: ReplayDirection) {
        self.socket = socket
        self.direction = direction
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (ReplayItem) -> Void) throws(ReplayFileError) {
        var start = 0
        while start < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
            let newline = rest.firstIndex(of: 0x0a).map { $0 - rest.startIndex }
            let piece = rest[rest.startIndex ..< rest.startIndex + (newline ?? rest.count)]
            guard line.count + piece.count <= Limits.replayLineBytes else {
                throw ReplayFileError("line \(lineNumber + 1) is longer than \(Units.byteSize(Int64(Limits.replayLineBytes), exact: true))")
            }
            line.append(contentsOf: piece)
            guard newline != nil else { return }
            start += piece.count + 1
            try finishLine(emit)
        }
    }

    mutating func endOfFile(_ emit: (ReplayItem) -> Void) throws(ReplayFileError) -> Bool {
        if !line.isEmpty { try finishLine(emit) }
        guard found else { throw seen.missing(socket) }
        guard pass == 1 else { return false }
        pass = 2
        lineNumber = 0
        return true
    }

    private mutating func finishLine(_ emit: (ReplayItem) -> Void) throws(ReplayFileError) {
        lineNumber += 1
        defer { line.removeAll(keepingCapacity: line.count <= 1 << 20) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0d || $0 == 0x09 }) { return }
        let parsed = line.withUnsafeBufferPointer { JSONFields.parse($0) }
        let fields: JSONFields
        switch parsed {
        case .success(let value): fields = value
        case .failure(let error): throw ReplayFileError("line \(lineNumber): \(error.reason)")
        }
        guard let event = fields.string("event"), event == Array("send".utf8) || event == Array("recv".utf8) else { return }
        guard let id = fields.integer("id") else { throw ReplayFileError("line \(lineNumber): a data event without an \"id\"") }
        seen.add(id)
        guard id == socket else { return }
        guard let text = fields.string("data_b64"), let bytes = Base64.decode(text) else {
            throw ReplayFileError("line \(lineNumber): \"data_b64\" is missing or not Base64")
        }
        guard let time = fields.string("t").flatMap(ISO8601Time.parse) else {
            throw ReplayFileError("line \(lineNumber): \"t\" is missing or not an ISO 8601 time")
        }
        let peer = fields.string("peer").flatMap { Self.address(String(decoding: $0, as: UTF8.self)) }
        if pass == 1 {
            found = true
            if peer != nil { isDatagram = true }
            return
        }
        let isSent = event == Array("send".utf8)
        if isSent == (direction == .sent) {
            emit(.chunk(time: time, bytes: bytes, peer: peer))
        } else {
            emit(.reply(bytes.count))
        }
    }

    /// A datagram's `peer` as written: `127.0.0.1:5000` or `[::1]:5000`.
    static func address(_ text: String) -> SocketAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return SocketAddress(numericHost: String(host), port: port)
    }
}

/// ISO 8601 times as sockpit writes them: `2026-12-02T14:22:58.123456Z` or with `+01:00`.
enum ISO8601Time {
    static func parse(_ text: [UInt8]) -> Microseconds? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= text.count else { return nil }
            var value = 0
            for byte in text[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard text.count >= 20, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: "T"),
              let year = number(0 ..< 4), let month = number(5 ..< 7), let day = number(8 ..< 10),
              let hour = number(11 ..< 13), let minute = number(14 ..< 16), let second = number(17 ..< 19),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var at = 19
        var micros = 0
        if at < text.count, text[at] == UInt8(ascii: ".") {
            at += 1
            var digits = 0
            while at < text.count, (0x30...0x39).contains(text[at]) {
                if digits < 6 { micros = micros * 10 + Int(text[at] - 0x30) }
                digits += 1
                at += 1
            }
            for _ in digits ..< 6 where digits < 6 { micros *= 10 }
        }
        var offset = 0
        if at < text.count, text[at] == UInt8(ascii: "+") || text[at] == UInt8(ascii: "-") {
            guard let hours = number(at + 1 ..< at + 3), let minutes = number(at + 4 ..< at + 6) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (text[at] == UInt8(ascii: "-") ? -1 : 1)
            at += 6
        } else if at < text.count, text[at] == UInt8(ascii: "Z") {
            at += 1
        } else {
            return nil
        }
        guard at == text.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Int64(seconds) * 1_000_000 + Int64(micros)
    }
}

// MARK: pcapng

/// A pcapng file written by sockpit: its comments name the sockets, PSH ends each chunk.
struct PcapngReplayDecoder {
    let socket: Int
    let direction: ReplayDirection
    private var reader = PcapngReader()
    private var reassembler = CaptureReassembler()
    private var pass = 1
    private var seen = SeenSockets()
    /// Found in the first pass: socket N's stream and whether it is the initiator, or its UDP endpoint.
    private var stream: (index: Int, isInitiator: Bool)?
    private var endpoint: SocketAddress?
    private var chunk: (time: Microseconds, bytes: [UInt8])?
    var isDatagram: Bool { endpoint != nil }

    init(socket: Int, direction: ReplayDirection) {
        self.socket = socket
        self.direction = direction
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (ReplayItem) -> Void) throws(ReplayFileError) {
        reader.append(bytes)
        while let block = try nextBlock() {
            guard case .packet(let packet) = block else { continue }
            var items: [CaptureReassembler.Item] = []
            reassembler.add(packet) { items.append($0) }
            guard reassembler.streams.count <= Limits.replayStreams else {
                throw ReplayFileError("pcapng: more than \(Limits.replayStreams) TCP streams")
            }
            for item in items { try take(item, emit) }
        }
    }

    private mutating func nextBlock() throws(ReplayFileError) -> PcapngBlock? {
        do throws(PcapngError) { return try reader.next() } catch { throw ReplayFileError("pcapng: \(error.message)") }
    }

    private mutating func take(_ item: CaptureReassembler.Item, _ emit: (ReplayItem) -> Void) throws(ReplayFileError) {
        if pass == 1 {
            if case .socketNamed(let id, let named, _, let index, let isInitiator) = item {
                seen.add(id)
                if id == socket, stream == nil, endpoint == nil {
                    if let index { stream = (index, isInitiator) } else { endpoint = named }
                }
            }
            return
        }
        switch item {
        case .streamBytes(let index, let fromInitiator, let bytes, let time, let endsChunk):
            guard let stream, index == stream.index else { return }
            let isSent = fromInitiator == stream.isInitiator
            guard isSent == (direction == .sent) else { emit(.reply(bytes.count)); return }
            if chunk == nil { chunk = (time, []) }
            chunk!.bytes.append(contentsOf: bytes)
            if endsChunk || chunk!.bytes.count >= Limits.replayChunkBytes { flushChunk(emit) }
        case .datagram(let source, let destination, let bytes, let time):
            guard let endpoint else { return }
            if source == endpoint {
                if direction == .sent { emit(.chunk(time: time, bytes: Array(bytes), peer: destination)) } else { emit(.reply(bytes.count)) }
            } else if destination == endpoint {
                if direction == .received { emit(.chunk(time: time, bytes: Array(bytes), peer: source)) } else { emit(.reply(bytes.count)) }
            }
        case .streamEnded(let index, _, _):
            if index == stream?.index { flushChunk(emit) }
        case .socketNamed:
            return
        }
    }

    private mutating func flushChunk(_ emit: (ReplayItem) -> Void) {
        guard let chunk else { return }
        self.chunk = nil
        emit(.chunk(time: chunk.time, bytes: chunk.bytes, peer: nil))
    }

    mutating func endOfFile(_ emit: (ReplayItem) -> Void) throws(ReplayFileError) -> Bool {
        guard reader.isAtBlockBoundary else { throw ReplayFileError("pcapng: the file ends inside a block") }
        if pass == 2 {
            flushChunk(emit)
            return false
        }
        guard stream != nil || endpoint != nil else { throw seen.missing(socket) }
        pass = 2
        reader = PcapngReader()
        reassembler = CaptureReassembler()
        return true
    }
}
