// ByteAppending — writing formatted output straight into a byte array's storage.

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
