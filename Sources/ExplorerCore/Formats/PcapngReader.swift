// PcapngReader — reads pcapng blocks from bytes: section headers in either byte order, interface
// descriptions, enhanced and simple packets, and their comments. Pure and incremental: feed it the
// file in pieces of any size, take blocks out as they complete; memory holds one block at most
// beyond what was fed and not yet taken.

/// A pcapng file that cannot be read, with where and why.
public struct PcapngError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An Interface Description Block.
public struct PcapngInterface: Sendable, Equatable {
    public var linkType: LinkType
    public var snapshotLength: UInt32
    public var name: String?
    public var description: String?
    public var comments: [String] = []
    /// `if_tsresol`: bit 7 clear, 10^-value seconds per tick; set, 2^-(value & 0x7F). Default 6.
    public var timestampResolution: UInt8 = 6
    /// `if_tsoffset`, seconds added to every timestamp.
    public var timestampOffset: Int64 = 0

    /// Microseconds since the epoch for a timestamp of `ticks` on this interface.
    public func microseconds(_ ticks: UInt64) -> Microseconds {
        let value = Int(timestampResolution & 0x7F)
        var micros: UInt64
        if timestampResolution & 0x80 != 0 {
            let whole = ticks >> value, fraction = value >= 64 ? ticks : ticks & ((1 << value) - 1)
            let shift = min(value, 44)  // fraction · 10^6 must fit in 64 bits
            micros = whole &* 1_000_000 &+ ((fraction >> (value - shift)) &* 1_000_000) >> shift
        } else if value <= 6 {
            micros = ticks &* Self.powerOfTen(6 - value)
        } else {
            micros = value - 6 > 19 ? 0 : ticks / Self.powerOfTen(value - 6)
        }
        micros = min(micros, UInt64(Int64.max))
        return Int64(micros) &+ timestampOffset &* 1_000_000
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        (0 ..< exponent).reduce(UInt64(1)) { value, _ in value &* 10 }
    }
}

/// A packet from an Enhanced or Simple Packet Block.
public struct PcapngPacket: Sendable, Equatable {
    public var interfaceID: Int
    public var linkType: LinkType
    /// nil for a Simple Packet Block, which has no timestamp.
    public var time: Microseconds?
    public var originalLength: Int
    /// The captured bytes, starting with the link layer's header.
    public var data: [UInt8]
    public var comments: [String]
}

/// One block of a pcapng file.
public enum PcapngBlock: Sendable, Equatable {
    /// A Section Header: every later block until the next one uses its byte order.
    case section(bigEndian: Bool, application: String?, comments: [String])
    case interface(PcapngInterface)
    case packet(PcapngPacket)
    /// Any other block type (name resolution, statistics, custom…): skipped.
    case other(type: UInt32)
}

/// Reads pcapng blocks from bytes fed in pieces.
public struct PcapngReader {
    /// The largest block accepted; a length beyond it means a damaged file, not a big packet.
    public static let maxBlockLength = 64 << 20

    private var storage: [UInt8] = []
    private var start = 0
    private var consumed = 0
    private var bigEndian: Bool?
    /// The current section's interfaces, in order of their description blocks.
    public private(set) var interfaces: [PcapngInterface] = []

    public init() {}

    /// Adds the next bytes of the file.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start >= storage.count / 2 {
            storage.removeFirst(start)
            start = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// True when every byte fed so far belongs to a block already returned: at the end of the
    /// input, false means the file stops in the middle of a block.
    public var isAtBlockBoundary: Bool { start == storage.count }

    /// The next complete block, or nil when more bytes are needed.
    public mutating func next() throws(PcapngError) -> PcapngBlock? {
        let available = storage.count - start
        guard available >= 12 else { return nil }
        let type = word(at: start, bigEndian: bigEndian ?? false)
        if type == Pcapng.sectionHeaderBlock {
            let magic = word(at: start + 8, bigEndian: false)
            if magic == Pcapng.byteOrderMagic { bigEndian = false }
            else if magic == Pcapng.byteOrderMagic.byteSwapped { bigEndian = true }
            else { throw PcapngError("section header at offset \(consumed) has no byte-order magic (0x\(hex(magic)))") }
        } else if bigEndian == nil {
            throw PcapngError("not a pcapng file: it starts with block type 0x\(hex(type)), not a section header")
        }
        let order = bigEndian!
        let length = Int(word(at: start + 4, bigEndian: order))
        guard length >= 12, length % 4 == 0, length <= Self.maxBlockLength else {
            throw PcapngError("block at offset \(consumed) has an invalid length \(length)")
        }
        guard available >= length else { return nil }
        guard Int(word(at: start + length - 4, bigEndian: order)) == length else {
            throw PcapngError("block at offset \(consumed): its trailing length differs from \(length)")
        }
        let body = start + 8 ..< start + length - 4
        let blockOffset = consumed
        start += length
        consumed += length
        return try parse(type: type, body: body, bigEndian: order, offset: blockOffset)
    }

    /// Every block of a whole file in memory.
    public static func blocks(in bytes: [UInt8]) throws(PcapngError) -> [PcapngBlock] {
        var reader = PcapngReader()
        reader.append(bytes)
        var blocks: [PcapngBlock] = []
        while let block = try reader.next() { blocks.append(block) }
        guard reader.isAtBlockBoundary else { throw PcapngError("the file ends inside a block") }
        return blocks
    }

