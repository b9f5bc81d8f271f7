// SocketBIO.swift — the BIO OpenSSL reads and writes the socket through: recv/send via SocketKit's
// SystemCalls, so `trace on` shows the socket calls beneath the SSL_* ones, sends use MSG_NOSIGNAL,
// EAGAIN becomes OpenSSL's retry, and a failing call keeps its errno for the error value.

import COpenSSL
import SocketKit

/// The state behind one session's BIO: its descriptor, the syscall layer, bytes a plain reader had
/// already taken off the socket before a STARTTLS, and the last failure.
final class SocketBIOState {
    let fd: FileDescriptor
    let system: SystemCalls
    /// Bytes already received before the session began, served before any recv.
    private var leftover: [UInt8]
    private var leftoverOffset = 0
    /// recv returned 0: the peer closed its side. OpenSSL asks through BIO_CTRL_EOF.
    private(set) var sawEOF = false
    /// The last recv/send that failed with something other than EAGAIN.
    var lastError: SystemError?
    /// Bytes taken off the socket so far (ciphertext), for a caller's per-wake-up read budget.
    private(set) var received: UInt64 = 0

    init(fd: FileDescriptor, system: SystemCalls, alreadyReceived: [UInt8]) {
        self.fd = fd
        self.system = system
        self.leftover = alreadyReceived
    }

    /// Makes a BIO (owned by the caller, usually handed to SSL_set_bio) whose data points here,
    /// unretained: the session owns both this state and the SSL that owns the BIO, and clears the
    /// pointer before freeing the SSL.
    func makeBIO(method: OpaquePointer) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    func read(_ bio: OpaquePointer, into destination: UnsafeMutableRawBufferPointer) -> Int32 {
        sp_bio_clear_retry_flags(bio)
        if leftoverOffset < leftover.count {
            let count = min(destination.count, leftover.count - leftoverOffset)
            leftover.withUnsafeBytes { destination.baseAddress!.copyMemory(from: $0.baseAddress! + leftoverOffset, byteCount: count) }
            leftoverOffset += count
            if leftoverOffset == leftover.count {
                leftover = []
                leftoverOffset = 0
            }
            return Int32(count)
        }
        do {
            guard let count = try system.receive(fd, into: destination) else {
                sp_bio_set_retry_read(bio)
                return -1
            }
            if count == 0 { sawEOF = true }
            received += UInt64(count)
            return Int32(count)
        } catch {
            lastError = error
            return -1
        }
    }

    func write(_ bio: OpaquePointer, _ source: UnsafeRawBufferPointer) -> Int32 {
        sp_bio_clear_retry_flags(bio)
        do {
            guard let count = try system.send(fd, source) else {
                sp_bio_set_retry_write(bio)
                return -1
            }
            return Int32(count)
        } catch {
            lastError = error
            return -1
        }
    }

    /// The BIO_METHOD every session BIO uses. One per TLSContext (freed with it), so there is no
    /// global OpenSSL object to share between threads.
    static func makeMethod() -> OpaquePointer? {
        guard let method = BIO_meth_new(socketBIOType, "sockpit socket") else { return nil }
        BIO_meth_set_read(method, bioRead)
        BIO_meth_set_write(method, bioWrite)
        BIO_meth_set_ctrl(method, bioControl)
        return method
    }
}

/// A BIO type number of our own (OpenSSL hands them out once per process); an immutable `Int32`
/// initialised once by Swift's thread-safe global initialisation.
private let socketBIOType: Int32 = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK

private func state(_ bio: OpaquePointer?) -> SocketBIOState? {
    guard let bio, let data = BIO_get_data(bio) else { return nil }
    return Unmanaged<SocketBIOState>.fromOpaque(data).takeUnretainedValue()
}

private func bioRead(_ bio: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let bio, let buffer, length > 0, let state = state(bio) else { return -1 }
    return state.read(bio, into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
}

private func bioWrite(_ bio: OpaquePointer?, _ buffer: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let bio, let buffer, length >= 0, let state = state(bio) else { return -1 }
    return state.write(bio, UnsafeRawBufferPointer(start: buffer, count: Int(length)))
}

/// Only what the TLS record layer asks of a socket BIO: flush (nothing buffered here) and EOF (so an
/// unexpected close is reported as such rather than as a system error with errno 0).
private func bioControl(_ bio: OpaquePointer?, _ command: Int32, _ number: Int, _ pointer: UnsafeMutableRawPointer?) -> Int {
    switch command {
    case BIO_CTRL_FLUSH: 1
    case BIO_CTRL_EOF: state(bio)?.sawEOF == true ? 1 : 0
    default: 0
    }
}
