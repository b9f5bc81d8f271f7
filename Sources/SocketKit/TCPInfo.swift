// TCPInfo.swift — the kernel's view of a TCP connection (TCP_INFO): state, RTT, window, retransmits.

import Glibc

/// A snapshot of `struct tcp_info` with the fields people look at.
public struct TCPInfo: Equatable, Sendable {
    /// Kernel TCP state name: ESTABLISHED, SYN_SENT, CLOSE_WAIT…
    public var state: String
    /// Smoothed round-trip time and its variance, microseconds.
    public var rtt: UInt32
    public var rttVariance: UInt32
    /// Retransmission timeout, microseconds.
    public var retransmitTimeout: UInt32
    /// Congestion window (segments) and slow-start threshold.
    public var congestionWindow: UInt32
    public var slowStartThreshold: UInt32
    public var sendMSS: UInt32
    public var receiveMSS: UInt32
    public var pathMTU: UInt32
    /// Segments sent and not yet acknowledged; lost; retransmitted now; retransmitted in total.
    public var unacked: UInt32
    public var lost: UInt32
    public var retransmits: UInt32
    public var totalRetransmits: UInt32
    /// Receive space the kernel advertises, bytes.
    public var receiveSpace: UInt32

    static func stateName(_ state: UInt8) -> String {
        let names = ["?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
                     "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"]
        return Int(state) < names.count ? names[Int(state)] : "state \(state)"
    }
}

extension SystemCalls {
    /// `getsockopt(TCP_INFO)` on a TCP socket.
    public func tcpInfo(_ fd: FileDescriptor) throws(SystemError) -> TCPInfo {
        var raw = tcp_info()
        var length = socklen_t(MemoryLayout<tcp_info>.size)
        try call("getsockopt", "\(fd), IPPROTO_TCP, TCP_INFO") {
            Glibc.getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &raw, &length)
        }
        return TCPInfo(
            state: TCPInfo.stateName(raw.tcpi_state), rtt: raw.tcpi_rtt, rttVariance: raw.tcpi_rttvar,
            retransmitTimeout: raw.tcpi_rto, congestionWindow: raw.tcpi_snd_cwnd, slowStartThreshold: raw.tcpi_snd_ssthresh,
            sendMSS: raw.tcpi_snd_mss, receiveMSS: raw.tcpi_rcv_mss, pathMTU: raw.tcpi_pmtu, unacked: raw.tcpi_unacked,
            lost: raw.tcpi_lost, retransmits: UInt32(raw.tcpi_retransmits), totalRetransmits: raw.tcpi_total_retrans,
            receiveSpace: raw.tcpi_rcv_space)
    }
}
