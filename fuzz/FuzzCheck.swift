// FuzzCheck.swift — what every fuzz target shares: how a broken invariant is reported (a message on
// stderr, then abort, which libFuzzer records as a crash and saves the input for).

import Glibc

/// Aborts with `message` when `condition` is false; the fuzzer keeps the input as crash-<sha1>.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    let text = "fuzz invariant broken: " + message() + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

/// The fuzzer's input as a buffer (libFuzzer may pass a null pointer with size 0).
func inputBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
}
