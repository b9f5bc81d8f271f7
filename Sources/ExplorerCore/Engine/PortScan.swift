// PortScan.swift — `scan HOST PORTS`: a concurrent TCP connect scan, each port open, closed or
// filtered, with its own sockets outside the socket table.

import Glibc
import SocketKit

/// What a scanned port turned out to be.
public enum PortState: String, Sendable {
    case open, closed, filtered
}

/// One scan in progress.
final class PortScan {
    let id: Int
    let host: String
    let ports: [UInt16]
    let timeout: Int64
    let concurrency = 256
    var address: SocketAddress?
    var nextIndex = 0
    /// fd → (port, deadline).
    var probes: [Int32: (port: UInt16, deadline: Int64)] = [:]
    var results: [UInt16: PortState] = [:]
    var failure: String?
    let started = MonotonicClock.now()

    init(id: Int, host: String, ports: [UInt16], timeout: Int64) {
        self.id = id
        self.host = host
        self.ports = ports
        self.timeout = timeout
    }

    var isDone: Bool { failure != nil || (address != nil && results.count == ports.count) }
    var nextDeadline: Int64? { probes.values.map(\.deadline).min() }

    func token(_ fd: Int32) -> UInt64 { Engine.scanTokenBit | (UInt64(id) << 32) | UInt64(UInt32(bitPattern: fd)) }

    /// Starts probes until `concurrency` are in flight.
    func pump(_ scanner: PortScanner) {
        guard let address else { return }
        while probes.count < concurrency, nextIndex < ports.count {
            let port = ports[nextIndex]
            nextIndex += 1
            let target = address.with(port: port)
            do throws(SystemError) {
                let fd = try scanner.system.openSocket(family: target.family, transport: .tcp)
                do throws(SystemError) {
                    if try scanner.system.connect(fd, to: target) {
                        let state = connectedState(fd, target, scanner)
                        scanner.system.close(fd)
                        record(port, state, scanner)
                        continue
                    }
                    try scanner.loop.add(fd, .writable, token: token(fd))
                    probes[fd] = (port, MonotonicClock.now() + timeout)
                } catch {
                    scanner.system.close(fd)
                    record(port, Self.classify(error.code), scanner)
                }
            } catch {
                // Out of descriptors or similar: stop here with a clear reason.
                failure = "scan \(host): \(error.description) after \(results.count) ports"
                return
            }
        }
    }

    /// A probe became writable: its connect finished.
    func finished(fd: Int32, _ scanner: PortScanner) {
        guard let probe = probes.removeValue(forKey: fd) else { return }
        let code = scanner.system.pendingError(fd)
        let state = code == 0 ? connectedState(fd, address?.with(port: probe.port), scanner) : Self.classify(code)
        scanner.loop.remove(fd)
        scanner.system.close(fd)
        record(probe.port, state, scanner)
        pump(scanner)
    }

    /// Probes past their deadline are filtered (no answer at all).
    func expire(now: Int64, _ scanner: PortScanner) {
        for (fd, probe) in probes where probe.deadline <= now {
            probes[fd] = nil
            scanner.loop.remove(fd)
            scanner.system.close(fd)
            record(probe.port, .filtered, scanner)
        }
        pump(scanner)
    }

    private func record(_ port: UInt16, _ state: PortState, _ scanner: PortScanner) {
        // No event per open port: the scan answers once, with `report` (issue 14).
        results[port] = state
    }

    /// A probe that connected: open, unless it connected to itself. With nothing listening on a
    /// loopback port in the ephemeral range, the kernel may pick that very port as the probe's own
    /// and the SYN meets itself (a TCP simultaneous open): that port is closed, not open.
    private func connectedState(_ fd: Int32, _ target: SocketAddress?, _ scanner: PortScanner) -> PortState {
        guard let target, let local = try? scanner.system.localAddress(fd) else { return .open }
        return local == target ? .closed : .open
    }

