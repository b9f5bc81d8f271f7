// FileWriting — the engine's part that writes files between wake-ups: every open `FileSink` (the
// record file, saves in progress) gets the bytes its file takes, pipes when epoll says they are
// writable; regular files are written by a thread of their own, which wakes the loop when it has
// made progress. Nothing waits for a file.

import SocketKit

/// The files being written and their epoll registration.
final class FileWriting {
    private let loop: EventLoop
    private var sinks: [Int: FileSink] = [:]
    private var watched: Set<Int> = []
    /// Sinks whose owner still has bytes to give (a save in progress): the loop keeps turning.
    private var producing: Set<Int> = []
    private var nextID = 1

    private let wake: @Sendable () -> Void

    /// `wake` wakes the loop from a writer thread.
    init(loop: EventLoop, wake: @escaping @Sendable () -> Void) {
        self.loop = loop
        self.wake = wake
    }

    /// Starts writing `sink` as bytes arrive in it; returns its id.
    func add(_ sink: FileSink) -> Int {
        let id = nextID
        nextID += 1
        sink.moveToBackground(wake: wake)
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
            if sink.writesInBackground {
                sink.writeSome()  // notes the thread's progress, shows its calls in `trace`
                if sink.buffered > 0, now - sink.lastProgress > FileSink.stallLimit { sink.giveUp() }
            } else if sink.buffered > 0, sink.failure == nil {
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

    /// Now, while a save has more to give or a loop-written regular file has bytes waiting; else
    /// the soonest moment a stalled pipe or file gives up (a writer thread wakes the loop itself
    /// when it has made progress).
    var nextDeadline: Int64? {
        var next: Int64?
        for (id, sink) in sinks where sink.failure == nil && (sink.buffered > 0 || producing.contains(id)) {
            let waiting = (sink.pollable && sink.waitingForWritable) || (sink.writesInBackground && !producing.contains(id))
            let due = waiting ? sink.lastProgress + FileSink.stallLimit : MonotonicClock.now()
            next = min(next ?? due, due)
        }
        return next
    }
}
