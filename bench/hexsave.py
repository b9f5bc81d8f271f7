#!/usr/bin/env python3
"""Benchmark 2 — formatting: a 256 MB capture written as a hex dump.

The same 256 MB of seeded random bytes are formatted by, alternately:
  xxd IN > OUT
  hexdump -C IN > OUT
  sockpit's `save OUT hex`, after receiving the bytes over loopback (headless, `set logcap 300M`)
Outputs go to /dev/null by default: the formatters are what is compared, not the kernel. With
--to-shm they go to a file on /dev/shm (tmpfs) instead, and then the kernel's cost of allocating
1.3 GB of page cache dominates and varies several-fold with the VM's memory state (see below).

What is timed for sockpit: only the save. sockpit runs headless with --verbose, which prints each
command's status line to stderr as the command finishes; the script reads stderr through a pipe
and timestamps each line as it arrives. The save's time is from the status of the `wait closed`
before it to the save's own status: open, format every entry, write, fsync, rename. For xxd and
hexdump the time is the whole process, start to exit. Target 2: sockpit at least 4x faster than
the faster of the two.

With --to-shm, before every run of every tool, 1.5 GB is written to /dev/shm and removed again, so
that each one finds memory in the same state: in a VM with free page reporting (Firecracker here), memory freed
a few seconds earlier goes back to the host and costs several times as much to touch again, and
writing 1.3 GB of output is mostly that.
"""

import os
import random
import subprocess
import threading
import time

import benchlib as b

SHM = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"


def make_input(size):
    path = os.path.join(SHM, f"sockpit-bench-{os.getpid()}.bin")
    generator = random.Random(2)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, 1 << 24)
            f.write(generator.randbytes(n))
            left -= n
    return path


def warm_memory(size=1_500_000_000):
    path = os.path.join(SHM, f"sockpit-bench-{os.getpid()}.warm")
    block = bytes(1 << 20)
    with open(path, "wb") as f:
        for _ in range(size >> 20):
            f.write(block)
    os.unlink(path)


def run_peer(tool, source, output):
    command = ["xxd", source] if tool == "xxd" else ["hexdump", "-C", source]
    with open(output, "wb") as out:
        start = time.perf_counter()
        subprocess.run(command, stdout=out, check=True)
        seconds = time.perf_counter() - start
    return seconds


def send_file(port, source):
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s, open(source, "rb") as f:
        s.sendfile(f)
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass


def run_sockpit(source, output, size):
    port = b.free_port()
    script = ["-e", "set logcap 300M", "-e", f"listen 127.0.0.1:{port}", "-e", "wait connected",
              "-e", "wait closed timeout=300", "-e", f"save {output} hex"]
    process = subprocess.Popen([b.sockpit_binary(), "--headless", "--verbose"] + script, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines = []

    def read_status():
        for raw in process.stderr:
            lines.append((time.perf_counter(), raw.decode(errors="replace").rstrip("\n")))

    reader = threading.Thread(target=read_status)
    reader.start()
    try:
        b.wait_listening(port)
        send_file(port, source)
        process.wait(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join()
    closed = [t for t, line in lines if line.startswith("ok:") and "closed" in line]
    saved = [(t, line) for t, line in lines if line.startswith("ok: saved")]
    if process.returncode != 0 or not closed or not saved:
        raise RuntimeError("sockpit did not save:\n" + "\n".join(line for _, line in lines))
    return saved[0][0] - closed[-1]


def main():
    args = b.parse_args(__doc__.splitlines()[1], extra=lambda parser: parser.add_argument(
        "--to-shm", action="store_true", help="write the hex dumps to a file on /dev/shm instead of /dev/null"))
    b.ensure_tools(["xxd", "hexdump"])
    size = 1 << 20 if args.tiny else 256 << 20
    source = make_input(size)
    to_file = args.to_shm or args.tiny  # --tiny also checks the output is written and non-empty
    output = os.path.join(SHM, f"sockpit-bench-{os.getpid()}.hex") if to_file else "/dev/null"
    tools = ["xxd", "hexdump", "sockpit"]
    times = {tool: [] for tool in tools}
    out_bytes = {}
    try:
        for run in range(args.runs):
            order = tools[run % len(tools):] + tools[:run % len(tools)]
            for tool in order:
                if args.to_shm:
                    warm_memory()
                seconds = run_sockpit(source, output, size) if tool == "sockpit" else run_peer(tool, source, output)
                if to_file:
                    out_bytes[tool] = os.path.getsize(output)
                    os.unlink(output)
                times[tool].append(seconds)
                b.log(f"run {run + 1}/{args.runs} {tool}: {seconds:.3f} s")
    finally:
        os.unlink(source)
        if to_file and os.path.exists(output):
            os.unlink(output)
    best_peer = min(["xxd", "hexdump"], key=lambda tool: b.median(times[tool]))
    speedup = b.median(times[best_peer]) / b.median(times["sockpit"])
    table = ["| formatter | median s | MB/s in | output MB | runs (s) | speed vs fastest peer |", "|---|---|---|---|---|---|"]
    for tool in tools:
        m = b.median(times[tool])
        runs = " ".join(f"{t:.2f}" for t in times[tool])
        written = f"{out_bytes[tool] / 1e6:.0f}" if tool in out_bytes else "(/dev/null)"
        table.append(f"| {tool} | {m:.3f} | {size / m / 1e6:.0f} | {written} | {runs} | "
                     f"{b.median(times[best_peer]) / m:.2f}× |")
    where = f"outputs on {SHM}, which is warmed (1.5 GB written and removed) before every run" if args.to_shm \
        else "outputs to /dev/null (every tool writes the whole dump; the kernel keeps none of it)"
    notes = [f"{size >> 20} MiB of seeded random bytes; {where}; sockpit timed from the `wait closed` status "
             "to the `save` status (format + write, and on a file fsync + rename), the peers as whole processes",
             f"2. formatting: sockpit {speedup:.1f}× faster than {best_peer}; target ≥ 4× — {b.verdict(speedup >= 4)}"]
    b.record(args, "2 · Formatting a 256 MB capture as a hex dump", table, notes)


if __name__ == "__main__":
    main()
