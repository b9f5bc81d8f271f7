#!/usr/bin/env python3
"""Benchmark 3 — idle: sockpit with its screen open and 100 idle connections for 10 s.

sockpit listens with its screen open in tmux (120x40); 100 loopback clients connect and send
nothing. Once the screen shows all 100 and one more second has passed, the CPU time sockpit uses
over the next 10 s is read from /proc/PID/stat (user + system). Target 3: < 0.05 s in total.
"""

import os
import socket
import time

import benchlib as b


def run(connections, seconds):
    port = b.free_port()
    screen = b.sockpit_screen(f"-e 'listen 127.0.0.1:{port}'")
    clients = []
    try:
        b.wait_listening(port)
        for _ in range(connections):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        screen.wait_text(f"Connections · {connections}")
        time.sleep(1)
        before = b.cpu_seconds(screen.pid)
        time.sleep(seconds)
        return b.cpu_seconds(screen.pid) - before
    finally:
        for client in clients:
            client.close()
        screen.close()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["tmux"])
    connections, seconds = (5, 1) if args.tiny else (100, 10)
    used = []
    for index in range(args.runs):
        used.append(run(connections, seconds))
        b.log(f"run {index + 1}/{args.runs}: {used[-1]:.3f} s of CPU in {seconds} s")
    table = ["| program | connections | window | median CPU s | worst CPU s | runs (s) |", "|---|---|---|---|---|---|",
             f"| sockpit (screen open) | {connections} | {seconds} s | {b.median(used):.3f} | {max(used):.3f} | "
             + " ".join(f"{u:.3f}" for u in used) + " |"]
    notes = [f"CPU from /proc/PID/stat (clock ticks of {1 / os.sysconf('SC_CLK_TCK'):.2f} s), read 1 s after the screen "
             "showed every connection",
             f"3. idle: worst {max(used):.3f} s of CPU in {seconds} s; target < 0.05 s — {b.verdict(max(used) < 0.05)}"]
    b.record(args, "3 · Idle with 100 connections", table, notes)


if __name__ == "__main__":
    main()
