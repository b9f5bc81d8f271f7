// PayloadReading — what a payload becomes when a command runs: its bytes, with `@file` pieces read
// now (within a limit), or the pieces a send queues, regular files streamed as regions.

import Glibc
import SocketKit

extension Engine {
    /// The largest file read whole: `@FILE` in `expect`, `reply`, `banner`, `find`, a UDP
    /// datagram, or a `send` from a pipe or device. `send @FILE` of a regular file streams instead
    /// and has no limit.
    static let payloadFileLimit = Limits.payloadFileBytes

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
                if let file = try PayloadFile.open(path, system: system) {
                    pieces.append(.file(FileRegion(file: file, offset: 0, end: file.size)))
                } else {
                    append(try readPayloadFile(path))
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
            case .file(let path): result += try readPayloadFile(path)
            }
        }
        return result
    }

    /// A file read whole (`expect`, `reply`, `banner`, `find`, a datagram, a device), within
    /// `Limits.payloadFileBytes`. A device that has nothing to give now ends the read.
    func readPayloadFile(_ path: String) throws(CommandError) -> [UInt8] {
        let fd = try PayloadFile.openWithoutBlocking(path, system: system).fd
        defer { system.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let outcome: Result<Int?, SystemError> = chunk.withUnsafeMutableBytes { raw in
                do throws(SystemError) { return .success(try system.read(fd, into: raw, shown: "@\(path)")) } catch { return .failure(error) }
            }
            let count: Int?
            switch outcome {
            case .success(let value): count = value
            case .failure(let error): throw CommandError(error)
            }
            guard let count, count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > Engine.payloadFileLimit { throw CommandError("@\(path): larger than \(Engine.payloadFileLimit >> 20) MiB") }
        }
        return bytes
    }

    func autoReply(_ mode: ReplyMode) throws(CommandError) -> AutoReply {
        switch mode {
        case .off: .off
        case .echo: .echo
        case .reverse: .reverse
        case .template(let payload): .template(try bytes(of: payload))
        }
    }
}
