// PacketBlock — appends one Enhanced Packet Block holding an IP packet: the fixed block header, the
// IP and transport headers, the payload with one copy, padding, comments and the trailer. The hot
// path of the capture writer: no per-byte work besides that copy and the checksum.

/// Builds IPv4/IPv6 headers and Enhanced Packet Blocks into caller-provided memory.
enum PacketBlock {
    /// Room for the block header, an IPv6 header and a TCP header with SYN options.
    static let scratchSize = 128
    static let tcpProtocol: UInt8 = 6
    static let udpProtocol: UInt8 = 17
    static let ipv4HeaderSize = 20
    static let ipv6HeaderSize = 40
    static let hopLimit: UInt8 = 64

    /// Writes an IP header for a packet of `payloadLength` transport bytes (transport header
    /// included) into `p`, returning its size. IPv4 gets DF, `identification` and a valid header
    /// checksum; IPv6 a zero flow label.
    static func writeIPHeader(_ p: UnsafeMutablePointer<UInt8>, source: WireEndpoint, destination: WireEndpoint,
                              protocol proto: UInt8, payloadLength: Int, identification: UInt16) -> Int {
        let raw = UnsafeMutableRawPointer(p)
        if source.isIPv6 {
            raw.storeBytes(of: UInt32(0x6000_0000).bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt16(payloadLength).bigEndian, toByteOffset: 4, as: UInt16.self)
            p[6] = proto
            p[7] = hopLimit
            copy(source.address, to: p + 8)
            copy(destination.address, to: p + 24)
            return ipv6HeaderSize
        }
        p[0] = 0x45
        p[1] = 0
        raw.storeBytes(of: UInt16(ipv4HeaderSize + payloadLength).bigEndian, toByteOffset: 2, as: UInt16.self)
        raw.storeBytes(of: identification.bigEndian, toByteOffset: 4, as: UInt16.self)
        raw.storeBytes(of: UInt16(0x4000).bigEndian, toByteOffset: 6, as: UInt16.self)  // DF
        p[8] = hopLimit
        p[9] = proto
        raw.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
        copy(source.address, to: p + 12)
        copy(destination.address, to: p + 16)
        var sum = InternetChecksum()
        sum.add(UnsafeRawBufferPointer(start: p, count: ipv4HeaderSize))
        raw.storeBytes(of: sum.checksum, toByteOffset: 10, as: UInt16.self)
        return ipv4HeaderSize
    }

    /// The part of the TCP/UDP pseudo-header sum that is the same for every packet of a flow: both
    /// addresses and the protocol. The length is added per packet.
    static func pseudoHeaderSum(source: WireEndpoint, destination: WireEndpoint, protocol proto: UInt8) -> InternetChecksum {
        var sum = InternetChecksum()
        source.address.withUnsafeBytes { sum.add($0) }
        destination.address.withUnsafeBytes { sum.add($0) }
        sum.add(networkOrder: UInt16(proto))
        return sum
    }

    /// Appends the block: `headers` (the `headerCount` bytes after the block header in `scratch`,
    /// which this fills in) then `payload`, at `time`, on `interface`, with `comments`.
    static func append(scratch: UnsafeMutablePointer<UInt8>, headerCount: Int, payload: UnsafeBufferPointer<UInt8>,
                       interface: UInt32, time: Microseconds, comments: [String], to out: inout [UInt8]) {
        let captured = headerCount + payload.count
        let padding = Pcapng.padded(captured) - captured
        let options = comments.isEmpty ? [] : PcapngEncoding.commentOptions(comments)
        let total = Pcapng.enhancedPacketHeaderSize + captured + padding + options.count + Pcapng.blockTrailerSize
        let raw = UnsafeMutableRawPointer(scratch)
        let micros = UInt64(max(0, time))
        raw.storeBytes(of: Pcapng.enhancedPacketBlock.littleEndian, toByteOffset: 0, as: UInt32.self)
        raw.storeBytes(of: UInt32(total).littleEndian, toByteOffset: 4, as: UInt32.self)
        raw.storeBytes(of: interface.littleEndian, toByteOffset: 8, as: UInt32.self)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: micros >> 32).littleEndian, toByteOffset: 12, as: UInt32.self)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: micros).littleEndian, toByteOffset: 16, as: UInt32.self)
        raw.storeBytes(of: UInt32(captured).littleEndian, toByteOffset: 20, as: UInt32.self)
        raw.storeBytes(of: UInt32(captured).littleEndian, toByteOffset: 24, as: UInt32.self)
        out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: Pcapng.enhancedPacketHeaderSize + headerCount))
        if !payload.isEmpty { out.append(contentsOf: payload) }
        // Padding (at most 3 zero bytes), then options, then the trailer: the scratch's header has
        // been copied out, so it holds them.
        raw.storeBytes(of: UInt32(0), toByteOffset: 0, as: UInt32.self)
        if !options.isEmpty {
            out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: padding))
            out.append(contentsOf: options)
            raw.storeBytes(of: UInt32(total).littleEndian, toByteOffset: 0, as: UInt32.self)
            out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: 4))
        } else {
            raw.storeBytes(of: UInt32(total).littleEndian, toByteOffset: padding, as: UInt32.self)
            out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: padding + 4))
        }
    }

    /// Makes room for `extra` more bytes at once, growing geometrically: `reserveCapacity` with an
    /// exact size per call would reallocate on every chunk.
    static func ensureRoom(_ extra: Int, in out: inout [UInt8]) {
        let needed = out.count + extra
        if needed > out.capacity { out.reserveCapacity(max(needed, out.capacity * 2)) }
    }

    @inline(__always)
    private static func copy(_ bytes: [UInt8], to p: UnsafeMutablePointer<UInt8>) {
        bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
    }
}
