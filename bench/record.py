#!/usr/bin/env python3
"""Benchmark 9 — recording that keeps up with the wire (issue 12).

A loopback sender pushes 1 GB (1 MiB writes) into sockpit, which listens with its screen open in
tmux (120x40); the time is from connect to sockpit's close. Alternated run by run:
  none    sockpit -e 'listen 127.0.0.1:PORT'
  pcapng  sockpit -e 'record DIR/x.pcapng' -e 'listen …'
  jsonl   sockpit -e 'record DIR/x.jsonl' -e 'listen …'
  tcpdump the unrecorded sockpit while `tcpdump -i lo -w DIR/x.pcap tcp port PORT` captures the same
          flood (its "dropped by kernel" count is reported)
  socat   `socat -u TCP-LISTEN:PORT OPEN:DIR/x.raw,creat,trunc` instead of sockpit: what a user would
          run to keep a flood's bytes in a file, no capture format, no screen (how much the file
          write alone costs on this machine)
DIR is /dev/shm (memory) unless --dir says otherwise, so the formatters are compared, not a disk.
Targets: pcapng >= 0.7x the unrecorded rate with 0 drops (sockpit never drops: back-pressure);
JSONL >= 300 MB/s of payload. Not timed, after each recorded run: the file holds every byte (a
pcapng file: capinfos' data size; JSON lines: the sum of `len`, read back).
Then: peak RSS (VmHWM) while recording 300 MB into a FIFO read at 20 MB/s: back-pressure must keep
it bounded (the sender just waits).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import benchlib as b

MODES = ["none", "pcapng", "jsonl", "tcpdump", "socat"]


def extra(parser):
    parser.add_argument("--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
                        help="where the record files go (default /dev/shm)")


def recorded_bytes(path, mode):
    """Payload bytes the file holds (not timed)."""
    if mode == "pcapng":
        out = subprocess.run(["capinfos", "-c", "-d", "-M", path], capture_output=True, text=True, timeout=600).stdout
        # capinfos counts whole packets; the payload is that less 40 bytes of headers per packet.
        size = int(re.search(r"Data size:\s+(\d+)", out).group(1))
        packets = int(re.search(r"Number of packets:\s+(\d+)", out).group(1))
        return size, packets
    total = 0
    with open(path, "rb") as f:
        for line in f:
            event = json.loads(line)
            if event.get("event") == "recv":
                total += event["len"]
    return total, None


def run_socat(total, directory):
    """socat writing the flood's bytes into a file: the time is from connect to socat's close."""
    port = b.free_port()
    path = os.path.join(directory, f"record-bench-{os.getpid()}.raw")
    process = subprocess.Popen(["socat", "-u", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr", f"OPEN:{path},creat,trunc"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        b.wait_listening(port)
        seconds = b.flood(port, total)
        process.wait(timeout=60)
        return {"seconds": seconds, "kept": os.path.getsize(path), "packets": None}
    finally:
        if process.poll() is None:
            process.kill()
        if os.path.exists(path):
            os.remove(path)


def run_sockpit(mode, total, directory):
    if mode == "socat":
        return run_socat(total, directory)
    port = b.free_port()
    path = os.path.join(directory, f"record-bench-{os.getpid()}.{mode}")
    record = f"-e 'record {path}' " if mode in ("pcapng", "jsonl") else ""
    capture = None
    if mode == "tcpdump":
        capture = subprocess.Popen(["tcpdump", "-i", "lo", "-w", path, "-U", "tcp", "port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # tcpdump says nothing when it starts listening; give it a moment
    screen = b.sockpit_screen(f"{record}-e 'listen 127.0.0.1:{port}'")
    result = {}
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        result["seconds"] = b.flood(port, total)
        if mode in ("pcapng", "jsonl"):
            screen.type("record off")
            screen.press("Enter")
            screen.wait_text("stopped recording", timeout=60)
    finally:
        screen.close()
    try:
        if capture:
            time.sleep(0.5)
            capture.terminate()
            err = capture.communicate(timeout=30)[1]
            match = re.search(r"(\d+) packets dropped by kernel", err)
            result["drops"] = int(match.group(1)) if match else None
        elif mode in ("pcapng", "jsonl"):
            result["kept"], result["packets"] = recorded_bytes(path, mode)
    finally:
        if os.path.exists(path):
            os.remove(path)
    return result


def slow_fifo_peak(total):
    """Peak RSS while recording `total` bytes of flood into a FIFO read at 20 MB/s."""
    directory = tempfile.mkdtemp(prefix="sockpit-record-bench-")
    fifo = os.path.join(directory, "record.fifo")
    os.mkfifo(fifo)
    done = threading.Event()

    def reader():
        with open(fifo, "rb") as f:
            while not done.is_set():
                start = time.monotonic()
                if not f.read(1 << 20):
                    return
                time.sleep(max(0, 0.05 - (time.monotonic() - start)))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    port = b.free_port()
    screen = b.sockpit_screen(f"-e 'record {fifo} jsonl' -e 'listen 127.0.0.1:{port}'")
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        seconds = b.flood(port, total)
        peak = b.status_kib(screen.pid, "VmHWM") / 1024
        return peak, seconds
    finally:
        done.set()
        screen.close()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    args = b.parse_args(__doc__.splitlines()[1], default_runs=3, extra=extra)
    b.ensure_tools(["tmux"])
    have_tcpdump = shutil.which("tcpdump") is not None and os.geteuid() == 0
    have_socat = shutil.which("socat") is not None
    modes = [mode for mode in MODES if (mode != "tcpdump" or have_tcpdump) and (mode != "socat" or have_socat)]
    if shutil.which("capinfos") is None:
        b.skip("capinfos is missing (apt-get install -y tshark)")
    total = 20_000_000 if args.tiny else 1_000_000_000
    times = {mode: [] for mode in modes}
    drops, lossless = [], True
    for run in range(args.runs):
        order = modes[run % len(modes):] + modes[:run % len(modes)]
        for mode in order:
            result = run_sockpit(mode, total, args.dir)
            times[mode].append(result["seconds"])
            note = ""
            if "drops" in result:
                drops.append(result["drops"])
                note = f", tcpdump dropped {result['drops']} packets"
            if "kept" in result:
                # pcapng: every packet is IPv4 + TCP, 40 header bytes (the two SYNs carry a few
                # bytes of options more), so the payload is the data size less 40 per packet.
                kept = result["kept"] - 40 * result["packets"] if result["packets"] is not None else result["kept"]
                ok = total <= kept <= total + 64
                lossless = lossless and ok
                note = f", file holds {kept} payload bytes" + ("" if ok else " **not what was sent**")
            b.log(f"run {run + 1}/{args.runs} {mode}: {total / result['seconds'] / 1e6:.0f} MB/s ({result['seconds']:.3f} s){note}")
    peak, slow_seconds = slow_fifo_peak(10_000_000 if args.tiny else 300_000_000)
    rate = {mode: total / b.median(times[mode]) / 1e6 for mode in modes}
    labels = {"none": "sockpit, not recording", "pcapng": "sockpit, `record x.pcapng`", "jsonl": "sockpit, `record x.jsonl`",
              "tcpdump": "sockpit, not recording, while `tcpdump -i lo -w x.pcap` captures",
              "socat": "socat into a file (`socat -u TCP-LISTEN OPEN:x.raw`), no sockpit"}
    table = ["| receiver | median MB/s | median s | runs (s) | vs not recording |", "|---|---|---|---|---|"]
    for mode in modes:
        runs = " ".join(f"{t:.2f}" for t in times[mode])
        table.append(f"| {labels[mode]} | {rate[mode]:.0f} | {b.median(times[mode]):.3f} | {runs} | {rate[mode] / rate['none']:.2f}× |")
    pcapng_ratio = rate["pcapng"] / rate["none"]
    notes = [f"{total / 1e9:g} GB per run into sockpit with its screen open in tmux 120×40; record files in {args.dir}; "
             "after each recorded run the file was read back (capinfos data size; the JSON lines' `len`) — "
             + ("every byte was there" if lossless else "**bytes missing**"),
             f"pcapng: {pcapng_ratio:.2f}× the unrecorded rate, 0 drops (back-pressure); target ≥ 0.7× — {b.verdict(pcapng_ratio >= 0.7)}",
             f"JSON lines: {rate['jsonl']:.0f} MB/s of payload; target ≥ 300 MB/s — {b.verdict(rate['jsonl'] >= 300)}",
             f"recording {10 if args.tiny else 300} MB into a FIFO read at 20 MB/s: peak RSS {peak:.1f} MiB "
             f"({slow_seconds:.1f} s; the sender waited, back-pressure)"]
    if "socat" in rate:
        notes.append(f"socat writing the raw bytes into a file: {rate['socat']:.0f} MB/s; sockpit's pcapng record is "
                     f"{rate['pcapng'] / rate['socat']:.2f}× that (the file write's own cost on this machine)")
    if drops:
        notes.append(f"tcpdump -i lo -w on the same flood: dropped {', '.join(map(str, drops))} packets (kernel count, per run)")
    elif not have_tcpdump:
        notes.append("tcpdump not measured (needs tcpdump and root)")
    b.record(args, "9 · Recording a 1 GB flood: pcapng, JSON lines, tcpdump", table, notes)


if __name__ == "__main__":
    main()
