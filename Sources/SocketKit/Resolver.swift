// Resolver.swift — name resolution with getaddrinfo, synchronously for numeric hosts and on a
// worker thread for names (getaddrinfo can block for as long as DNS takes).

import Glibc
import Synchronization

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

/// Runs lookups off the loop thread and hands answers back through the wake pipe.
public final class BackgroundResolver: Sendable {
    /// One finished lookup.
    public struct Answer: Sendable {
        public var ticket: UInt64
        public var host: String
        public var result: Result<[SocketAddress], SystemError>
    }

    private let finished = Mutex<[Answer]>([])
    private let wakePipe: WakePipe

    public init(wakePipe: WakePipe) { self.wakePipe = wakePipe }

    /// Starts resolving `host`; the answer arrives in `takeAnswers()` after the pipe wakes the loop.
    public func start(ticket: UInt64, host: String, port: UInt16, transport: Transport) {
        spawnDetachedThread { [self] in
            let result: Result<[SocketAddress], SystemError>
            do throws(SystemError) {
                result = .success(try Resolver.resolve(host: host, port: port, transport: transport))
            } catch {
                result = .failure(error)
            }
            finished.withLock { $0.append(Answer(ticket: ticket, host: host, result: result)) }
            wakePipe.wake()
        }
    }

    /// Answers finished since the last call.
    public func takeAnswers() -> [Answer] {
        finished.withLock { answers in
            defer { answers.removeAll() }
            return answers
        }
    }
}

private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a detached POSIX thread running `body` (SocketKit avoids Foundation's Thread).
func spawnDetachedThread(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
        let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
        body.run()
        return nil
    }, context)
    if status == 0 {
        pthread_detach(thread)
    } else {
        // No thread: run inline rather than lose the work (blocks the loop, but only when the system is out of threads).
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
    }
}
