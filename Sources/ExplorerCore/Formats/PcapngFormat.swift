// PcapngFormat — the pcapng block and option codes (draft-ietf-opsawg-pcapng) and the link types that
// sockpit's writer and reader share, plus the little-endian encoders for the blocks written once per
// file (section header, interface descriptions). The per-packet block is built in PcapngWriter.

/// Block types, option codes and layout constants of pcapng.
enum Pcapng {
    static let sectionHeaderBlock: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionBlock: UInt32 = 0x0000_0001
    static let simplePacketBlock: UInt32 = 0x0000_0003
    static let enhancedPacketBlock: UInt32 = 0x0000_0006
    /// The section header's byte-order magic, as written by a writer in its own order.
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    static let optionEnd: UInt16 = 0
    static let optionComment: UInt16 = 1
    static let sectionUserApplication: UInt16 = 4
    static let interfaceName: UInt16 = 2
    static let interfaceDescription: UInt16 = 3
    static let interfaceTimestampResolution: UInt16 = 9
    static let interfaceTimestampOffset: UInt16 = 14

    /// Type, total length, interface, timestamp high and low, captured and original length.
    static let enhancedPacketHeaderSize = 28
    /// The trailing copy of the total length.
    static let blockTrailerSize = 4
    /// What an interface description promises as the largest packet (Wireshark's own default).
    static let snapshotLength: UInt32 = 262_144

    /// `count` rounded up to a multiple of 4, as every block body and option value is padded.
    @inline(__always)
    static func padded(_ count: Int) -> Int { (count + 3) & ~3 }
}

/// A pcapng link type (the `LINKTYPE_*` values of tcpdump.org): what the packet data starts with.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `LINKTYPE_RAW`: a bare IPv4 or IPv6 packet, told apart by its version nibble. sockpit writes this.
    public static let raw = LinkType(rawValue: 101)
    /// `LINKTYPE_ETHERNET` (what `tcpdump -i lo` writes).
    public static let ethernet = LinkType(rawValue: 1)
    /// `LINKTYPE_LINUX_SLL` and `LINKTYPE_LINUX_SLL2` (what `tcpdump -i any` writes).
    public static let linuxCooked = LinkType(rawValue: 113)
    public static let linuxCooked2 = LinkType(rawValue: 276)
    /// `LINKTYPE_IPV4` and `LINKTYPE_IPV6`: bare packets of one version only.
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)

    public var description: String {
        switch self {
        case .raw: "raw IP"
        case .ethernet: "Ethernet"
        case .linuxCooked: "Linux cooked"
        case .linuxCooked2: "Linux cooked v2"
        case .ipv4: "IPv4"
        case .ipv6: "IPv6"
        default: "link type \(rawValue)"
        }
    }
}

/// Little-endian encoding of the blocks a file starts with. sockpit always writes little-endian
/// (readers follow the section's byte-order magic, so any order is valid pcapng).
enum PcapngEncoding {
    /// A Section Header Block, version 1.0, section length unknown (−1: the file is streamed), with
    /// the writing application's name.
    static func appendSectionHeader(application: String, to out: inout [UInt8]) {
        var body: [UInt8] = []
        append32(Pcapng.byteOrderMagic, to: &body)
        append16(1, to: &body)
        append16(0, to: &body)
        append64(UInt64.max, to: &body)
        appendOption(Pcapng.sectionUserApplication, Array(application.utf8), to: &body)
        appendOption(Pcapng.optionEnd, [], to: &body)
        appendBlock(Pcapng.sectionHeaderBlock, body: body, to: &out)
    }

    /// An Interface Description Block with microsecond timestamps (the default `if_tsresol`, so the
    /// option is not written), a name and a description that says what its packets are.
    static func appendInterfaceDescription(linkType: LinkType, name: String, description: String, to out: inout [UInt8]) {
        var body: [UInt8] = []
        append16(linkType.rawValue, to: &body)
        append16(0, to: &body)
        append32(Pcapng.snapshotLength, to: &body)
        appendOption(Pcapng.interfaceName, Array(name.utf8), to: &body)
        appendOption(Pcapng.interfaceDescription, Array(description.utf8), to: &body)
        appendOption(Pcapng.optionEnd, [], to: &body)
        appendBlock(Pcapng.interfaceDescriptionBlock, body: body, to: &out)
    }

    /// Type, total length, body (already padded), total length again.
    static func appendBlock(_ type: UInt32, body: [UInt8], to out: inout [UInt8]) {
        let total = UInt32(12 + body.count)
        append32(type, to: &out)
        append32(total, to: &out)
        out.append(contentsOf: body)
        append32(total, to: &out)
    }

    /// One option: code, length, value padded to 4 bytes.
    static func appendOption(_ code: UInt16, _ value: [UInt8], to out: inout [UInt8]) {
        append16(code, to: &out)
        append16(UInt16(value.count), to: &out)
        out.append(contentsOf: value)
        out.append(contentsOf: repeatElement(0, count: Pcapng.padded(value.count) - value.count))
    }

    /// The bytes of the comment options for `comments` (each cut to what a 16-bit length holds, at
    /// a character boundary), followed by the end-of-options marker; empty when there are none.
    static func commentOptions(_ comments: [String]) -> [UInt8] {
        guard !comments.isEmpty else { return [] }
        var out: [UInt8] = []
        for comment in comments {
            appendOption(Pcapng.optionComment, utf8Prefix(comment, maxBytes: 65_000), to: &out)
        }
        appendOption(Pcapng.optionEnd, [], to: &out)
        return out
    }

    private static func utf8Prefix(_ text: String, maxBytes: Int) -> [UInt8] {
        var bytes = Array(text.utf8)
        guard bytes.count > maxBytes else { return bytes }
        var end = maxBytes
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        bytes.removeSubrange(end...)
        return bytes
    }

    static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    static func append32(_ value: UInt32, to out: inout [UInt8]) {
        append16(UInt16(truncatingIfNeeded: value), to: &out)
        append16(UInt16(truncatingIfNeeded: value >> 16), to: &out)
    }

    static func append64(_ value: UInt64, to out: inout [UInt8]) {
        append32(UInt32(truncatingIfNeeded: value), to: &out)
        append32(UInt32(truncatingIfNeeded: value >> 32), to: &out)
    }
}
