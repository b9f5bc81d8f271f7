// TEMPORARY stubs until the sanitize/parser branches merge. Deleted at merge.
import Glibc

public enum Sanitizer {
    public static func escape<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = ""
        for b in bytes {
            switch b {
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x09: out += "\\t"
            case 0x5c: out += "\\\\"
            case 0x20...0x7e: out.unicodeScalars.append(Unicode.Scalar(b))
            default: out += "\\x" + String(b, radix: 16)
            }
        }
        return out
    }
    public static func clean(_ s: String) -> String { escape(Array(s.utf8)) }
}

public struct Utf8Carry: Sendable {
    public init() {}
    public mutating func feed<C: Collection>(_ chunk: C) -> (carryIn: [UInt8], heldTail: Int) where C.Element == UInt8 { ([], 0) }
    public mutating func flush() -> [UInt8] { [] }
}

public enum WallClock {
    public static func now() -> Int64 {
        var ts = timespec(); clock_gettime(CLOCK_REALTIME, &ts); return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
public enum MonotonicClock {
    public static func now() -> Int64 {
        var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

public struct Settings: Equatable, Sendable {
    public enum EOL: String, Sendable { case lf, crlf, cr }
    public enum Timestamps: String, Sendable { case clock, relative, off }
    public var eol: EOL = .lf
    public var timestamps: Timestamps = .clock
    public var logcap: Int = 64 << 20
    public var halfclose = false
    public var maxconns = 10_000
    public init() {}
}
public enum Units {
    public static func duration(microseconds: Int64) -> String { "\(Double(microseconds) / 1_000_000) s" }
}
public enum Timestamps {
    public static func clock(_ t: Int64) -> String { "\(t)" }
}
public enum LogView: String, CaseIterable, Sendable { case text, hex, both }
public enum LogFormat: String, CaseIterable, Sendable { case text, hex, jsonl }
