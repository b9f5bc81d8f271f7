// PEMFile.swift — reads certificate and key files named in commands (bounded, regular files only,
// errors with the errno) and parses them from memory, so a bad path says ENOENT and a bad file
// says what OpenSSL found wrong, and no passphrase prompt can ever reach the terminal.

import COpenSSL
import Glibc
import SocketKit

enum PEMFile {
    /// Certificate and key files are small; anything bigger is not one.
    static let sizeLimit = 1 << 20

    /// The bytes of `path`, which must be a regular file of at most 1 MiB.
    static func read(_ path: String, option: String) throws(TLSError) -> [UInt8] {
        let operation = "\(option)=\(path)"
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw fileError(operation, call: "open", code: errno) }
        defer { Glibc.close(fd) }
        var status = stat()
        if fstat(fd, &status) != 0 { throw fileError(operation, call: "fstat", code: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw TLSError(kind: .configuration, operation: operation, reason: "not a regular file")
        }
        guard Int(status.st_size) <= sizeLimit else {
            throw TLSError(kind: .configuration, operation: operation, reason: "larger than 1 MiB: not a PEM certificate or key")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw fileError(operation, call: "read", code: errno) }
            if count == 0 { break }
            filled += count
        }
        return Array(bytes.prefix(filled))
    }

    /// Every certificate in the PEM text, leaf first; each pointer is owned by the caller (X509_free).
    static func certificates(_ bytes: [UInt8], operation: String) throws(TLSError) -> [OpaquePointer] {
        OpenSSLErrors.clear()
        var found: [OpaquePointer] = []
        withMemoryBIO(bytes) { bio in
            while let certificate = PEM_read_bio_X509(bio, nil, refusePassphrase, nil) { found.append(certificate) }
        }
        // Reading stops with "no start line" at the end of the text: expected once something was found.
        let (reason, lines) = OpenSSLErrors.drain()
        guard !found.isEmpty else {
            throw TLSError(kind: .configuration, operation: operation,
                           reason: "no PEM certificate in the file" + (reason.map { " (\($0))" } ?? ""), openSSLErrors: lines)
        }
        return found
    }

    /// The first private key in the PEM text (owned by the caller: EVP_PKEY_free). Encrypted keys are
    /// refused rather than prompting for a passphrase on the terminal.
    static func privateKey(_ bytes: [UInt8], operation: String) throws(TLSError) -> OpaquePointer {
        OpenSSLErrors.clear()
        let key = withMemoryBIO(bytes) { PEM_read_bio_PrivateKey($0, nil, refusePassphrase, nil) }
        let (reason, lines) = OpenSSLErrors.drain()
        guard let key else {
            let text = String(decoding: bytes, as: UTF8.self)
            let why: String
            if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
                why = "the key is encrypted, and sockpit never asks for a passphrase (decrypt it with `openssl pkey`)"
            } else if text.contains("PRIVATE KEY-----") {
                why = "the private key does not load" + (reason.map { ": \($0)" } ?? "")
            } else {
                why = "no PEM private key in the file"
            }
            throw TLSError(kind: .configuration, operation: operation, reason: why, openSSLErrors: lines)
        }
        return key
    }

    private static func withMemoryBIO<R>(_ bytes: [UInt8], _ body: (OpaquePointer) -> R) -> R {
        bytes.withUnsafeBytes { raw in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))!
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private static func fileError(_ operation: String, call: String, code: Int32) -> TLSError {
        let error = SystemError(call: call, code: code)
        return TLSError(kind: .configuration, operation: operation, reason: error.reason, systemError: error)
    }
}

/// A PEM passphrase callback that never asks: OpenSSL's default would read the terminal.
private func refusePassphrase(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
                              _ context: UnsafeMutableRawPointer?) -> Int32 { 0 }
