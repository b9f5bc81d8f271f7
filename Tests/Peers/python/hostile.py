#!/usr/bin/env python3
"""Hostile and awkward peers for sockpit's bound tests, each bounded in time.

Every mode prints one JSON line with what it did, so the test can check that nothing was lost.

  nonreader PORT BYTES HOLD    send BYTES without reading for HOLD s, then read until EOF or quiet
  many PORT N BYTES HOLD       N connections, each sends BYTES, all stay open HOLD s
  udp PORT N                   N one-byte datagrams, in bursts the receive buffer holds
  churn PORT N                 N connections, each opened and closed at once
  trickle PORT COUNT GAP       one byte every GAP s, COUNT times, reading what comes back
  rtt PORT COUNT               COUNT small request/answer round trips; prints the slowest in ms
  slowread PATH RATE SECONDS   open a FIFO for reading, read RATE bytes/s for SECONDS

For bench/soak.py, modes that run for SECONDS:
  flood-for PORT SECONDS        send as fast as the peer reads
  udp-for PORT SECONDS          one-byte datagrams, about 20,000 a second
  churn-for PORT SECONDS        connections opened and closed one after another
  rtt-for PORT SECONDS GAP      a small request/answer every GAP s; prints the slowest and p99 in ms
"""
import json
import os
import resource
import select
import socket
import sys
import time


def report(**fields):
    print(json.dumps(fields), flush=True)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setblocking(False)
    return s


def ready(s, events, timeout):
    """poll(2), not select(2): descriptors above 1023 work too."""
    poller = select.poll()
    poller.register(s, events)
    return bool(poller.poll(timeout * 1000))


def send_without_reading(s, total, deadline):
    sent = 0
    chunk = bytes(range(256)) * 256
    while sent < total and time.monotonic() < deadline:
        if not ready(s, select.POLLOUT, 0.2):
            continue
        try:
            sent += s.send(chunk[: min(len(chunk), total - sent)])
        except BlockingIOError:
            pass
    return sent


def read_all(s, quiet=2.0, limit=120.0):
    got = 0
    end = time.monotonic() + limit
    last = time.monotonic()
    while time.monotonic() < end and time.monotonic() - last < quiet:
        if not ready(s, select.POLLIN, 0.2):
            continue
        try:
            data = s.recv(1 << 20)
        except BlockingIOError:
            continue
        except ConnectionResetError:
            break
        if not data:
            break
        got += len(data)
        last = time.monotonic()
    return got


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "nonreader":
        port, total, hold = int(args[0]), int(args[1]), float(args[2])
        s = connect(port)
        start = time.monotonic()
        sent = send_without_reading(s, total, start + hold)
        time.sleep(max(0.0, hold - (time.monotonic() - start)))
        report(sent=sent, received=read_all(s))
    elif mode == "many":
        port, n, per, hold = int(args[0]), int(args[1]), int(args[2]), float(args[3])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
        sockets = [connect(port) for _ in range(n)]
        deadline = time.monotonic() + hold
        sent = sum(send_without_reading(s, per, deadline) for s in sockets)
        report(sent=sent, connections=len(sockets))
        time.sleep(max(0.0, deadline - time.monotonic()))
    elif mode == "udp":
        port, n = int(args[0]), int(args[1])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for index in range(n):
            s.sendto(b"x", ("127.0.0.1", port))
            if index % 200 == 199:
                time.sleep(0.0005)
        report(sent=n)
    elif mode == "churn":
        port, n = int(args[0]), int(args[1])
        done = 0
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.close()
            done += 1
        report(connections=done)
    elif mode == "trickle":
        port, count, gap = int(args[0]), int(args[1]), float(args[2])
        s = connect(port)
        got = 0
        for _ in range(count):
            s.send(b"x")
            end = time.monotonic() + gap
            while time.monotonic() < end:
                if ready(s, select.POLLIN, max(0.0, end - time.monotonic())):
                    try:
                        got += len(s.recv(1 << 22))
                    except BlockingIOError:
                        pass
        report(sent=count, received=got)
    elif mode == "rtt":
        port, count = int(args[0]), int(args[1])
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        slowest = 0.0
        for index in range(count):
            start = time.monotonic()
            s.sendall(b"ping %d\n" % index)
            answer = b""
            while not answer.endswith(b"\n"):
                answer += s.recv(4096)
            slowest = max(slowest, time.monotonic() - start)
            time.sleep(0.02)
        report(slowest_ms=slowest * 1000)
    elif mode == "slowread":
        path, rate, seconds = args[0], int(args[1]), float(args[2])
        fd = os.open(path, os.O_RDONLY)
        got = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            data = os.read(fd, rate // 10 or 1)
            if not data:
                break
            got += len(data)
            time.sleep(0.1)
        report(received=got)
    elif mode == "flood-for":
        port, seconds = int(args[0]), float(args[1])
        s = connect(port)
        report(sent=send_without_reading(s, 1 << 62, time.monotonic() + seconds))
    elif mode == "udp-for":
        port, seconds = int(args[0]), float(args[1])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        end = time.monotonic() + seconds
        sent = 0
        while time.monotonic() < end:
            for _ in range(200):
                s.sendto(b"x", ("127.0.0.1", port))
            sent += 200
            time.sleep(0.01)
        report(sent=sent)
    elif mode == "churn-for":
        port, seconds = int(args[0]), float(args[1])
        end = time.monotonic() + seconds
        done = 0
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=10).close()
                done += 1
            except OSError:
                time.sleep(0.01)
        report(connections=done)
    elif mode == "rtt-for":
        port, seconds, gap = int(args[0]), float(args[1]), float(args[2])
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        began = time.monotonic()
        end = began + seconds
        times = []
        slow = []
        index = 0
        while time.monotonic() < end:
            start = time.monotonic()
            s.sendall(b"ping %d\n" % index)
            answer = b""
            while not answer.endswith(b"\n"):
                answer += s.recv(4096)
            times.append(time.monotonic() - start)
            if times[-1] > 0.05:
                slow.append((round(start - began, 1), round(times[-1] * 1000)))
            index += 1
            time.sleep(gap)
        times.sort()
        report(count=len(times), slowest_ms=times[-1] * 1000, p99_ms=times[int(len(times) * 0.99)] * 1000,
               slow=slow[:20])  # (seconds into the run, ms) of answers slower than 50 ms
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
