// ByteAppending — the small byte-buffer helpers every formatter here shares.

extension Array where Element == UInt8 {
    /// Lets `body` write up to `maxCount` bytes in place at the end of the array and keeps the
    /// number it returns. Growing once and trimming costs less than formatting into scratch memory
    /// and copying, when the output size is known or tightly bounded.
    mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        let oldCount = count
        append(contentsOf: repeatElement(0, count: maxCount))
        let written = withUnsafeMutableBufferPointer { body($0.baseAddress! + oldCount) }
        precondition(written <= maxCount, "wrote past the space it asked for")
        removeLast(maxCount - written)
    }
}

/// The UTF-8 that `build` appends to an empty buffer, as a String: lets each formatter keep one
/// byte-level implementation and offer a String form on top.
func stringFromUTF8(_ build: (inout [UInt8]) -> Void) -> String {
    var out: [UInt8] = []
    build(&out)
    return String(decoding: out, as: UTF8.self)
}

/// Calls `body` with the bytes of `bytes` in contiguous memory, copying only when they are not.
func withContiguousBytes<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let r = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
    return Array(bytes).withUnsafeBytes(body)
}
