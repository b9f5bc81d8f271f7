// CommandRunner.swift — runs a parsed command against the engine: resolves targets and payloads,
// calls the feature, and turns every failure into one `error: …` status that changed nothing.

import Glibc
import SocketKit

extension Engine {
    /// Parses and runs one line.
    func run(_ text: String, origin: CommandOrigin) -> Outcome {
        let command: Command?
        do {
            command = try CommandParser.parse(text)
        } catch {
            return .done(.error(error.message))
        }
        guard let command else { return .done(.ok("")) }
        do {
            return try run(command, origin: origin)
        } catch {
            return .done(.error(error.message))
        }
    }

    /// Runs a parsed command.
    func run(_ command: Command, origin: CommandOrigin) throws(CommandError) -> Outcome {
        switch command {
        case .listen(let kind, let endpoint, let options):
            let request = try listenRequest(kind, endpoint, options)
            let id = try listen(request)
            let entry = table[id]!
            return .done(.ok("\(id) listening on \(entry.protocolName) \(entry.local.map { "\($0)" } ?? "")"
                + (request.port == 0 && request.path == nil ? " (port \(entry.local?.port ?? 0) picked by the kernel)" : "")))

        case .connect(let kind, let endpoint, let options):
            let request = try connectRequest(kind, endpoint, options)
            let id = try connect(request)
            return try wait(for: .connected, on: id, timeout: request.timeout + 1_000_000, origin: origin)
                .relabeled(progress: "\(id) connecting to \(Sanitizer.clean(request.target))…")

        case .accept(let target):
            let listener = try acceptTarget(target)
            let id = try acceptManually(listener)
            return .done(.ok("accepted \(id) from \(table[id]?.remote.map { "\($0)" } ?? "peer") via \(listener)"))

        case .send(let target, let to, let payload):
            return .done(try send(target, to: to, pieces: try outgoing(payload, then: [])))

        case .sendl(let target, let to, let payload):
            return .done(try send(target, to: to, pieces: try outgoing(payload, then: settings.eol.bytes)))

        case .recv(let target, let count, let waitAll):
            return try receive(on: try resolve(target, "recv"), count: count, all: waitAll, origin: origin)

        case .pause(let target):
            return .done(.ok(try forEachTarget(target, "pause") { id throws(CommandError) in try setPaused(id, true) }))

        case .resume(let target):
            return .done(.ok(try forEachTarget(target, "resume") { id throws(CommandError) in try setPaused(id, false) }))

        case .shutdown(let target, let how):
            return .done(.ok(try forEachTarget(target, "shutdown") { id throws(CommandError) in try shutdownSocket(id, how) }))

        case .close(let target):
            return .done(.ok(try forEachTarget(target, "close") { id throws(CommandError) in try closeSocket(id) }))

        case .reset(let target):
            return .done(.ok(try forEachTarget(target, "reset") { id throws(CommandError) in try resetSocket(id) }))

        case .reply(let target, let mode):
            let reply = try autoReply(mode)
            return .done(.ok(try forEachTarget(target, "reply", includeListeners: true) { id throws(CommandError) in
                _ = try openRecord(id)
                update(id) { $0.reply = reply == .off ? nil : reply }
                event(id, .event, "reply \(reply)")
                return "\(id) replies \(reply)" + (table[id]?.role.isListening == true && table[id]?.transport != .udp ? " to every accepted peer" : "")
            }))

        case .banner(let target, let payload):
            let id = try resolve(target, "banner")
            guard table[id]?.role == .listener else { throw CommandError("banner: \(id) is not a listening stream socket") }
            _ = try openRecord(id)
            let bytes = try payload.map { p throws(CommandError) in try self.bytes(of: p) }
            update(id) { $0.banner = bytes }
            event(id, .event, bytes.map { "banner \"\(Sanitizer.escape($0))\"" } ?? "banner off")
            return .done(.ok(bytes.map { "\(id) greets each new peer with \($0.count) bytes" } ?? "\(id) banner off"))

        case .sockopt(let target, let name, let value):
            return .done(.ok(try forEachTarget(target, "sockopt") { id throws(CommandError) in
                let answer = try sockopt(id, name, value)
                // A value read is the command's answer: it goes to the log too, so headless runs
                // print it (a set logs an event already).
                if name != nil && value == nil { output([answer], socket: id) }
                return answer
            }))

        case .sessionInfo:
            output(sessionSummary())
            return .done(.ok("session summary in the log"))
        case .info(let target):
            if case .selected = target, selected == nil {
                output(sessionSummary())
                return .done(.ok("session summary in the log"))
            }
            return .done(.ok(try forEachTarget(target, "info") { id throws(CommandError) in
                output(try info(id), socket: id)
                return "\(id) info in the log"
            }))

        case .resolve(let host):
            return resolveCommand(host, origin: origin)

        case .scan(let host, let ports, let timeout):
            return scan(host: host, ports: ports.ports, timeout: timeout, origin: origin)

        case .http(let destination, let path):
            return try httpCommand(destination, path: path, origin: origin)

        case .pair:
            let (first, second) = try makePair()
            return .done(.ok("paired \(first) ⇄ \(second); \(first) is selected"))

        case .trace(let on):
            setTracing(on)
            settings.trace = on
            event(nil, .event, on ? "trace on: every system call is logged" : "trace off")
            return .done(.ok(on ? "trace on" : "trace off"))

        case .view(let mode):
            view.mode = mode
            markChanged()
            return .done(.ok("view \(mode.rawValue)"))

        case .filter(let target):
            if case .all = target {
                view.filter = nil
                markChanged()
                return .done(.ok("showing every socket"))
            }
            let id = try resolve(target, "filter")
            view.filter = id
            markChanged()
            return .done(.ok("showing \(id) only" + (table[id]?.role == .listener ? " and its peers" : "")))

        case .find(let payload):
            let needle = try bytes(of: payload)
            guard !needle.isEmpty else { throw CommandError("find: nothing to find") }
            view.search = needle
            view.searchGeneration += 1
            view.follow = false
            markChanged()
            var matches = 0
            log.forEach { entry in
                if entry.kind.isData ? Engine.find(needle, in: entry.bytes) != nil : Engine.find(needle, in: Array(entry.text.utf8)) != nil {
                    matches += 1
                }
            }
            return .done(.ok("\"\(Sanitizer.escape(needle))\" found in \(matches) log entries"))

        case .clear:
            let count = log.count
            log.removeAll()
            markChanged()
            return .done(.ok("cleared \(count) entries from the screen log" + (recorder != nil ? " (the record file keeps them)" : "")))

        case .follow:
            view.follow = true
            markChanged()
            return .done(.ok("following new entries"))

        case .save(let path, let format):
            return .done(.ok(try save(path: path, format: format)))

        case .record(let action):
            switch action {
            case .start(let path, let format):
                return .done(.ok(try startRecording(path: path, format: format)))
            case .off:
                guard let summary = stopRecording() else { throw CommandError("record off: not recording") }
                event(nil, .event, summary)
                return .done(.ok(summary))
            }

        case .set(let name, let value):
            return .done(try setCommand(name, value))

        case .expect(let target, let payload, let timeout):
            return try expect(try bytes(of: payload), on: try resolve(target, "expect"), timeout: timeout, origin: origin)

        case .wait(let target, let condition, let timeout):
            return try wait(for: condition, on: try resolve(target, "wait"), timeout: timeout, origin: origin)

        case .select(let target):
            let id = try resolve(target, "select")
            select(id)
            return .done(.ok("selected \(id)"))

        case .sleep(let micros):
            return sleep(micros, origin: origin)

        case .echo(let text):
            output([Sanitizer.clean(text)])
            return .done(.ok(Sanitizer.clean(text)))

        case .source(let path):
            // Inside a session a FIFO or a terminal would block the loop in open or read until
            // someone writes; `--script <(…)` at start-up may still read a pipe.
            var info = stat()
            if stat(path, &info) == 0, [S_IFIFO, S_IFSOCK, S_IFCHR].contains(info.st_mode & S_IFMT) {
                throw CommandError("source \(Sanitizer.clean(path)): not a regular file: sockpit reads only files that cannot keep it waiting")
            }
            let lines = try ScriptSource.read(path)
            if origin == .script {
                script.insertNext(lines)
            } else {
                enqueueScript(lines, keepGoing: false)
            }
            return .done(.ok("running \(lines.count) lines from \(Sanitizer.clean(path))"))

        case .help(let name):
            output(HelpText.lines(for: name))
            helpRequested?(name?.rawValue)
            return .done(.ok(name.map { "help for \($0.rawValue) in the log" } ?? "help in the log (F1 on the screen)"))

        case .quit:
            quitRequested = true
            return .done(.ok("bye"))
        }
    }

