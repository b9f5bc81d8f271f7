#!/usr/bin/env python3
"""Benchmarks 1 and 5 — flood receive, and keys under load.

A loopback sender pushes 2 GB (1 MiB writes), shuts down writing and waits for the receiver to
close; the time is from connect to that close. Receivers, alternated run by run:
  nc -l 127.0.0.1 PORT > /dev/null            (netcat-openbsd)
  ncat -l --recv-only 127.0.0.1 PORT > /dev/null
  socat -u TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr /dev/null
  sockpit -e 'listen 127.0.0.1:PORT' with its screen open in tmux (120x40), logging (64 MiB cap)
Target 1: sockpit >= 0.8x the fastest peer's throughput (medians).
After each sockpit run, `info` must report every byte received (checked, not timed).

During each sockpit run, keys are typed at the prompt with tmux send-keys and the screen is polled
with capture-pane until each shows: target 5, every key within 100 ms (the figure includes tmux's
own send-keys and capture-pane round trips, so it overstates sockpit's share).
"""

import subprocess
import threading
import time

import benchlib as b

PROBE_KEYS = "abcdefghijklmnopqrstuvwxyz"


def peer_command(tool, port):
    return {
        "nc": ["nc", "-l", "127.0.0.1", str(port)],
        "ncat": ["ncat", "-l", "--recv-only", "127.0.0.1", str(port)],
        "socat": ["socat", "-u", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr", "/dev/null"],
    }[tool]


def run_peer(tool, total):
    port = b.free_port()
    process = subprocess.Popen(peer_command(tool, port), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        b.wait_listening(port)
        return b.flood(port, total)
    finally:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prompt_row(screen, height):
    return screen[height - 2] if len(screen) >= height - 1 else ""


def probe_keys(screen, done, latencies):
    """Types one key at a time while the flood runs; records how long each took to show."""
    typed = ""
    time.sleep(0.2)
    for key in PROBE_KEYS:
        if done.is_set():
            return
        typed += key
        start = time.perf_counter()
        screen.type(key)
        deadline = start + 5
        while time.perf_counter() < deadline:
            if prompt_row(screen.capture(), screen.height).rstrip().endswith(typed):
                break
        else:
            latencies.append(float("inf"))
            return
        if not done.is_set():  # only keys that were answered while the flood was still running
            latencies.append(time.perf_counter() - start)
        time.sleep(0.1)


def run_sockpit(total, latencies):
    port = b.free_port()
    screen = b.sockpit_screen(f"-e 'listen 127.0.0.1:{port}'")
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        done = threading.Event()
        run_latencies = []
        prober = threading.Thread(target=probe_keys, args=(screen, done, run_latencies))
        prober.start()
        try:
            seconds = b.flood(port, total)
        finally:
            done.set()
            prober.join()
        latencies.extend(run_latencies)
        # Not timed: every byte was counted. Clear the probe keys, then ask.
        screen.press("C-u")
        screen.type("info #2")
        screen.press("Enter")
        screen.wait_text(f"in  {total} bytes", timeout=10)
        return seconds
    finally:
        screen.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["nc", "ncat", "socat", "tmux"])
    total = 20_000_000 if args.tiny else 2_000_000_000
    tools = ["nc", "ncat", "socat", "sockpit"]
    times = {tool: [] for tool in tools}
    latencies = []
    for run in range(args.runs):
        order = tools[run % len(tools):] + tools[:run % len(tools)]
        for tool in order:
            seconds = run_sockpit(total, latencies) if tool == "sockpit" else run_peer(tool, total)
            times[tool].append(seconds)
            b.log(f"run {run + 1}/{args.runs} {tool}: {total / seconds / 1e9:.2f} GB/s ({seconds:.3f} s)")
    rate = {tool: total / b.median(times[tool]) / 1e9 for tool in tools}
    best_peer = max(["nc", "ncat", "socat"], key=lambda tool: rate[tool])
    ratio = rate["sockpit"] / rate[best_peer]
    table = ["| receiver | median GB/s | median s | runs (s) | vs best peer |", "|---|---|---|---|---|"]
    for tool in tools:
        runs = " ".join(f"{t:.2f}" for t in times[tool])
        table.append(f"| {tool} | {rate[tool]:.2f} | {b.median(times[tool]):.3f} | {runs} | {rate[tool] / rate[best_peer]:.2f}× |")
    finite = [latency for latency in latencies if latency != float("inf")]
    notes = [f"{total / 1e9:g} GB per run; sockpit with its screen open in tmux 120×40, log recording (64 MiB cap), "
             "`info` checked every byte after each run",
             f"1. flood receive: sockpit {ratio:.2f}× the fastest peer ({best_peer}); target ≥ 0.8× — {b.verdict(ratio >= 0.8)}"]
    if latencies:
        worst = max(latencies)
        notes.append(f"5. keys under load: {len(latencies)} keys typed during the floods, median "
                     f"{b.median(finite) * 1000 if finite else float('inf'):.0f} ms, worst {worst * 1000:.0f} ms from "
                     f"send-keys until capture-pane showed it; target ≤ 100 ms — {b.verdict(worst <= 0.1)}")
    else:
        notes.append("5. keys under load: no key probe finished while a flood was running (the flood was too short)")
    b.record(args, "1 + 5 · Flood receive and keys under load", table, notes)


if __name__ == "__main__":
    main()
