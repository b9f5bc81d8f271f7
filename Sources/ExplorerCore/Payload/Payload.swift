// Payload — the bytes a command sends or looks for: literal bytes plus files the engine reads when it runs.

/// One piece of a payload, in the order typed.
public enum PayloadPiece: Equatable, Sendable {
    /// Bytes known at parse time (quoted text, hex, bare words), escapes already decoded.
    case bytes([UInt8])
    /// `@path`: the engine reads this file when the command runs, so the parser stays free of I/O.
    case file(String)
}

/// The bytes of `send`, `expect`, `reply`, `banner` and `find`: pieces concatenated in order.
///
/// Pieces are kept normalized — adjacent byte pieces merged, empty ones dropped — so two payloads
/// that mean the same bytes compare equal however they were written (`"ab"` == `"a" "b"` == `x"61 62"`).
public struct Payload: Equatable, Sendable {
    /// The pieces, normalized: never two `.bytes` in a row, never an empty `.bytes`.
    public let pieces: [PayloadPiece]

    /// A payload of these pieces, normalized.
    public init(_ pieces: [PayloadPiece]) {
        var merged: [PayloadPiece] = []
        for piece in pieces {
            switch (piece, merged.last) {
            case (.bytes(let bytes), _) where bytes.isEmpty:
                continue
            case (.bytes(let bytes), .bytes(let previous)?):
                merged[merged.count - 1] = .bytes(previous + bytes)
            default:
                merged.append(piece)
            }
        }
        self.pieces = merged
    }

    /// A payload of exactly these bytes.
    public init(bytes: [UInt8]) {
        self.init([.bytes(bytes)])
    }

    /// A payload of the UTF-8 bytes of `text`, taken literally (no escapes; use `PayloadParser` for syntax).
    public init(utf8 text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// All the bytes, when they are known without reading a file; nil if any piece is a file.
    public var literalBytes: [UInt8]? {
        var bytes: [UInt8] = []
        for piece in pieces {
            guard case .bytes(let part) = piece else { return nil }
            bytes += part
        }
        return bytes
    }

    /// True when there is nothing to send: no bytes and no file (`send ""` is a valid empty payload).
    public var isEmpty: Bool { pieces.isEmpty }
}
