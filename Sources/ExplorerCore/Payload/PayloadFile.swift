// PayloadFile.swift — `send @FILE` streams: a regular file is queued as a region of an open file
// and read in chunks only as the kernel takes bytes, so a file of any size costs one descriptor
// and one chunk of memory, never its whole size.

import Glibc
import SocketKit

/// An open regular file that queued sends read from. Closed when the last region that needs it
/// leaves the queues (sent, reset, closed); `send * @FILE` shares one across connections.
final class PayloadFile {
    let fd: Int32
    /// The path as typed, for messages.
    let path: String
    /// The size when the send was queued: exactly this many bytes are sent.
    let size: Int
    /// The session's syscall path, so its reads show in `trace`.
    let system: SystemCalls

    private init(fd: Int32, path: String, size: Int, system: SystemCalls) {
        self.fd = fd
        self.path = path
        self.size = size
        self.system = system
    }

    deinit { system.close(fd) }

    /// Opens `path` for streaming. nil when it is not a regular file (a device has no size to
    /// promise and may never end: those are read whole, within `Limits.payloadFileBytes`).
    static func open(_ path: String, system: SystemCalls) throws(CommandError) -> PayloadFile? {
        let (fd, info) = try openWithoutBlocking(path, system: system)
        guard info.st_mode & S_IFMT == S_IFREG else {
            system.close(fd)
            return nil
        }
        return PayloadFile(fd: fd, path: path, size: Int(info.st_size), system: system)
    }

    /// Opens a payload file so that nothing can block the loop: O_NONBLOCK (opening a FIFO with no
    /// writer would otherwise wait forever, deaf even to SIGTERM), and FIFOs, sockets and
    /// terminals refused — reading them waits for someone else to write. Directories are refused too.
    static func openWithoutBlocking(_ path: String, system: SystemCalls) throws(CommandError) -> (fd: Int32, info: stat) {
        let shown = "@\(Sanitizer.clean(path))"
        let fd: Int32
        do { fd = try system.openFile(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, shown: shown) } catch { throw CommandError(error) }
        let info: stat
        do { info = try system.fileStatus(fd, shown: shown) } catch {
            system.close(fd)
            throw CommandError(error)
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            system.close(fd)
            throw CommandError(SystemError(call: "read", context: shown, code: EISDIR))
        }
        if type == S_IFIFO || type == S_IFSOCK || isatty(fd) == 1 {
            system.close(fd)
            throw CommandError("\(shown): a pipe, socket or terminal: sockpit reads only files that cannot keep it waiting")
        }
        return (fd, info)
    }
}

struct FileRegion {
    let file: PayloadFile
    var offset: Int
    let end: Int

    var remaining: Int { end - offset }
}

/// One piece of what a send queues, in order: bytes in memory, or a region of a file.
enum OutgoingPiece {
    case bytes([UInt8])
    case file(FileRegion)

    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .file(let region): region.remaining
        }
    }
}

/// A queued file that could not be read to its end (it shrank, or the disk failed): the rest of
/// it was dropped from the queue, and the user must be told.
struct FileReadFailure: Error {
    var path: String
    var reason: String
    /// Bytes of the file that were not sent.
    var missing: Int
}

extension SendQueue {
    /// How much of a file is read per chunk while draining.
    static let fileChunk = 1 << 18

    /// Reads up to one chunk of `region` at its offset and calls `body` with it; returns what
    /// `body` returned, or the read failure. `pread` keeps no file position: bytes the kernel did
    /// not take are simply read again next time.
    static func withNextChunk(of region: FileRegion, _ body: (UnsafeRawBufferPointer) -> Int?) -> Result<Int?, FileReadFailure> {
        let want = min(region.remaining, fileChunk)
        return withUnsafeTemporaryAllocation(byteCount: want, alignment: 16) { buffer in
            let count: Int
            do throws(SystemError) {
                count = try region.file.system.pread(region.file.fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]),
                                                     at: region.offset, shown: region.file.path)
            } catch {
                return .failure(FileReadFailure(path: region.file.path, reason: error.reason, missing: region.remaining))
            }
            if count == 0 {
                return .failure(FileReadFailure(path: region.file.path, reason: "the file shrank while it was being sent", missing: region.remaining))
            }
            return .success(body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
        }
    }
}
