// QuietSpans — which bytes of a send queue already have their log entry. A relay logs each chunk
// once, where it arrives (as Wireshark's Follow Stream shows it once), so the bytes it forwards
// leave the other leg without a second entry; bytes a user sends on that leg are logged as usual.

import DequeModule

/// Runs of a send queue's bytes, in queue order, marked quiet (logged elsewhere) or not. Empty
/// while the queue holds no quiet bytes: then every byte written is logged, as on any socket.
struct QuietSpans {
    private var spans: Deque<(count: Int, quiet: Bool)> = []

    var isEmpty: Bool { spans.isEmpty }

    /// `count` bytes were appended to a queue that held `queued` bytes before.
    mutating func add(_ count: Int, quiet: Bool, queued: Int) {
        guard count > 0 else { return }
        if spans.isEmpty {
            guard quiet else { return }
            if queued > 0 { spans.append((queued, false)) }
        }
        if let last = spans.last, last.quiet == quiet {
            spans[spans.count - 1].count += count
        } else {
            spans.append((count, quiet))
        }
    }

    /// The runs of the next `count` bytes written, consumed.
    mutating func take(_ count: Int) -> [(count: Int, quiet: Bool)] {
        var left = count
        var runs: [(count: Int, quiet: Bool)] = []
        while left > 0, let first = spans.first {
            let used = min(left, first.count)
            runs.append((used, first.quiet))
            left -= used
            if used == first.count { spans.removeFirst() } else { spans[0].count -= used }
        }
        if left > 0 { runs.append((left, false)) }
        return runs
    }

    mutating func removeAll() { spans.removeAll() }
}
