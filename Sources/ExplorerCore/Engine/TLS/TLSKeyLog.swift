// TLSKeyLog — `set keylog FILE|off` and SSLKEYLOGFILE: every TLS session's secrets appended to a
// file in the NSS key-log format (what Wireshark's tls.keylog_file reads), written through a
// FileSink so a slow file never makes the loop wait.

import Glibc
import SocketKit

/// The open key-log file.
final class TLSKeyLog {
    let path: String
    let sink: FileSink
    let sinkID: Int
    /// Lines dropped because the file was behind by more than its buffer (said once in the log).
    var dropped = 0

    init(path: String, sink: FileSink, sinkID: Int) {
        self.path = path
        self.sink = sink
        self.sinkID = sinkID
    }
}

extension Engine {
    /// Opens `path` for appending key-log lines (created 0600: the secrets decrypt the traffic),
    /// replacing the file in use; nil stops. A file that cannot be opened changes nothing.
    func openKeyLog(_ path: String?) throws(CommandError) {
        guard let path else {
            closeKeyLog()
            return
        }
        let shown = Sanitizer.clean(path)
        let fd: Int32
        do {
            fd = try system.openFile(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, mode: 0o600, shown: shown)
        } catch {
            throw CommandError("set keylog: \(error)")
        }
        closeKeyLog()
        let sink = FileSink(fd: fd, shown: shown, system: system)
        tlsBook.keyLog = TLSKeyLog(path: path, sink: sink, sinkID: files.add(sink))
        event(nil, .event, "tls session secrets will be appended to \(shown) (NSS key log)")
    }

    private func closeKeyLog() {
        guard let keyLog = tlsBook.keyLog else { return }
        _ = keyLog.sink.drain(until: MonotonicClock.now() + 100_000)
        files.remove(keyLog.sinkID)
        tlsBook.keyLog = nil
    }

    /// One line from OpenSSL (`CLIENT_RANDOM …`, `SERVER_TRAFFIC_SECRET_0 …`), without its newline.
    func writeKeyLog(_ line: String) {
        guard let keyLog = tlsBook.keyLog else { return }
        guard !keyLog.sink.isBehind else {
            if keyLog.dropped == 0 { event(nil, .warning, "keylog \(keyLog.sink.shown) is behind: session secrets are dropped until it catches up") }
            keyLog.dropped += 1
            return
        }
        keyLog.sink.append(Array((line + "\n").utf8))
    }

    /// SSLKEYLOGFILE in the environment sets `keylog`, as browsers and curl do.
    func keyLogFromEnvironment() {
        guard let value = getenv("SSLKEYLOGFILE"), value.pointee != 0 else { return }
        let path = String(cString: value)
        do throws(CommandError) {
            try openKeyLog(path)
            settings.keylog = path
        } catch {
            event(nil, .warning, "SSLKEYLOGFILE: \(error.message)")
        }
    }
}
