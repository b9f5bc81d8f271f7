// Replaying — `replay FILE socket=#N …` as an operation: the file is read a slice per wake-up
// (checked whole first, then decoded a bounded distance ahead of sending), a new connection made
// when a HOST:PORT was given, and the chunks sent with their recorded gaps scaled by `speed`, after
// each one, with `wait=on`, as many bytes back as the recording saw.

import DequeModule
import Glibc
import SocketKit

/// Where `replay` sends.
public enum ReplayDestination: Equatable, Sendable {
    /// An open connection (`#N`, `.`).
    case socket(Target)
    /// A new connection to this endpoint (TCP, or UDP when the recorded socket was UDP).
    case connect(EndpointSpec)
}

/// What `replay` was asked to do.
public struct ReplayRequest: Equatable, Sendable {
    public var path: String
    public var socket: Int
    public var direction: ReplayDirection = .sent
    public var destination: ReplayDestination = .socket(.selected)
    /// Gaps are divided by this; nil: `speed=max`, no gaps.
    public var speed: Double? = 1
    public var waitForReplies = false

    public init(path: String, socket: Int) {
        self.path = path
        self.socket = socket
    }
}

/// One replay in progress: the file, the chunks read ahead, where they go.
final class ReplayRun {
    private struct Chunk {
        var time: Microseconds
        var bytes: [UInt8]
        var peer: SocketAddress?
        /// Bytes the other way after this chunk, before the next (what `wait=on` waits for).
        var replyBytes = 0
    }

    private enum Phase {
        /// The first pass: the whole file read and checked; nothing sent yet.
        case checking
        /// Waiting for the new connection.
        case connecting
        case sending
    }

    let request: ReplayRequest
    let shown: String
    private let fd: Int32
    private let system: SystemCalls
    private var decoder: ReplayDecoder?
    private var phase = Phase.checking
    private var offset = 0
    private var atEnd = false
    private var ahead: Deque<Chunk> = []
    private var aheadBytes = 0
    /// The last chunk decoded: its reply count grows until the next one comes.
    private var last: Chunk?
    private(set) var target: SocketID?
    /// Counts for the status line and the summary.
    private(set) var chunksSent = 0
    private(set) var bytesSent = 0
    /// The previous chunk sent: its recorded time, when it was sent (monotonic), the replies it
    /// waits for and the target's received count then.
    private var previous: (time: Microseconds, sentAt: Int64, replyBytes: Int, receivedBefore: UInt64)?
    private var replyDeadline: Int64?
    private(set) var nextWake: Int64?
    private var lastProgress: Int64 = 0

    /// How long `wait=on` waits for the recorded reply before failing.
    static let replyWait: Int64 = 30_000_000
    /// Bytes waiting in the target's send queue above which the next chunk waits (the peer reads slowly).
    static let sendQueueRoom = 1 << 20

    init(request: ReplayRequest, system: SystemCalls) throws(CommandError) {
        self.request = request
        self.system = system
        shown = Sanitizer.clean(request.path)
        do {
            fd = try system.openFile(request.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, shown: shown)
        } catch {
            throw CommandError(error.renamed(call: "replay"))
        }
        var info = stat()
        if fstat(fd, &info) != 0 || info.st_mode & S_IFMT != S_IFREG {
            Glibc.close(fd)
            throw CommandError("replay: \(shown) is not a regular file (replay reads it twice)")
        }
    }

    deinit { Glibc.close(fd) }

    /// True while the file should be read on: the check pass, or chunks ahead below the bound.
    var wantsToRead: Bool { !atEnd && (phase == .checking || aheadBytes < Limits.replayReadAhead) }

    /// True once the file is checked and the chunks may go.
    var isChecked: Bool { phase != .checking }
    var isDatagram: Bool { decoder?.isDatagram ?? false }

    /// Reads the next slice of the file: the whole check pass, then only while the chunks ahead
    /// are below `Limits.replayReadAhead`.
    func readSome() throws(ReplayFileError) {
        guard wantsToRead else { return }
        var buffer = [UInt8](repeating: 0, count: Limits.replayReadPerWake)
        let read: Result<Int, SystemError> = buffer.withUnsafeMutableBytes { raw in
            do throws(SystemError) { return .success(try system.pread(fd, into: raw, at: offset, shown: shown)) } catch { return .failure(error) }
        }
        let count: Int
        switch read {
        case .success(let value): count = value
        case .failure(let error): throw ReplayFileError("\(error)")
        }
        if decoder == nil {
            guard count > 0 else { throw ReplayFileError("the file is empty") }
            decoder = try ReplayDecoder.detect(buffer[..<count], socket: request.socket, direction: request.direction)
        }
        if count == 0 {
            if try decoder!.endOfFile({ take($0) }) {
                offset = 0
                phase = .connecting
            } else {
                atEnd = true
                if let last { push(last) }
                last = nil
            }
            return
        }
        let at = offset
        offset += count
        var failure: ReplayFileError?
        buffer.withUnsafeBytes { raw in
            do throws(ReplayFileError) {
                try decoder!.feed(UnsafeRawBufferPointer(rebasing: raw[..<count])) { take($0) }
            } catch {
                failure = error
            }
        }
        if let failure { throw ReplayFileError("\(failure.message) (in the \(count) bytes read at offset \(at))") }
    }

    private func take(_ item: ReplayItem) {
        switch item {
        case .chunk(let time, let bytes, let peer):
            if let last { push(last) }
            last = Chunk(time: time, bytes: bytes, peer: peer)
        case .reply(let count):
            last?.replyBytes += count
        }
    }

    private func push(_ chunk: Chunk) {
        ahead.append(chunk)
        aheadBytes += chunk.bytes.count
    }