    // MARK: Targets

    /// One socket for a command: `#N`, or the selected one.
    func resolve(_ target: Target, _ command: String) throws(CommandError) -> SocketID {
        switch target {
        case .id(let number):
            let id = SocketID(number)
            guard table[id] != nil else { throw CommandError("\(command): no socket \(id)") }
            return id
        case .selected:
            guard let selected else {
                throw CommandError("\(command): no socket selected — give one like #1, or open one first")
            }
            return selected
        case .all:
            throw CommandError("\(command) takes one socket, not *")
        }
    }

    /// Runs `body` for one target, or for every open connection with `*`; joins the answers.
    private func forEachTarget(_ target: Target, _ command: String, includeListeners: Bool = false,
                               _ body: (SocketID) throws(CommandError) -> String) throws(CommandError) -> String {
        guard case .all = target else { return try body(try resolve(target, command)) }
        let ids = (includeListeners ? table.order.compactMap { table[$0] }.filter { $0.state.isOpen } : table.openConnections).map(\.id)
        guard !ids.isEmpty else { throw CommandError("\(command) *: no open connections") }
        for id in ids { _ = try body(id) }
        return "\(command): \(ids.count) sockets"
    }

    /// The listener `accept` works on: the target if it is a listener; with no target, the
    /// selected socket's listener or the only manual listener.
    private func acceptTarget(_ target: Target) throws(CommandError) -> SocketID {
        if case .selected = target {
            if let selected, table[selected]?.role == .listener { return selected }
            if let selected, let parent = table[selected]?.parent { return parent }
            let manual = table.listeners.filter { $0.acceptMode == .manual && $0.state.isOpen }
            if manual.count == 1 { return manual[0].id }
            throw CommandError("accept: which listener? give one like #1")
        }
        return try resolve(target, "accept")
    }