    static func classify(_ code: Int32) -> PortState {
        code == ECONNREFUSED ? .closed : .filtered
    }

    func closeAll() {
        for fd in probes.keys { Glibc.close(fd) }
        probes.removeAll()
    }

    /// The report: a line per port for small scans, open ports and counts for large ones.
    func report() -> [String] {
        let elapsed = Units.duration(MonotonicClock.now() - started)
        let counts = Dictionary(grouping: results.values, by: { $0 }).mapValues(\.count)
        let target = address.map { $0.host == host ? host : "\(host) (\($0.host))" } ?? host
        var lines = ["scan \(target): \(counts[.open] ?? 0) open, \(counts[.closed] ?? 0) closed, \(counts[.filtered] ?? 0) filtered (\(ports.count) ports in \(elapsed))"]
        for port in ports.sorted() {
            guard let state = results[port] else { continue }
            if ports.count <= 64 || state == .open {
                lines.append("  \(port)/tcp".padding(12) + state.rawValue)
            }
        }
        return lines
    }
}

/// The engine's part that runs port scans: their probes are sockets of their own, outside the
/// socket table, registered with the loop under scan tokens.
final class PortScanner {
    let loop: EventLoop
    let system: SystemCalls
    let log: SessionLog
    private let resolution: Resolution
    private var scans: [Int: PortScan] = [:]
    private var nextID = 1

    init(loop: EventLoop, system: SystemCalls, log: SessionLog, resolution: Resolution) {
        self.loop = loop
        self.system = system
        self.log = log
        self.resolution = resolution
    }

    /// The soonest probe deadline.
    var nextDeadline: Int64? { scans.values.compactMap(\.nextDeadline).min() }

    /// Starts a scan; `report` is polled by the command's operation.
    func start(host: String, ports: [UInt16], timeout: Int64) -> PortScan {
        let id = nextID
        nextID += 1
        let scan = PortScan(id: id, host: Sanitizer.clean(host), ports: ports, timeout: timeout)
        scans[id] = scan
        resolution.resolve(host: host, port: 0, transport: .tcp) { [weak self] result in
            guard let self, let scan = self.scans[id] else { return }
            switch result {
            case .success(let addresses) where !addresses.isEmpty:
                scan.address = addresses.first { $0.family == AF_INET } ?? addresses[0]
                scan.pump(self)
            case .success:
                scan.failure = "scan \(scan.host): no address"
            case .failure(let error):
                scan.failure = "scan \(scan.host): \(error.reason)"
            }
        }
        return scan
    }

    /// The scan is over (done or abandoned): its probes close.
    func finish(_ scan: PortScan) {
        scans[scan.id] = nil
        scan.closeAll()
    }

    /// A probe's descriptor is ready.
    func handle(token: UInt64) {
        let scanID = Int((token & ~Engine.scanTokenBit) >> 32)
        let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
        scans[scanID]?.finished(fd: fd, self)
    }

    /// Probes past their deadline count as filtered.
    func expire(now: Int64) {
        for scan in Array(scans.values) { scan.expire(now: now, self) }
    }

    /// Closes every probe (quit).
    func closeAll() {
        for scan in scans.values { scan.closeAll() }
        scans.removeAll()
    }
}

extension Engine {
    /// `scan HOST PORTS [timeout=SEC]`.
    func scan(host: String, ports: [UInt16], timeout: Int64, origin: CommandOrigin) -> Outcome {
        let scan = scanner.start(host: host, ports: ports, timeout: timeout)
        let operation = Operation(label: "scan \(scan.host)", origin: origin, timeout: nil, poll: { [unowned self] in
            guard scan.isDone else { return nil }
            self.scanner.finish(scan)
            if let failure = scan.failure { return .error(failure) }
            let report = scan.report()
            self.output(report)
            return .ok(report[0])
        }, timedOut: { .error("scan timed out") })
        return begin(operation, progress: "scanning \(ports.count) ports on \(scan.host)…")
    }
}
