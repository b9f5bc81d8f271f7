// FileCalls — the file system calls sockpit makes for commands (`@FILE`, `source`, `save`,
// `record`, the spare descriptor), through the same path as the socket calls, so `trace` shows
// them too and every failure is a `SystemError` naming the call and the path.

import Glibc

extension SystemCalls {
    /// `open(2)`; `mode` applies when creating.
    public func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644, shown: String? = nil) throws(SystemError) -> FileDescriptor {
        try call("open", "\"\(path)\", \(Names.openFlags(flags))", context: shown ?? path) { Glibc.open(path, flags, mode) }
    }

    /// `fstat(2)`.
    public func fileStatus(_ fd: FileDescriptor, shown: String = "") throws(SystemError) -> stat {
        var info = stat()
        try call("fstat", "\(fd)", context: shown) { Glibc.fstat(fd, &info) }
        return info
    }

    /// `read(2)` into `buffer`: bytes read (0 at end of file), or nil when nothing is there yet (EAGAIN).
    public func read(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, shown: String = "") throws(SystemError) -> Int? {
        let result = try callAllowingWouldBlock("read", "\(fd), \(buffer.count)", context: shown) {
            Glibc.read(fd, buffer.baseAddress, buffer.count)
        }
        if case .done(let count) = result { return count }
        return nil
    }

    /// `pread(2)` at `offset`.
    public func pread(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, shown: String = "") throws(SystemError) -> Int {
        try call("pread", "\(fd), \(buffer.count), \(offset)", context: shown) {
            Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
        }
    }

    /// `write(2)`: bytes written, or nil when the file takes none now (EAGAIN on a pipe).
    public func write(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, shown: String = "") throws(SystemError) -> Int? {
        let result = try callAllowingWouldBlock("write", "\(fd), \(bytes.count)", context: shown) {
            Glibc.write(fd, bytes.baseAddress, bytes.count)
        }
        if case .done(let count) = result { return count }
        return nil
    }

    /// `fsync(2)`.
    public func fsync(_ fd: FileDescriptor, shown: String = "") throws(SystemError) {
        try call("fsync", "\(fd)", context: shown) { Glibc.fsync(fd) }
    }

    /// `rename(2)`.
    public func rename(_ from: String, to: String, shown: String) throws(SystemError) {
        try call("rename", "\"\(from)\", \"\(to)\"", context: shown) { Glibc.rename(from, to) }
    }

    /// `unlink(2)` of a file, its failure ignored (a temporary file left behind by a failure).
    public func removeFile(_ path: String) {
        _ = try? call("unlink", "\"\(path)\"") { Glibc.unlink(path) }
    }

    /// `fcntl(F_SETFL)` with `O_NONBLOCK` added or removed.
    public func setNonBlocking(_ fd: FileDescriptor, _ on: Bool) throws(SystemError) {
        let flags = try call("fcntl", "\(fd), F_GETFL") { Glibc.fcntl(fd, F_GETFL) }
        let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        try call("fcntl", "\(fd), F_SETFL, \(Names.openFlags(wanted))") { Glibc.fcntl(fd, F_SETFL, wanted) }
    }
}
