// Utf8Carry — holds a UTF-8 sequence split across two reads so it renders as one character.

/// Per-stream carry-over for UTF-8 split across reads (keep one per connection and direction).
///
/// For each chunk, `feed` says what to render: `(carryIn + chunk).dropLast(heldTail)`. The held
/// tail — at most 3 bytes that are an incomplete but so-far valid sequence — comes back as the next
/// chunk's `carryIn`. If that chunk does not complete it, the sanitizer renders the carried bytes
/// as `\xNN` like any other ill-formed UTF-8; at EOF `flush` hands them back for the same treatment.
public struct Utf8Carry: Sendable, Equatable {
    private var held: [UInt8] = []

    public init() {}

    /// The bytes currently held back, waiting for the rest of their sequence.
    public var heldBytes: [UInt8] { held }

    /// Takes the next chunk of the stream. Returns the bytes carried in from the previous chunk and
    /// how many bytes at the end of `carryIn + chunk` are held back for the next one.
    public mutating func feed(_ chunk: some BidirectionalCollection<UInt8>) -> (carryIn: [UInt8], heldTail: Int) {
        // The usual case, nothing held and a chunk ending in ASCII: nothing to carry, no allocation.
        if held.isEmpty, let last = chunk.last, last < 0x80 { return ([], 0) }
        let carryIn = held
        var tail = carryIn
        tail.append(contentsOf: chunk.suffix(3))
        tail.removeFirst(max(0, tail.count - 3))
        let heldTail = tail.withUnsafeBufferPointer(UTF8Step.incompleteSuffixLength)
        held = Array(tail.suffix(heldTail))
        return (carryIn, heldTail)
    }

    /// Ends the stream: returns the held bytes (to render as `\xNN`) and forgets them.
    public mutating func flush() -> [UInt8] {
        defer { held = [] }
        return held
    }
}
