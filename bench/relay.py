#!/usr/bin/env python3
"""Benchmark 11 — relay throughput, added latency and memory.

A relay between a loopback client and server, alternated run by run:
  socat TCP-LISTEN:P,bind=127.0.0.1,reuseaddr TCP:127.0.0.1:Q
  sockpit -e 'relay 127.0.0.1:P 127.0.0.1:Q' with its screen open in tmux (120x40), logging (64 MiB cap)
Throughput: 1 GB client→server (the client writes 1 MiB pieces, shuts down writing, waits for the
close the relay passes back from the sink) and 1 GB server→client (the server writes and closes;
the client reads to EOF), same sender and sink for both relays. Target: sockpit >= 1.0x socat.
Latency: 10,000 round trips of 64 bytes to an echo server, direct and through each relay; p50 and
p99 of the added time. Memory: sockpit's peak RSS while a client floods a server that never reads.
(ncat has no relay of its own: `ncat --sh-exec "ncat HOST PORT"` runs a second ncat per client, so
it is left out.)
"""

import socket
import subprocess
import threading
import time

import benchlib as b

CHUNK = 1 << 20


class Server:
    """A one-connection-at-a-time loopback server running `serve(connection)` per client."""

    def __init__(self, serve):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.serve = serve
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                try:
                    self.serve(connection)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def sink(connection):
    buffer = bytearray(CHUNK)
    while connection.recv_into(buffer):
        pass


def source(total):
    def serve(connection):
        view = memoryview(bytes(range(256)) * (CHUNK // 256))
        left = total
        while left > 0:
            left -= connection.send(view[: min(left, CHUNK)])
        connection.shutdown(socket.SHUT_WR)
        while connection.recv(65536):
            pass
    return serve


def echo(connection):
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = connection.recv(65536)
        if not data:
            return
        connection.sendall(data)


def never_reads(connection):
    time.sleep(30)


def download(port, timeout=600):
    """Connects, reads until EOF; seconds from connect to EOF and the bytes read."""
    buffer = bytearray(CHUNK)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        start = time.perf_counter()
        total = 0
        while True:
            count = s.recv_into(buffer)
            if count == 0:
                return time.perf_counter() - start, total
            total += count


def round_trips(port, count):
    """Per-round-trip seconds of `count` 64-byte request/responses."""
    message = b"x" * 64
    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(count):
            start = time.perf_counter()
            s.sendall(message)
            got = 0
            while got < 64:
                got += len(s.recv(64 - got))
            times.append(time.perf_counter() - start)
    return times


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Relay:
    """socat or sockpit relaying 127.0.0.1:port to the server on `upstream`."""

    def __init__(self, tool, upstream):
        self.tool = tool
        self.port = b.free_port()
        self.screen = None
        self.process = None
        if tool == "socat":
            self.process = subprocess.Popen(
                ["socat", f"TCP-LISTEN:{self.port},bind=127.0.0.1,reuseaddr", f"TCP:127.0.0.1:{upstream}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            self.screen = b.sockpit_screen(f"-e 'relay 127.0.0.1:{self.port} 127.0.0.1:{upstream}'")
        b.wait_listening(self.port)
        if self.screen:
            self.screen.wait_text("Connections")

    @property
    def pid(self):
        return self.screen.pid if self.screen else self.process.pid

    def close(self):
        if self.screen:
            self.screen.close()
        if self.process:
            self.process.kill()
            self.process.wait()


def throughput(tool, direction, total):
    server = Server(sink if direction == "up" else source(total))
    relay = Relay(tool, server.port)
    try:
        if direction == "up":
            return b.flood(relay.port, total)
        seconds, received = download(relay.port)
        if received != total:
            raise RuntimeError(f"{tool} relayed {received} of {total} bytes server→client")
        return seconds
    finally:
        relay.close()
        server.close()


def latency(tool, count):
    server = Server(echo)
    relay = Relay(tool, server.port) if tool != "direct" else None
    try:
        return round_trips(relay.port if relay else server.port, count)
    finally:
        if relay:
            relay.close()
        server.close()


def flooded_rss(seconds):
    """sockpit's peak RSS (MiB) while a client floods a server that never reads."""
    server = Server(never_reads)
    relay = Relay("sockpit", server.port)
    try:
        stop = time.monotonic() + seconds
        with socket.create_connection(("127.0.0.1", relay.port), timeout=2) as s:
            view = memoryview(bytes(CHUNK))
            s.setblocking(False)
            sent = 0
            while time.monotonic() < stop:
                try:
                    sent += s.send(view)
                except BlockingIOError:
                    time.sleep(0.01)
        return b.status_kib(relay.pid, "VmHWM") / 1024, sent
    finally:
        relay.close()
        server.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["socat", "tmux"])
    total = 20_000_000 if args.tiny else 1_000_000_000
    trips = 200 if args.tiny else 10_000
    tools = ["socat", "sockpit"]
    times = {(tool, direction): [] for tool in tools for direction in ("up", "down")}
    for run in range(args.runs):
        order = tools[run % 2:] + tools[:run % 2]
        for direction in ("up", "down"):
            for tool in order:
                seconds = throughput(tool, direction, total)
                times[(tool, direction)].append(seconds)
                b.log(f"run {run + 1}/{args.runs} {tool} {direction}: {total / seconds / 1e9:.2f} GB/s ({seconds:.3f} s)")
    rates = {key: total / b.median(value) / 1e9 for key, value in times.items()}
    table = ["| relay | client→server GB/s | server→client GB/s | vs socat (c→s / s→c) |", "|---|---|---|---|"]
    for tool in tools:
        table.append(f"| {tool} | {rates[(tool, 'up')]:.2f} | {rates[(tool, 'down')]:.2f} | "
                     f"{rates[(tool, 'up')] / rates[('socat', 'up')]:.2f}× / {rates[(tool, 'down')] / rates[('socat', 'down')]:.2f}× |")
    samples = {tool: latency(tool, trips) for tool in ["direct", "socat", "sockpit"]}
    direct50, direct99 = percentile(samples["direct"], 0.5), percentile(samples["direct"], 0.99)
    table += ["", "| path | p50 µs | p99 µs | added p50 µs | added p99 µs |", "|---|---|---|---|---|"]
    for tool in ["direct", "socat", "sockpit"]:
        p50, p99 = percentile(samples[tool], 0.5), percentile(samples[tool], 0.99)
        table.append(f"| {tool} | {p50 * 1e6:.0f} | {p99 * 1e6:.0f} | {(p50 - direct50) * 1e6:.0f} | {(p99 - direct99) * 1e6:.0f} |")
    peak, flooded = flooded_rss(2 if args.tiny else 10)
    worst = min(rates[("sockpit", "up")] / rates[("socat", "up")], rates[("sockpit", "down")] / rates[("socat", "down")])
    notes = [f"{total / 1e9:g} GB per run and direction, {args.runs} runs alternated; sockpit with its screen open in tmux 120×40, "
             "logging (64 MiB cap); medians",
             f"11. relay throughput: sockpit {worst:.2f}× socat in its slower direction; target ≥ 1.0× — {b.verdict(worst >= 1.0)}",
             f"latency: {trips} round trips of 64 bytes to an echo server (TCP_NODELAY on client and server)",
             f"memory: peak RSS {peak:.0f} MiB while a client pushed {flooded / 1e6:.0f} MB at a server that never reads "
             "(the relay stops reading the client; the rest waits in the kernel)"]
    b.record(args, "11 · Relay (vs socat)", table, notes)


if __name__ == "__main__":
    main()