    // MARK: Payloads

    /// The largest file read whole: `@FILE` in `expect`, `reply`, `banner`, `find`, a UDP
    /// datagram, or a `send` from a pipe or device. `send @FILE` of a regular file streams instead
    /// and has no limit.
    static let payloadFileLimit = 16 << 20

    /// What a send queues: literal bytes, regular files as regions read while they stream, and
    /// other files (pipes, devices) read whole within `payloadFileLimit`. Every file is opened
    /// here, before anything is sent, so a bad `@path` fails the command and sends nothing.
    func outgoing(_ payload: Payload, then suffix: [UInt8]) throws(CommandError) -> [OutgoingPiece] {
        var pieces: [OutgoingPiece] = []
        // Adjacent bytes leave in one write, as one log entry (`sendl hello` is one 6-byte send).
        func append(_ bytes: [UInt8]) {
            if case .bytes(let previous)? = pieces.last {
                pieces[pieces.count - 1] = .bytes(previous + bytes)
            } else if !bytes.isEmpty {
                pieces.append(.bytes(bytes))
            }
        }
        for piece in payload.pieces {
            switch piece {
            case .bytes(let bytes):
                append(bytes)
            case .file(let path):
                if let file = try PayloadFile.open(path) {
                    pieces.append(.file(FileRegion(file: file, offset: 0, end: file.size)))
                } else {
                    append(try Engine.readPayloadFile(path))
                }
            }
        }
        append(suffix)
        return pieces
    }

