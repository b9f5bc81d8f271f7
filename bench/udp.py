#!/usr/bin/env python3
"""Benchmark 7 — UDP: 200,000 small datagrams per second for 5 s.

A loopback sender sends 1,000,000 datagrams of 32 bytes, paced at 200,000 per second (in 1 ms
batches), counting each send the kernel accepted. Receivers, alternated run by run:
  sockpit -e 'listen udp 127.0.0.1:PORT' with its screen open in tmux (250x40), every datagram logged
  socat -u UDP-RECV:PORT,bind=127.0.0.1 /dev/null
  nc -u -l 127.0.0.1 PORT > /dev/null
For sockpit, once nothing more arrives, `info #1` shows its count and the kernel's drops for the
socket (SO_MEMINFO):
    in  B bytes in N datagrams ...
    kernel drops: D datagrams
Target 7: N equals what the kernel delivered (sent - D), and drops, if any, are shown. For the
peers, which count nothing, drops come from the system-wide Udp RcvbufErrors in /proc/net/snmp
(nothing else on the machine should be sending UDP meanwhile); the same counter is read around
sockpit's runs as a cross-check of `info`.
"""

import re
import socket
import subprocess
import time

import benchlib as b

COUNTS = re.compile(r"in  (\d+) bytes in (\d+) datagrams")
DROPS = re.compile(r"kernel drops: (\d+) datagrams")


def send_paced(port, rate, seconds, size=32):
    """Sends `rate` datagrams per second for `seconds`; returns (datagrams the kernel accepted, seconds taken)."""
    payload = b"x" * (size - 1) + b"\n"
    batch = max(1, rate // 1000)
    total = rate * seconds
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("127.0.0.1", port))
        send = s.send
        start = time.perf_counter()
        while sent < total:
            for _ in range(min(batch, total - sent)):
                try:
                    send(payload)
                except (BlockingIOError, ConnectionRefusedError):
                    continue
                sent += 1
            ahead = start + sent / rate - time.perf_counter()
            if ahead > 0:
                time.sleep(ahead)
        return sent, time.perf_counter() - start


def receive_buffer_errors():
    with open("/proc/net/snmp") as f:
        lines = [line.split() for line in f if line.startswith("Udp:")]
    return int(lines[1][lines[0].index("RcvbufErrors")])


def run_peer(tool, rate, seconds):
    port = b.free_port(socket.SOCK_DGRAM)
    command = (["socat", "-u", f"UDP-RECV:{port},bind=127.0.0.1", "/dev/null"] if tool == "socat"
               else ["nc", "-u", "-l", "127.0.0.1", str(port)])
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        b.wait_listening(port, udp=True)
        before = receive_buffer_errors()
        sent, elapsed = send_paced(port, rate, seconds)
        time.sleep(1)
        drops = receive_buffer_errors() - before
        return {"sent": sent, "rate": sent / elapsed, "received": None, "drops": drops, "matches": True}
    finally:
        process.kill()
        process.wait()


def run(rate, seconds):
    port = b.free_port(socket.SOCK_DGRAM)
    screen = b.sockpit_screen(f"-e 'listen udp 127.0.0.1:{port}'", width=250, height=40)
    try:
        b.wait_listening(port, udp=True)
        screen.wait_text("Connections")
        before = receive_buffer_errors()
        sent, elapsed = send_paced(port, rate, seconds)
        time.sleep(1)  # let sockpit read what is still queued
        system_drops = receive_buffer_errors() - before
        screen.type("info #1")
        screen.press("Enter")
        found = screen.wait_for(lambda s: any(DROPS.search(line) for line in s), 10, "info #1")
        received = next(int(COUNTS.search(line).group(2)) for line in found if COUNTS.search(line))
        drops = next(int(DROPS.search(line).group(1)) for line in found if DROPS.search(line))
        return {"sent": sent, "rate": sent / elapsed, "received": received, "drops": drops,
                "system_drops": system_drops, "matches": received + drops == sent}
    finally:
        screen.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["tmux", "socat", "nc"])
    rate, seconds = (20_000, 1) if args.tiny else (200_000, 5)
    tools = ["sockpit", "socat", "nc"]
    results = {tool: [] for tool in tools}
    for index in range(args.runs):
        for tool in tools[index % 3:] + tools[:index % 3]:
            r = run(rate, seconds) if tool == "sockpit" else run_peer(tool, rate, seconds)
            results[tool].append(r)
            b.log(f"run {index + 1}/{args.runs} {tool}: sent {r['sent']} at {r['rate']:.0f}/s, kernel drops {r['drops']}"
                  + (f", sockpit counted {r['received']} ({'matches' if r['matches'] else 'MISMATCH'}; "
                     f"RcvbufErrors {r['system_drops']})" if tool == "sockpit" else ""))
    table = ["| receiver | median sent/s | median delivered | median kernel drops | delivered share | count = sent − drops |",
             "|---|---|---|---|---|---|"]
    for tool in tools:
        runs = results[tool]
        delivered = b.median([r["sent"] - r["drops"] for r in runs])
        share = b.median([(r["sent"] - r["drops"]) / r["sent"] for r in runs])
        check = ("yes, every run" if all(r["matches"] for r in runs) else "**no**") if tool == "sockpit" else "(counts nothing)"
        table.append(f"| {tool} | {b.median([r['rate'] for r in runs]):.0f} | {delivered:.0f} | "
                     f"{b.median([r['drops'] for r in runs]):.0f} | {share:.0%} | {check} |")
    sockpit = results["sockpit"]
    ok = all(r["matches"] for r in sockpit)
    notes = [f"{rate} datagrams/s of 32 bytes for {seconds} s (the sender's pace is what Python reached); "
             "sockpit's screen open, every datagram logged; default receive buffers everywhere",
             "sockpit runs: counted / drops by `info` / RcvbufErrors: "
             + ", ".join(f"{r['received']}/{r['drops']}/{r['system_drops']}" for r in sockpit),
             f"7. UDP: sockpit's count equals what the kernel delivered (sent − drops shown by `info`) — {b.verdict(ok)}"]
    b.record(args, "7 · UDP: 200,000 datagrams per second", table, notes)


if __name__ == "__main__":
    main()
