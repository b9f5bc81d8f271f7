// Resolver.swift — name resolution with getaddrinfo, synchronously for numeric hosts and on a
// worker thread for names (getaddrinfo can block for as long as DNS takes).

import Glibc

/// getaddrinfo, typed.
public enum Resolver {
    /// Resolves `host` for `transport`; numeric hosts never touch DNS. Errors are `EAI_*` values:
    /// `getaddrinfo nosuch.invalid: EAI_NONAME (Name or service not known)`.
    public static func resolve(host: String, port: UInt16, transport: Transport, numericOnly: Bool = false) throws(SystemError) -> [SocketAddress] {
        if let numeric = SocketAddress(numericHost: host, port: port) { return [numeric] }
        if numericOnly {
            throw SystemError(call: "getaddrinfo", context: host, code: EAI_NONAME, name: "EAI_NONAME", message: "not a numeric address")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        if status != 0 {
            let code = status == EAI_SYSTEM ? Glibc.errno : status
            if status == EAI_SYSTEM { throw SystemError(call: "getaddrinfo", context: host, code: code) }
            throw SystemError(call: "getaddrinfo", context: host, code: status, name: eaiName(status), message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor = list
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: Int(entry.pointee.ai_addrlen))) }
                if let address = SocketAddress(storage: storage, length: entry.pointee.ai_addrlen) {
                    let withPort = address.with(port: port)
                    if !addresses.contains(withPort) { addresses.append(withPort) }
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    static func eaiName(_ status: Int32) -> String {
        switch status {
        case EAI_NONAME: "EAI_NONAME"
        case EAI_AGAIN: "EAI_AGAIN"
        case EAI_FAIL: "EAI_FAIL"
        case EAI_FAMILY: "EAI_FAMILY"
        case EAI_SOCKTYPE: "EAI_SOCKTYPE"
        case EAI_SERVICE: "EAI_SERVICE"
        case EAI_MEMORY: "EAI_MEMORY"
        case EAI_BADFLAGS: "EAI_BADFLAGS"
        case -5: "EAI_NODATA"
        case -9: "EAI_ADDRFAMILY"
        default: "EAI_\(status)"
        }
    }
}

/// Runs lookups off the loop thread, on at most a few worker threads fed from a bounded queue, and
/// hands answers back through the wake pipe.
///
/// getaddrinfo blocks for as long as DNS takes, so it cannot run on the loop; a thread per lookup
/// would let a burst of names start thousands of threads. A worker takes lookups from the queue
/// until it is empty, then ends, so an idle resolver holds no thread.
public final class BackgroundResolver: Sendable {
    /// One finished lookup.
    public struct Answer: Sendable {
        public var ticket: UInt64
        public var host: String
        public var result: Result<[SocketAddress], SystemError>
    }

    private struct Job: Sendable {
        var ticket: UInt64
        var host: String
        var port: UInt16
        var transport: Transport
    }

    private let finished = ThreadLock<[Answer]>([])
    /// Lookups waiting for a worker, and how many workers run.
    private let jobs = ThreadLock<(queue: [Job], workers: Int)>(([], 0))
    private let wakePipe: WakePipe
    private let threads: Int
    private let queueLimit: Int

    public init(wakePipe: WakePipe, threads: Int = 4, queueLimit: Int = 1024) {
        self.wakePipe = wakePipe
        self.threads = max(1, threads)
        self.queueLimit = max(1, queueLimit)
    }

    /// Starts resolving `host`; the answer arrives in `takeAnswers()` after the pipe wakes the loop.
    /// With the queue full, the answer is an error at once.
    public func start(ticket: UInt64, host: String, port: UInt16, transport: Transport) {
        let job = Job(ticket: ticket, host: host, port: port, transport: transport)
        let startWorker: Bool? = jobs.withLock { state in
            guard state.queue.count < queueLimit else { return nil }
            state.queue.append(job)
            guard state.workers < threads else { return false }
            state.workers += 1
            return true
        }
        switch startWorker {
        case nil:
            let busy = SystemError(call: "getaddrinfo", context: host, code: EAGAIN,
                                   message: "\(queueLimit) lookups are already waiting; try again later")
            finish(Answer(ticket: ticket, host: host, result: .failure(busy)))
        case true?:
            spawnDetachedThread { [self] in work() }
        case false?:
            break
        }
    }

    /// A worker: lookups from the queue until it is empty.
    private func work() {
        while let job = jobs.withLock({ state -> Job? in
            if state.queue.isEmpty {
                state.workers -= 1
                return nil
            }
            return state.queue.removeFirst()
        }) {
            let result: Result<[SocketAddress], SystemError>
            do throws(SystemError) {
                result = .success(try Resolver.resolve(host: job.host, port: job.port, transport: job.transport))
            } catch {
                result = .failure(error)
            }
            finish(Answer(ticket: job.ticket, host: job.host, result: result))
        }
    }

    private func finish(_ answer: Answer) {
        finished.withLock { $0.append(answer) }
        wakePipe.wake()
    }

    /// Answers finished since the last call.
    public func takeAnswers() -> [Answer] {
        finished.withLock { answers in
            defer { answers.removeAll() }
            return answers
        }
    }
}
