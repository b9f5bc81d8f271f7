#!/usr/bin/env python3
"""Benchmark 8 — soak: 5 minutes of mixed hostile load on one sockpit (issue 9).

sockpit runs with its screen open in tmux (release build), recording every event into a FIFO
that a reader drains slowly (1 MB/s), with six listeners on 127.0.0.1:
  - a flood sink, fed by 2 senders as fast as sockpit reads;
  - `reply=echo` to 4 peers that send and never read (non-readers);
  - `reply="{data}{data}{data}{data}"` to 2 non-readers (reply amplification);
  - a UDP socket fed ~20,000 one-byte datagrams a second;
  - a listener fed connection churn, one connection after another;
  - `reply=echo` to a second peer that sends a line every 50 ms and times the answer.
Sampled every second: sockpit's RSS. At the end: its peak RSS (VmHWM), the second peer's
slowest and p99 answer, and whether sockpit is still running (crashes: 0).
Targets: RSS < logcap + 64 MiB, no answer slower than 100 ms, 0 crashes.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import benchlib as b

HOSTILE = os.path.join(b.ROOT, "Tests", "Peers", "python", "hostile.py")
LOGCAP_MIB = 64


def peer(*arguments):
    return subprocess.Popen(["/usr/bin/python3", HOSTILE] + [str(a) for a in arguments], stdout=subprocess.PIPE, text=True)


def outcome(process, timeout):
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    lines = [line for line in (out or "").splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def run(seconds, logcap_mib, args_verbose=False):
    ports = [b.free_port() for _ in range(5)]
    udp_port = b.free_port(b.socket.SOCK_DGRAM)
    flood_port, echo_port, amplify_port, churn_port, rtt_port = ports
    directory = tempfile.mkdtemp(prefix="sockpit-soak-")
    fifo = os.path.join(directory, "record.fifo")
    os.mkfifo(fifo)
    reader = peer("slowread", fifo, 1_000_000, seconds + 30)
    time.sleep(0.3)
    commands = [f"set logcap {logcap_mib}M", f"record {fifo}", f"listen 127.0.0.1:{flood_port}", f"listen 127.0.0.1:{echo_port} reply=echo",
                f'listen 127.0.0.1:{amplify_port} reply="{{data}}{{data}}{{data}}{{data}}"', f"listen udp 127.0.0.1:{udp_port}",
                f"listen 127.0.0.1:{churn_port}", f"listen 127.0.0.1:{rtt_port} reply=echo"]
    screen = b.sockpit_screen(" ".join(f"-e '{c}'" for c in commands), width=160, height=48)
    loads = []
    try:
        for port in ports:
            b.wait_listening(port)
        loads += [peer("flood-for", flood_port, seconds) for _ in range(2)]
        loads += [peer("nonreader", echo_port, 1 << 40, seconds) for _ in range(4)]
        loads += [peer("nonreader", amplify_port, 1 << 40, seconds) for _ in range(2)]
        loads += [peer("udp-for", udp_port, seconds), peer("churn-for", churn_port, seconds)]
        rtt = peer("rtt-for", rtt_port, seconds, 0.05)
        samples = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not os.path.exists(f"/proc/{screen.pid}"):
                break
            samples.append(b.status_kib(screen.pid, "VmRSS") / 1024)
            time.sleep(1)
        answers = outcome(rtt, 60)
        print("slow answers (s into the run, ms):", answers.get("slow"), file=sys.stderr)
        alive = os.path.exists(f"/proc/{screen.pid}")
        peak = b.status_kib(screen.pid, "VmHWM") / 1024 if alive else float("nan")
        if alive and args_verbose:
            # What holds the memory, in sockpit's own words (printed, not recorded).
            screen.type("info session")
            screen.press("Enter")
            time.sleep(1)
            print("\n".join(line.rstrip() for line in screen.capture()), file=sys.stderr)
        for load in loads:
            outcome(load, 120)
        return {"peak": peak, "samples": samples, "answers": answers, "alive": alive}
    finally:
        for load in loads:
            if load.poll() is None:
                load.kill()
        reader.kill()
        screen.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1], default_runs=1,
                        extra=lambda p: (p.add_argument("--seconds", type=int, default=300, help="duration (default %(default)s)"),
                                         p.add_argument("--logcap", type=int, default=LOGCAP_MIB, help="sockpit's logcap in MiB (default %(default)s)"),
                                         p.add_argument("--verbose", action="store_true", help="print `info session` at the end")))
    b.ensure_tools(["tmux"])
    seconds = 10 if args.tiny else args.seconds
    result = run(seconds, args.logcap, args.verbose)
    answers = result["answers"]
    slowest = answers.get("slowest_ms", float("inf"))
    p99 = answers.get("p99_ms", float("inf"))
    bound = args.logcap + 64
    table = ["| program | load | duration | peak RSS (MiB) | RSS samples max (MiB) | second peer's answers | slowest (ms) | p99 (ms) | crashes |",
             "|---|---|---|---|---|---|---|---|---|",
             f"| sockpit (screen open, recording into a slow FIFO) | 2 floods, 6 non-readers (4 echo, 2 ×4), UDP, churn | {seconds} s | "
             f"{result['peak']:.1f} | {max(result['samples'] or [0]):.1f} | {answers.get('count', 0)} | {slowest:.1f} | {p99:.1f} | "
             f"{0 if result['alive'] else 1} |"]
    notes = [f"soak: peak RSS {result['peak']:.1f} MiB; target < logcap {args.logcap} MiB + 64 MiB = {bound} MiB — "
             + b.verdict(result["peak"] < bound),
             f"soak: slowest answer to the second peer {slowest:.1f} ms; target ≤ 100 ms — " + b.verdict(slowest <= 100),
             "soak: crashes " + ("0 — **met**" if result["alive"] else "1 — **NOT met**")]
    b.record(args, "Soak: 5 minutes of mixed hostile load", table, notes)
    if not args.tiny and not (result["alive"] and result["peak"] < bound and slowest <= 100):
        sys.exit(1)


if __name__ == "__main__":
    main()
