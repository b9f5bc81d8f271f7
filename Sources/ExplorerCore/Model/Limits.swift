// Limits — every bound sockpit keeps on memory and on work per wake-up, in one place. SECURITY.md's
// limits table lists the same bounds, what happens at each, and the test that checks it. The
// bounds a user may move are settings (`logcap`, `queuecap`, `queuetotal`, `keepclosed`,
// `maxconns`); their defaults live in `Settings`.

/// The fixed bounds. A peer can slow sockpit down, never make it grow without limit.
public enum Limits {
    // MARK: Work per wake-up (so one busy socket cannot starve the keyboard or the others)

    /// Bytes read from one socket per wake-up; level-triggered epoll brings the rest next time.
    public static let readBytesPerWake = 1 << 20
    /// Bytes read from all sockets together per wake-up: with thousands of busy peers, the
    /// keyboard (and stdin, signals, timers) still comes round every few milliseconds. Sockets left
    /// for the next wake-up are reported again by level-triggered epoll, in turn.
    public static let readBytesPerStep = 8 << 20
    /// Bytes written to one socket per wake-up.
    public static let writeBytesPerWake = 1 << 20
    /// Datagrams read from one socket per wake-up.
    public static let datagramsPerWake = 4096
    /// Connections accepted by one listener per wake-up.
    public static let acceptsPerWake = 64
    /// Bytes asked of the kernel per stream read (each read that returns data is one log entry).
    public static let streamReadSize = 1 << 16
    /// Reply bytes built for one socket per wake-up: reading stops for this wake-up once its
    /// replies reach this, and a template with `{data}` several times reads smaller chunks.
    public static let replyBytesPerWake = 4 << 20

    /// A JSON data event's `text` renders at most this many bytes of its chunk (the exact bytes
    /// are always whole in `data_b64`); a longer chunk's event says `"text_truncated":true`.
    public static let jsonTextBytes = 1024

    // MARK: Memory

    /// Received bytes kept per socket for `expect` (the newest).
    public static let expectWindowPerSocket = 1 << 20
    /// Received bytes kept for `expect` across all sockets; the least recently used windows give
    /// up their oldest bytes first.
    public static let expectWindowTotal = 16 << 20
    /// Closed sockets whose records (and `expect` windows) are kept, newest first.
    public static let closedRecordsKept = 256
    /// A file read whole: `@FILE` in `expect`, `reply`, `banner`, `find`, a datagram, a pipe or device.
    public static let payloadFileBytes = 16 << 20
    /// The largest script `source` or `--script` reads.
    public static let scriptFileBytes = 16 << 20
    /// The largest `recv N`.
    public static let recvBytes = 16 << 20
    /// The first bytes of an `http` response kept for its status line.
    public static let httpResponseHead = 1024
    /// `replay`: bytes of the file read per wake-up, chunks decoded ahead of sending (more is read
    /// only as they leave), the longest JSON line, the largest chunk taken from a pcapng stream
    /// (a stream without PSH is cut there), and the TCP streams a pcapng file may have.
    public static let replayReadPerWake = 1 << 20
    public static let replayReadAhead = 4 << 20
    public static let replayLineBytes = 32 << 20
    public static let replayChunkBytes = 16 << 20
    public static let replayStreams = 100_000
    /// Bytes a `record` or `save` file writer buffers before peers stop being read (back-pressure).
    public static let fileWriterBuffer = 8 << 20
    /// While an output file is behind, the output reading may still make per
    /// `outputProgressPerRefill` bytes the file takes: each socket its share of the total (at least
    /// the minimum), so a request/answer peer keeps talking while floods hold, and the file's buffer
    /// shrinks (the sockets that spent stop at twice the total per refill, half of what the file
    /// took; one that made less than the minimum goes on to four times, what the file took).
    public static let readWhileBehindMinimum = 1 << 10
    public static let readWhileBehindTotal = 16 << 10
    public static let outputProgressPerRefill = 64 << 10
    /// Output (record file, headless pipe) one wake-up's reading may make before the rest waits.
    public static let outputBytesPerStep = 4 << 20
    /// A relay leg's send queue: once the bytes forwarded to it wait past this (the far side reads
    /// slowly), the other leg stops being read until they drain below half (back-pressure).
    public static let relayQueuePerLeg = 1 << 20
    /// Chunks, and bytes, `intercept` holds per leg; at either the leg stops being read.
    public static let interceptChunksPerLeg = 1024
    public static let interceptBytesPerLeg = 1 << 20
    /// Datagrams a UDP relay keeps for a server leg that is still connecting; more are dropped, said so.
    public static let relayDatagramsWaiting = 64
    /// Probes a `scan` keeps in flight.
    public static let scanProbesInFlight = 256
    /// Threads that run getaddrinfo, and lookups that may wait for one.
    public static let resolverThreads = 4
    public static let resolverQueue = 1024
}
