// FileWriting — the engine's part that writes files between wake-ups: every open `FileSink` (the
// record file, saves in progress) gets the bytes its file takes, pipes when epoll says they are
// writable, regular files a chunk per wake-up. Nothing waits for a file.

import SocketKit

/// The files being written and their epoll registration.
final class FileWriting {
    private let loop: EventLoop
    private var sinks: [Int: FileSink] = [:]
    private var watched: Set<Int> = []
    /// Sinks whose owner still has bytes to give (a save in progress): the loop keeps turning.
    private var producing: Set<Int> = []
    private var nextID = 1

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Starts writing `sink` as bytes arrive in it; returns its id.
    func add(_ sink: FileSink) -> Int {
        let id = nextID
        nextID += 1
        sinks[id] = sink
        return id
    }

    /// Stops looking after sink `id` (what it still holds is the owner's business).
    func remove(_ id: Int) {
        producing.remove(id)
        guard let sink = sinks.removeValue(forKey: id) else { return }
        if watched.remove(id) != nil { loop.remove(sink.fd) }
    }

    /// Says whether sink `id`'s owner has more to give than it holds now.
    func setProducing(_ id: Int, _ on: Bool) {
        if on { producing.insert(id) } else { producing.remove(id) }
    }

    /// Writes what each file takes now; a pipe that takes nothing is watched for writability, and
    /// one whose reader takes nothing for `FileSink.stallLimit` fails.
    func service() {
        let now = MonotonicClock.now()
        for (id, sink) in sinks {
            if sink.buffered > 0, sink.failure == nil {
                sink.writeSome()
                if sink.buffered > 0, now - sink.lastProgress > FileSink.stallLimit { sink.giveUp() }
            }
            let wantsWritable = sink.pollable && sink.waitingForWritable && sink.buffered > 0 && sink.failure == nil
            if wantsWritable, !watched.contains(id) {
                if (try? loop.add(sink.fd, .writable, token: Engine.fileTokenBit | UInt64(id))) != nil { watched.insert(id) }
            } else if !wantsWritable, watched.remove(id) != nil {
                loop.remove(sink.fd)
            }
        }
    }

    /// Now, while a regular file has bytes waiting (it is written a chunk per wake-up); else the
    /// soonest moment a stalled pipe gives up.
    var nextDeadline: Int64? {
        var next: Int64?
        for (id, sink) in sinks where sink.failure == nil && (sink.buffered > 0 || producing.contains(id)) {
            let waiting = sink.pollable && sink.waitingForWritable
            let due = waiting ? sink.lastProgress + FileSink.stallLimit : MonotonicClock.now()
            next = min(next ?? due, due)
        }
        return next
    }
}