    /// All of `pieces` in memory, for a datagram (which leaves in one piece), within `payloadFileLimit`.
    static func contiguous(_ pieces: [OutgoingPiece]) throws(CommandError) -> [UInt8] {
        let total = pieces.reduce(0) { $0 + $1.count }
        guard total <= payloadFileLimit else {
            throw CommandError("send: \(total) bytes are more than a datagram can hold (and more than \(payloadFileLimit >> 20) MiB)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for piece in pieces {
            switch piece {
            case .bytes(let part):
                bytes += part
            case .file(var region):
                while region.remaining > 0 {
                    let read = SendQueue.withNextChunk(of: region) { raw in
                        bytes.append(contentsOf: raw)
                        return raw.count
                    }
                    switch read {
                    case .failure(let failure): throw CommandError("@\(Sanitizer.clean(failure.path)): \(failure.reason)")
                    case .success(let count): region.offset += count ?? 0
                    }
                }
            }
        }
        return bytes
    }

    /// The bytes of a payload, reading `@file` pieces now.
    func bytes(of payload: Payload) throws(CommandError) -> [UInt8] {
        var result: [UInt8] = []
        for piece in payload.pieces {
            switch piece {
            case .bytes(let bytes): result += bytes
            case .file(let path): result += try Engine.readPayloadFile(path)
            }
        }
        return result
    }

    static func readPayloadFile(_ path: String) throws(CommandError) -> [UInt8] {
        let fd = try PayloadFile.openWithoutBlocking(path).fd
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                throw CommandError(SystemError(call: "read", context: "@\(path)", code: Glibc.errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > payloadFileLimit { throw CommandError("@\(path): larger than \(payloadFileLimit >> 20) MiB") }
        }
        return bytes
    }

    private func autoReply(_ mode: ReplyMode) throws(CommandError) -> AutoReply {
        switch mode {
        case .off: .off
        case .echo: .echo
        case .reverse: .reverse
        case .template(let payload): .template(try bytes(of: payload))
        }
    }

    // MARK: Command helpers

    private func listenRequest(_ kind: TransportKind, _ endpoint: EndpointSpec, _ options: ListenOptions) throws(CommandError) -> ListenRequest {
        guard options.backlog >= 0, options.backlog <= Int(Int32.max) else { throw CommandError("listen: backlog=\(options.backlog) out of range") }
        var request = ListenRequest(transport: Transport(kind), backlog: Int32(options.backlog), reply: try autoReply(options.reply),
                                    acceptMode: options.accept == .manual ? .manual : .auto)
        switch endpoint {
        case .hostPort(let host, let port):
            request.host = host
            request.port = port
        case .allInterfaces(let port):
            request.allInterfaces = true
            request.port = port
        case .path(let path):
            request.path = path
            request.transport = .unix
        }
        if request.transport == .unix && request.path == nil { throw CommandError("listen unix: expected a PATH") }
        return request
    }

    private func connectRequest(_ kind: TransportKind, _ endpoint: EndpointSpec, _ options: ConnectOptions) throws(CommandError) -> ConnectRequest {
        var request = ConnectRequest(transport: Transport(kind), timeout: options.timeoutMicros)
        switch endpoint {
        case .hostPort(let host, let port):
            request.host = host
            request.port = port
        case .allInterfaces:
            throw CommandError("connect: * is for listen; give a host to connect to")
        case .path(let path):
            request.path = path
            request.transport = .unix
        }
        if request.transport == .unix && request.path == nil { throw CommandError("connect unix: expected a PATH") }
        if let from = options.from {
            guard case .hostPort(let host, let port) = from else { throw CommandError("connect: from= expects HOST:PORT") }
            request.fromHost = host
            request.fromPort = port
        }
        return request
    }

    private func send(_ target: Target, to: EndpointSpec?, pieces: [OutgoingPiece]) throws(CommandError) -> Status {
        let total = pieces.reduce(0) { $0 + $1.count }
        var datagram: [UInt8]?
        var peer: SocketAddress?
        if let to {
            guard case .hostPort(let host, let port) = to else { throw CommandError("send: to= expects HOST:PORT") }
            let numeric = host.lowercased() == "localhost" ? "127.0.0.1" : host
            guard let address = SocketAddress(numericHost: numeric, port: port) else {
                throw CommandError("send: to=\(Sanitizer.clean(host)) must be a numeric address (resolve NAME shows them)")
            }
            peer = address
        }
        let ids: [SocketID]
        if case .all = target {
            ids = table.openConnections.map(\.id)
            guard !ids.isEmpty else { throw CommandError("send *: no open connections") }
        } else {
            ids = [try resolve(target, "send")]
        }
        for id in ids {
            let record = try openRecord(id)
            guard let entry = table[id] else { continue }
            if entry.role == .listener { throw CommandError("send: \(id) is a listener; send to one of its connections") }
            if peer != nil && entry.transport != .udp { throw CommandError("send: to= is for UDP sockets; \(id) is \(entry.protocolName)") }
            if record.writeShut { throw CommandError("send \(id): EPIPE (Broken pipe): writing was shut down") }
            if entry.state == .closing { throw CommandError("send \(id): closing") }
            if entry.transport == .udp {
                if datagram == nil { datagram = try Engine.contiguous(pieces) }
                try transmit(datagram ?? [], on: record, to: peer)
            } else {
                transmit(pieces, onStream: record)
            }
            // The write found the connection gone (reset, EPIPE): the bytes were not sent.
            if records[id] == nil { throw CommandError(record.lostError.map { "\($0)" } ?? "send \(id): \(table[id]?.state.name ?? "closed")") }
        }
        let queued = ids.reduce(0) { $0 + (records[$1]?.sendQueue.byteCount ?? 0) }
        let where_ = ids.count == 1 ? "\(ids[0])" + (peer.map { " → \($0)" } ?? "") : "\(ids.count) connections"
        if queued > 0 { return .ok("queued \(total) bytes for \(where_) (\(queued) waiting for the peer to read)") }
        return .ok("sent \(total) bytes to \(where_)")
    }

    private func setCommand(_ name: String?, _ value: String?) throws(CommandError) -> Status {
        guard let name else {
            output(settings.listing())
            return .ok("settings listed in the log")
        }
        guard let value else {
            let answer: String
            do { answer = try settings.get(name) } catch { throw CommandError(error.message) }
            output([answer])
            return .ok(answer)
        }
        var updated = settings
        let confirmation: String
        do { confirmation = try updated.set(name, value) } catch { throw CommandError(error.message) }
        settings = updated
        log.capacity = settings.logcap
        if settings.trace != tracing { setTracing(settings.trace) }
        markChanged()
        return .ok(confirmation)
    }

    private func resolveCommand(_ host: String, origin: CommandOrigin) -> Outcome {
        var answer: Result<[SocketAddress], SystemError>?
        let shown = Sanitizer.clean(host)
        resolve(host: host, port: 0, transport: .tcp) { answer = $0 }
        let operation = Operation(label: "resolve \(shown)", origin: origin, timeout: 30_000_000, poll: { [unowned self] in
            switch answer {
            case nil:
                return nil
            case .failure(let error)?:
                return .error("resolve \(shown): \(error.reason)")
            case .success(let addresses)?:
                self.output(["\(shown) has \(addresses.count) address\(addresses.count == 1 ? "" : "es"):"] + addresses.map { "  \($0.host)" })
                return .ok("\(shown) → " + addresses.map(\.host).joined(separator: ", "))
            }
        }, timedOut: { .error("resolve \(shown): no answer after 30 s") })
        return begin(operation, progress: "resolving \(shown)…")
    }

    private func httpCommand(_ destination: HTTPDestination, path: String, origin: CommandOrigin) throws(CommandError) -> Outcome {
        switch destination {
        case .target(let target):
            let id = try resolve(target, "http")
            let record = try openRecord(id)
            guard table[id]?.role.isListening == false else { throw CommandError("http: \(id) is a listener") }
            _ = record
            let hostHeader = table[id]?.remote.flatMap { remote in remote.port.map { Engine.hostHeader(remote.host, $0) } } ?? "localhost"
            return try http(on: id, hostHeader: hostHeader, path: path, origin: origin)
        case .endpoint(let endpoint):
            guard case .hostPort(let host, let port) = endpoint else { throw CommandError("http: expected HOST:PORT") }
            let id = try connect(ConnectRequest(transport: .tcp, host: host, port: port))
            return try http(on: id, hostHeader: Engine.hostHeader(host, port), path: path, origin: origin)
        }
    }

    /// The `Host` header for a server: the port only when it is not 80, IPv6 in brackets (RFC 9110 §7.2).
    static func hostHeader(_ host: String, _ port: UInt16) -> String {
        (host.contains(":") ? "[\(host)]" : host) + (port == 80 ? "" : ":\(port)")
    }

    /// `info` with nothing selected: the session at a glance.
    func sessionSummary() -> [String] {
        let listeners = table.listeners.filter { $0.state.isOpen }.count
        let open = table.openConnections.count
        var lines = ["session: \(listeners) listening, \(open) open connections, \(table.count) sockets in all"]
        lines.append("  log: \(log.count) entries kept (\(log.keptBytes) of \(log.capacity) bytes), \(log.evictedEntries) evicted (\(log.evictedDataBytes) data bytes)")
        lines.append("  recording: " + (recorder.map { "\(Sanitizer.clean($0.path)) (\($0.format.rawValue))" } ?? "off"))
        return lines
    }
}

extension Outcome {
    /// The same outcome with a different progress message.
    func relabeled(progress: String) -> Outcome {
        if case .pending(let operation, _) = self { return .pending(operation, progress: progress) }
        return self
    }
}

extension Transport {
    init(_ kind: TransportKind) {
        switch kind {
        case .tcp: self = .tcp
        case .udp: self = .udp
        case .unix: self = .unix
        }
    }
}
