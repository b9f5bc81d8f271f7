#!/usr/bin/env python3
"""Benchmark 4 — scale: 10,000 concurrent TCP connections to one listener.

A loopback client opens 10,000 connections (non-blocking connects, at most 64 handshakes in
flight, all kept open). Receivers,
alternated run by run:
  sockpit -e 'set maxconns 10001' -e 'listen 127.0.0.1:PORT backlog=4096' (maxconns, default
  10,000, counts the listener too) with its screen open in tmux (120x40), started with a soft
  open-file limit of 1024 so that it must raise its own limit (to the hard limit) to get there
  ncat -k -l -m 20000 --recv-only 127.0.0.1 PORT > /dev/null
Time to accept all: from the first connect until the receiver holds that many more open
descriptors (/proc/PID/fd). ncat waits with select(), which cannot watch a descriptor above
FD_SETSIZE (1024), so it is tried once at 10,000 (and gives up) and compared with sockpit at 1,000
connections, alternating (sockpit with the default backlog, 128, there). At 10,000, sockpit's
listener has `backlog=4096`: with the default 128, a burst overflows the kernel's accept queue
while sockpit draws a frame, and the client's 1 s SYN retransmits then set the pace (4 to 17 s to
accept all, sockpit idle in epoll_wait meanwhile). Then, for sockpit at 10,000 (targets 4):
  - all accepted and shown: the screen shows `Connections · 10000` and the listener `✓10000`;
  - moving the selection in the Connections pane answers within 100 ms (Up, timed from send-keys
    until capture-pane shows the ▶ on another connection; includes tmux's round trips);
  - peak RSS (VmHWM) <= 150 MB;
  - `close *` finishes within 2 s (typed at the prompt; timed until every descriptor is closed).
"""

import re
import resource
import select
import socket
import subprocess
import time

import benchlib as b

# ncat listens with a backlog of 10: more handshakes in flight overflow it and the client's SYN
# retransmit timer (1 s) would be what the comparison measures.
COMPARISON_WINDOW = 8


class ConnectFailed(RuntimeError):
    def __init__(self, message, connected):
        super().__init__(message)
        self.connected = connected


def open_connections(port, count, window=64, timeout=120):
    """Opens `count` connections, at most `window` handshakes in flight at once (a burst of 10,000
    SYNs overflows the listener's SYN queue; the kernel then answers with SYN cookies, and a
    cookie connection that finds the accept queue full is lost for good). Returns the sockets
    once all are connected."""
    sockets = []
    poller = select.epoll()
    pending = {}
    deadline = time.monotonic() + timeout
    connected = 0
    while (len(sockets) < count or pending) and time.monotonic() < deadline:
        while len(sockets) < count and len(pending) < window:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            sockets.append(s)
            pending[s.fileno()] = s
            poller.register(s.fileno(), select.EPOLLOUT)
        for fd, _ in poller.poll(1.0):
            s = pending.pop(fd, None)
            if s is None:
                continue
            poller.unregister(fd)
            error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                for other in sockets:
                    other.close()
                raise ConnectFailed(f"connect failed: errno {error}", connected)
            connected += 1
    poller.close()
    if pending or len(sockets) < count:
        raise TimeoutError(f"{count - len(sockets) + len(pending)} connections still not connected after {timeout} s")
    return sockets


def accept_time(pid, port, count, window):
    base = b.open_descriptors(pid)
    start = time.perf_counter()
    clients = open_connections(port, count, window)
    b.wait_until(lambda: b.open_descriptors(pid) >= base + count, 120, f"{count} accepted connections", interval=0.005)
    return time.perf_counter() - start, clients, base


def selected_id(screen):
    for line in screen:
        match = re.search(r"▶#(\d+)", line)
        if match:
            return match.group(1)
    return None


def run_sockpit(count, result, window=64, backlog=4096):
    port = b.free_port()
    # maxconns counts every open socket, the listener too: 10,000 peers need 10,001.
    screen = b.sockpit_screen(f"-e 'set maxconns {count + 1}' -e 'listen 127.0.0.1:{port} backlog={backlog}'",
                              soft_file_limit=1024)
    clients = []
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        seconds, clients, base = accept_time(screen.pid, port, count, window)
        screen.wait_text(f"Connections · {count}", timeout=30)
        screen.wait_text(f"✓{count}", timeout=30)
        screen.press("Tab")
        screen.press("Tab")  # focus: prompt → listeners → connections
        # The first peer stays the target as the others connect; End selects the newest row.
        screen.press("End")
        newest = str(count + 1)
        before = selected_id(screen.wait_for(lambda s: selected_id(s) == newest, 10, "End to select the newest connection"))
        moves = []
        for _ in range(5 if count >= 10 else 2):
            start = time.perf_counter()
            screen.press("Up")
            after = selected_id(screen.wait_for(lambda s: selected_id(s) not in (None, before), 10, "the selection to move"))
            moves.append(time.perf_counter() - start)
            before = after
        result.setdefault("moves", []).extend(moves)
        screen.press("Tab")
        screen.press("Tab")  # back to the prompt
        screen.type("close *")
        start = time.perf_counter()
        screen.press("Enter")
        b.wait_until(lambda: b.open_descriptors(screen.pid) <= base, 60, "every connection to close", interval=0.005)
        close_seconds = time.perf_counter() - start
        screen.wait_text(f"0 open of {count}", timeout=30)
        result.setdefault("close", []).append(close_seconds)
        result.setdefault("rss", []).append(b.status_kib(screen.pid, "VmHWM") / 1024)
        return seconds
    finally:
        for client in clients:
            client.close()
        screen.close()


