#!/usr/bin/env python3
"""Benchmark 6 — memory under a long flood: 10 GB with the default 64 MiB log cap.

sockpit listens with its screen open in tmux (250x40, wide enough for the summary on one row);
a loopback sender pushes 10 GB (1 MiB writes) and waits for sockpit to close. Then, not timed:
  - peak RSS: VmHWM from /proc/PID/status; target 6: <= 130 MB;
  - the evicted-bytes counter: `info session` prints
      log: N entries kept (K of C bytes, DK data bytes), E evicted (D data bytes)
    and the counter matches when D + DK = 10 GB (every received byte is kept or counted as evicted).
"""

import re

import benchlib as b

SUMMARY = re.compile(r"log: (\d+) entries kept \((\d+) of (\d+) bytes, (\d+) data bytes\), (\d+) evicted \((\d+) data bytes\)")


def run(total):
    port = b.free_port()
    screen = b.sockpit_screen(f"-e 'listen 127.0.0.1:{port}'", width=250, height=40)
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        seconds = b.flood(port, total)
        screen.type("info session")
        screen.press("Enter")
        found = screen.wait_for(lambda s: any(SUMMARY.search(line) for line in s), 10, "the session summary")
        match = next(SUMMARY.search(line) for line in found if SUMMARY.search(line))
        kept_entries, kept_bytes, cap, kept_data, evicted_entries, evicted_data = (int(g) for g in match.groups())
        peak_mib = b.status_kib(screen.pid, "VmHWM") / 1024
        return {"seconds": seconds, "peak": peak_mib, "cap": cap, "evicted": evicted_data, "entries": evicted_entries,
                "matches": kept_data + evicted_data == total}
    finally:
        screen.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["tmux"])
    total = 200_000_000 if args.tiny else 10_000_000_000
    results = []
    for index in range(args.runs):
        results.append(run(total))
        r = results[-1]
        b.log(f"run {index + 1}/{args.runs}: {total / r['seconds'] / 1e9:.2f} GB/s, peak RSS {r['peak']:.1f} MiB, "
              f"evicted {r['evicted']} data bytes, counter {'matches' if r['matches'] else 'DOES NOT MATCH'}")
    peaks = [r["peak"] for r in results]
    table = ["| program | received | log cap | median peak RSS (MiB) | worst (MiB) | evicted data bytes (last run) | counter |",
             "|---|---|---|---|---|---|---|",
             f"| sockpit (screen open) | {total / 1e9:g} GB | {results[-1]['cap'] >> 20} MiB | {b.median(peaks):.1f} | "
             f"{max(peaks):.1f} | {results[-1]['evicted']} | "
             + ("matches in every run" if all(r["matches"] for r in results) else "**mismatch**") + " |"]
    worst_mb = max(peaks) * 1.048576
    notes = [f"flood rate during these runs: median {total / b.median([r['seconds'] for r in results]) / 1e9:.2f} GB/s",
             f"6. memory: worst peak RSS {max(peaks):.1f} MiB ({worst_mb:.1f} MB); target ≤ 130 MB — {b.verdict(worst_mb <= 130)}",
             "6. evicted-bytes counter: evicted + still kept = received in every run — "
             + b.verdict(all(r["matches"] for r in results))]
    b.record(args, "6 · Memory under a 10 GB flood", table, notes)


if __name__ == "__main__":
    main()