    /// The connection is there: chunks go from now on.
    func start(on id: SocketID) {
        target = id
        phase = .sending
    }

    /// True when every chunk has gone.
    var isFinished: Bool { phase == .sending && atEnd && ahead.isEmpty }

    /// Sends what is due. `received` is the target's received byte count now, `queued` what its
    /// send queue holds; `send` transmits one chunk and throws when the target cannot take it.
    func sendDue(received: UInt64, queued: Int, _ send: ([UInt8], SocketAddress?) throws(CommandError) -> Void) throws(CommandError) {
        nextWake = nil
        var budget = Limits.writeBytesPerWake
        while budget > 0, let chunk = ahead.first {
            let now = MonotonicClock.now()
            if let previous {
                if request.waitForReplies, received < previous.receivedBefore + UInt64(previous.replyBytes) {
                    let deadline = replyDeadline ?? now + Self.replyWait
                    replyDeadline = deadline
                    if now >= deadline {
                        throw CommandError("replay: waited \(Units.duration(Self.replyWait)) for \(previous.replyBytes) bytes back "
                                           + "after chunk \(chunksSent); got \(received - previous.receivedBefore)")
                    }
                    nextWake = deadline
                    return
                }
                if let speed = request.speed {
                    let gap = Int64(Double(max(0, chunk.time - previous.time)) / speed)
                    let due = previous.sentAt + gap
                    if now < due {
                        nextWake = due
                        return
                    }
                }
            }
            if queued > Self.sendQueueRoom { return }  // the peer reads slowly: wait for the queue to drain
            try send(chunk.bytes, chunk.peer)
            replyDeadline = nil
            ahead.removeFirst()
            aheadBytes -= chunk.bytes.count
            previous = (chunk.time, now, chunk.replyBytes, received)
            chunksSent += 1
            bytesSent += chunk.bytes.count
            budget -= chunk.bytes.count
            if request.waitForReplies { return }  // the reply comes after this wake-up at the earliest
        }
        if budget <= 0 { nextWake = MonotonicClock.now() }
    }

    /// True at most every quarter second: time to show progress.
    func progressDue() -> Bool {
        let now = MonotonicClock.now()
        guard now - lastProgress >= 250_000 else { return false }
        lastProgress = now
        return true
    }
}

extension Engine {
    /// `replay FILE socket=#N …`: an operation (a script waits for it, the prompt does not).
    func replay(_ request: ReplayRequest, origin: CommandOrigin) throws(CommandError) -> Outcome {
        if case .socket(let target) = request.destination {
            let id = try resolve(target, "replay")
            try replayTarget(id)
        }
        let run = try ReplayRun(request: request, system: system)
        var connecting: SocketID?
        let label = "replay \(run.shown) #\(request.socket)"
        let poll: () -> Status? = { [unowned self] in
            do throws(CommandError) {
                if !run.isChecked {
                    try self.replayRead(run)
                    guard run.isChecked else { return nil }
                    switch request.destination {
                    case .socket(let target): run.start(on: try self.resolve(target, "replay"))
                    case .connect(let endpoint): // A UDP socket's datagrams go over a new UDP connection.
                        connecting = try self.connect(ConnectRequest(endpoint, transport: run.isDatagram ? .udp : .tcp,
                                                                     timeout: ConnectOptions.defaultTimeout, command: "replay"))
                    }
                }
                if let id = connecting {
                    guard let entry = self.table[id] else { throw CommandError("replay: \(id) is gone") }
                    switch entry.state {
                    case .established: run.start(on: id); connecting = nil
                    case .failed(let reason): throw CommandError("replay: \(reason)")
                    case .closed: throw CommandError("replay: \(id) closed before it connected")
                    default: return nil
                    }
                }
                guard let id = run.target else { return nil }
                try self.replayRead(run)
                guard let record = self.sockets.record(id), let entry = self.table[id] else {
                    throw CommandError("replay: \(id) closed after \(run.chunksSent) chunks (\(run.bytesSent) bytes)")
                }
                try run.sendDue(received: entry.bytesIn, queued: record.stream.sendQueue.byteCount) { bytes, peer throws(CommandError) in
                    try self.data.transmit(bytes, on: record, to: self.table[id]?.role == .datagram ? peer : nil)
                    if self.sockets.record(id) == nil {
                        throw CommandError("replay: \(record.stream.lostError.map { "\($0)" } ?? "\(id) closed") after \(run.chunksSent) chunks")
                    }
                }
                if run.isFinished {
                    return .ok("replayed \(run.chunksSent) chunks (\(run.bytesSent) bytes) \(request.direction == .sent ? "sent" : "received") by #\(request.socket) "
                               + "in \(run.shown) to \(id)")
                }
                if run.progressDue() {
                    self.status = .ok("\(label): \(run.chunksSent) chunks, \(run.bytesSent) bytes sent to \(id)…")
                    self.markChanged()
                }
                return nil
            } catch {
                return .error(error.message)
            }
        }
        let operation = Operation(label: label, origin: origin, timeout: nil, poll: poll) { .error("\(label): timed out") }
        operation.nextWake = { run.wantsToRead || run.target == nil && connecting == nil ? MonotonicClock.now() : run.nextWake }
        return begin(operation, progress: "\(label): reading \(run.shown)…")
    }

    private func replayRead(_ run: ReplayRun) throws(CommandError) {
        do { try run.readSome() } catch { throw CommandError("replay \(run.shown): \(error.message)") }
    }

    /// A socket replay may send on: open, no listener.
    private func replayTarget(_ id: SocketID) throws(CommandError) {
        let record = try openRecord(id)
        if table[id]?.role == .listener { throw CommandError("replay: \(id) is a listener; replay to one of its connections") }
        if record.stream.writeShut { throw CommandError("replay \(id): writing was shut down") }
    }
}