    // MARK: Block bodies

    private mutating func parse(type: UInt32, body: Range<Int>, bigEndian order: Bool, offset: Int) throws(PcapngError) -> PcapngBlock {
        func need(_ count: Int, _ what: String) throws(PcapngError) {
            guard body.count >= count else { throw PcapngError("\(what) at offset \(offset) is too short (\(body.count) bytes)") }
        }
        switch type {
        case Pcapng.sectionHeaderBlock:
            try need(16, "section header")
            let major = half(at: body.lowerBound + 4, bigEndian: order)
            guard major == 1 else { throw PcapngError("section header at offset \(offset): version \(major) is not 1") }
            interfaces = []
            let options = Self.options(storage, body.lowerBound + 16 ..< body.upperBound, bigEndian: order)
            return .section(bigEndian: order, application: options.text(Pcapng.sectionUserApplication), comments: options.comments)
        case Pcapng.interfaceDescriptionBlock:
            try need(8, "interface description")
            let options = Self.options(storage, body.lowerBound + 8 ..< body.upperBound, bigEndian: order)
            var interface = PcapngInterface(linkType: LinkType(rawValue: half(at: body.lowerBound, bigEndian: order)),
                                            snapshotLength: word(at: body.lowerBound + 4, bigEndian: order),
                                            name: options.text(Pcapng.interfaceName),
                                            description: options.text(Pcapng.interfaceDescription), comments: options.comments)
            if let resolution = options.values[Pcapng.interfaceTimestampResolution]?.first { interface.timestampResolution = resolution }
            if let raw = options.values[Pcapng.interfaceTimestampOffset], raw.count == 8 {
                let value = raw.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                interface.timestampOffset = Int64(bitPattern: order ? UInt64(bigEndian: value) : UInt64(littleEndian: value))
            }
            interfaces.append(interface)
            return .interface(interface)
        case Pcapng.enhancedPacketBlock:
            try need(20, "enhanced packet")
            let id = Int(word(at: body.lowerBound, bigEndian: order))
            guard id < interfaces.count else { throw PcapngError("packet at offset \(offset) names interface \(id), which is not described") }
            let ticks = UInt64(word(at: body.lowerBound + 4, bigEndian: order)) << 32 | UInt64(word(at: body.lowerBound + 8, bigEndian: order))
            let captured = Int(word(at: body.lowerBound + 12, bigEndian: order))
            let original = Int(word(at: body.lowerBound + 16, bigEndian: order))
            let dataStart = body.lowerBound + 20
            guard captured <= body.upperBound - dataStart else {
                throw PcapngError("packet at offset \(offset): captured length \(captured) exceeds its block")
            }
            let optionsStart = min(dataStart + Pcapng.padded(captured), body.upperBound)
            let options = Self.options(storage, optionsStart ..< body.upperBound, bigEndian: order)
            return .packet(PcapngPacket(interfaceID: id, linkType: interfaces[id].linkType, time: interfaces[id].microseconds(ticks),
                                        originalLength: original, data: Array(storage[dataStart ..< dataStart + captured]),
                                        comments: options.comments))
        case Pcapng.simplePacketBlock:
            try need(4, "simple packet")
            guard !interfaces.isEmpty else { throw PcapngError("simple packet at offset \(offset) before any interface description") }
            let original = Int(word(at: body.lowerBound, bigEndian: order))
            var captured = min(original, body.count - 4)
            if interfaces[0].snapshotLength > 0 { captured = min(captured, Int(interfaces[0].snapshotLength)) }
            let dataStart = body.lowerBound + 4
            return .packet(PcapngPacket(interfaceID: 0, linkType: interfaces[0].linkType, time: nil, originalLength: original,
                                        data: Array(storage[dataStart ..< dataStart + captured]), comments: []))
        default:
            return .other(type: type)
        }
    }

    /// The options in `range`: values by code (the first of each) and every comment. Stops at the
    /// end marker or at an option that runs past the block.
    private static func options(_ bytes: [UInt8], _ range: Range<Int>, bigEndian order: Bool) -> BlockOptions {
        var result = BlockOptions()
        var at = range.lowerBound
        while at + 4 <= range.upperBound {
            let code = read16(bytes, at, order), length = Int(read16(bytes, at + 2, order))
            if code == Pcapng.optionEnd || at + 4 + length > range.upperBound { break }
            let value = Array(bytes[at + 4 ..< at + 4 + length])
            if code == Pcapng.optionComment { result.comments.append(String(decoding: value, as: UTF8.self)) }
            if result.values[code] == nil { result.values[code] = value }
            at += 4 + Pcapng.padded(length)
        }
        return result
    }

    private struct BlockOptions {
        var values: [UInt16: [UInt8]] = [:]
        var comments: [String] = []
        func text(_ code: UInt16) -> String? { values[code].map { String(decoding: $0, as: UTF8.self) } }
    }

    private func word(at offset: Int, bigEndian order: Bool) -> UInt32 {
        let value = storage.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        return order ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    private func half(at offset: Int, bigEndian order: Bool) -> UInt16 { Self.read16(storage, offset, order) }

    private static func read16(_ bytes: [UInt8], _ offset: Int, _ order: Bool) -> UInt16 {
        let value = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        return order ? value.byteSwapped : value
    }

    private func hex(_ value: UInt32) -> String { String(value, radix: 16) }
}