def run_ncat(count, window=COMPARISON_WINDOW):
    """Seconds for ncat to hold `count` connections, or (None, how many it held, its error) when it gave up."""
    port = b.free_port()
    process = subprocess.Popen(["ncat", "-k", "-l", "-m", str(count * 2), "--recv-only", "127.0.0.1", str(port)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    clients = []
    try:
        b.wait_listening(port)
        seconds, clients, _ = accept_time(process.pid, port, count, window)
        return seconds, count, ""
    except ConnectFailed as failure:
        process.kill()
        error = process.communicate()[1].decode(errors="replace").strip()
        return None, failure.connected, error
    finally:
        for client in clients:
            client.close()
        if process.poll() is None:
            process.kill()
            process.wait()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["ncat", "tmux"])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    count, small = (50, 20) if args.tiny else (10_000, 200)
    if hard < count + 100:
        b.skip(f"the hard open-file limit is {hard}; {count} connections need more (ulimit -Hn)")
    # ncat first at the full load: it may not get there.
    ncat_full, ncat_held, ncat_error = run_ncat(count)
    b.log(f"ncat at {count}: " + (f"{ncat_full:.3f} s" if ncat_full else f"gave up ({ncat_error or 'refused'})"))
    # The comparison at a load both can take, alternating.
    tools = ["sockpit", "ncat"]
    times = {tool: [] for tool in tools}
    for run in range(args.runs):
        for tool in (tools if run % 2 == 0 else tools[::-1]):
            seconds = run_sockpit(small, {}, COMPARISON_WINDOW, backlog=128) if tool == "sockpit" else run_ncat(small)[0]
            times[tool].append(seconds)
            b.log(f"run {run + 1}/{args.runs} {tool}: {small} accepted in {seconds:.3f} s")
    # sockpit's targets at the full load.
    result = {}
    full = []
    for run in range(args.runs):
        full.append(run_sockpit(count, result))
        b.log(f"run {run + 1}/{args.runs} sockpit: {count} accepted in {full[-1]:.3f} s")
    table = ["| receiver | connections | median s to accept all | runs (s) | vs ncat |", "|---|---|---|---|---|"]
    for tool in tools:
        m = b.median(times[tool])
        table.append(f"| {tool} | {small} | {m:.3f} | " + " ".join(f"{t:.2f}" for t in times[tool])
                     + f" | {b.median(times['ncat']) / m:.2f}× |")
    table.append(f"| sockpit | {count} | {b.median(full):.3f} | " + " ".join(f"{t:.2f}" for t in full) + " | – |")
    table.append(f"| ncat | {count} | " + (f"{ncat_full:.3f} | | |" if ncat_full else
                 f"gave up: “{ncat_error or 'connection refused'}”; {ncat_held} connections had been made | | |"))
    worst_move = max(result["moves"])
    worst_close = max(result["close"])
    peak = max(result["rss"])
    notes = [f"sockpit started with a soft open-file limit of 1024 (hard {hard}) and `set maxconns {count + 1}`, listening "
             f"with `backlog=4096` at {count} (the default 128 at {small}); its screen open in tmux 120×40; the client keeps at most 64 handshakes in flight at 10,000 and 8 in the "
             f"comparison at {small} (ncat's listen backlog is 10)",
             f"4. all {count} accepted and shown (`Connections · {count}`, `✓{count}`) — **met** in every run",
             f"4. selection moves (Up, 5 per run): median {b.median(result['moves']) * 1000:.0f} ms, worst {worst_move * 1000:.0f} ms "
             f"(send-keys → capture-pane); target ≤ 100 ms — {b.verdict(worst_move <= 0.1)}",
             f"4. peak RSS (VmHWM): worst {peak:.1f} MiB; target ≤ 150 MB — {b.verdict(peak * 1.048576 <= 150)}",
             f"4. `close *`: median {b.median(result['close']):.3f} s, worst {worst_close:.3f} s; target ≤ 2 s — "
             f"{b.verdict(worst_close <= 2)}"]
    b.record(args, "4 · Scale: 10,000 connections to one listener", table, notes)


if __name__ == "__main__":
    main()
