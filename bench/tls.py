#!/usr/bin/env python3
"""Benchmark 8 — TLS: receive throughput, handshakes per second, memory with idle TLS connections.

8a. A loopback sender (Python's ssl, TLS 1.3, TLS_AES_128_GCM_SHA256, 1 MiB writes) pushes 1 GB,
    sends close_notify and waits for the receiver to close; the time is from connect to that close.
    Receivers, alternated run by run, all with the same certificate and key:
      socat -u OPENSSL-LISTEN:PORT,bind=127.0.0.1,reuseaddr,cert=…,key=…,verify=0 /dev/null
      ncat --ssl --ssl-cert … --ssl-key … -l --recv-only 127.0.0.1 PORT > /dev/null
      sockpit -e 'listen tls 127.0.0.1:PORT cert=… key=…' with its screen open in tmux (120x40), logging
    Target: sockpit >= 1.0x the fastest peer (medians).
8b. TLS handshakes per second as a server, sequential and with 8 concurrent clients (Python ssl
    clients: connect, handshake, close), sockpit headless beside `socat OPENSSL-LISTEN:…,fork`.
8c. Peak RSS of sockpit (headless) holding 1,000 idle TLS connections (VmHWM).
"""

import os
import resource
import subprocess
import tempfile
import threading
import time

import benchlib as b

# The sender offers TLS_AES_128_GCM_SHA256 only (Python's ssl has no TLS 1.3 suite setting; OpenSSL's
# configuration file does it). Set before `ssl` loads OpenSSL; the receivers run without it.
_CONF = os.path.join(tempfile.gettempdir(), f"sockpit-bench-tls-{os.getpid()}.cnf")
with open(_CONF, "w") as _f:
    _f.write("openssl_conf = c\n[c]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\nCiphersuites = TLS_AES_128_GCM_SHA256\n")
os.environ["OPENSSL_CONF"] = _CONF
import socket  # noqa: E402
import ssl  # noqa: E402

RECEIVER_ENV = {k: v for k, v in os.environ.items() if k != "OPENSSL_CONF"}
CLIENT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CLIENT.check_hostname = False
CLIENT.verify_mode = ssl.CERT_NONE
CLIENT.minimum_version = ssl.TLSVersion.TLSv1_3


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def tls_flood(port, total, chunk=1 << 20, timeout=600):
    """Connects with TLS, writes `total` bytes, sends close_notify, waits until the receiver closes."""
    view = memoryview(b"\x5a" * chunk)
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    start = time.perf_counter()
    tls = CLIENT.wrap_socket(raw, server_hostname="localhost")
    cipher = tls.cipher()[0]
    left = total
    while left > 0:
        n = min(left, chunk)
        tls.sendall(view[:n])
        left -= n
    try:
        tls.unwrap()  # close_notify, then the receiver's close (with or without its own close_notify)
    except (ssl.SSLError, OSError):
        pass
    try:
        while raw.recv(65536):
            pass
    except OSError:
        pass
    seconds = time.perf_counter() - start
    raw.close()
    return seconds, cipher


def finish(process):
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_peer(tool, total, cert, key):
    port = b.free_port()
    command = {
        "socat": ["socat", "-u", f"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,cert={cert},key={key},verify=0", "/dev/null"],
        "ncat": ["ncat", "--ssl", "--ssl-cert", cert, "--ssl-key", key, "-l", "--recv-only", "127.0.0.1", str(port)],
    }[tool]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=RECEIVER_ENV)
    try:
        b.wait_listening(port)
        return tls_flood(port, total)
    finally:
        finish(process)


def run_sockpit(total, cert, key):
    port = b.free_port()
    screen = b.sockpit_screen(f"-e 'listen tls 127.0.0.1:{port} cert={cert} key={key}'")
    try:
        b.wait_listening(port)
        screen.wait_text("Connections")
        seconds, cipher = tls_flood(port, total)
        # Not timed: every byte was counted, as plaintext.
        screen.type("info #2")
        screen.press("Enter")
        screen.wait_text(f"in  {total} bytes", timeout=20)
        return seconds, cipher
    finally:
        screen.close()


def handshakes(port, clients, seconds):
    """Completed handshakes per second with `clients` threads each connecting, handshaking, closing."""
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def worker(index):
        while time.monotonic() < stop:
            try:
                with CLIENT.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost"):
                    counts[index] += 1
            except OSError:
                time.sleep(0.01)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start)


def headless_sockpit(arguments):
    return subprocess.Popen([b.sockpit_binary(), "--headless"] + arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=RECEIVER_ENV)


def handshake_rates(cert, key, seconds, runs):
    rates = {}
    for tool in ["socat", "sockpit"]:
        for clients in [1, 8]:
            values = []
            for _ in range(runs):
                port = b.free_port()
                if tool == "socat":
                    process = subprocess.Popen(["socat", f"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={cert},key={key},verify=0",
                                                "/dev/null"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL, env=RECEIVER_ENV)
                else:
                    process = headless_sockpit(["-e", f"listen tls 127.0.0.1:{port} cert={cert} key={key} backlog=1024",
                                                "-e", "set keepclosed 100", "-e", "sleep 3600"])
                try:
                    b.wait_listening(port)
                    values.append(handshakes(port, clients, seconds))
                finally:
                    process.kill()
                    process.wait()
            rates[(tool, clients)] = b.median(values)
            b.log(f"handshakes {tool} x{clients}: {rates[(tool, clients)]:.0f}/s")
    return rates


def idle_memory(cert, key, count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 256)), hard))
    port = b.free_port()
    process = headless_sockpit(["-e", f"listen tls 127.0.0.1:{port} cert={cert} key={key} backlog=1024", "-e", "sleep 3600"])
    held = []
    try:
        b.wait_listening(port)
        before = b.status_kib(process.pid, "VmRSS")
        for _ in range(count):
            held.append(CLIENT.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost"))
        # Every accepted socket's handshake is done once sockpit holds as many descriptors.
        b.wait_until(lambda: b.open_descriptors(process.pid) >= count + 4, 60, f"{count} accepted connections")
        time.sleep(1)
        return before, b.status_kib(process.pid, "VmRSS"), b.status_kib(process.pid, "VmHWM")
    finally:
        for s in held:
            s.close()
        process.kill()
        process.wait()


def main():
    args = b.parse_args(__doc__.splitlines()[1])
    b.ensure_tools(["ncat", "socat", "tmux", "openssl"])
    total = 20_000_000 if args.tiny else 1_000_000_000
    directory = tempfile.mkdtemp(prefix="sockpit-bench-tls-")
    cert, key = make_certificate(directory)
    tools = ["socat", "ncat", "sockpit"]
    times = {tool: [] for tool in tools}
    ciphers = set()
    for run in range(args.runs):
        order = tools[run % len(tools):] + tools[:run % len(tools)]
        for tool in order:
            seconds, cipher = run_sockpit(total, cert, key) if tool == "sockpit" else run_peer(tool, total, cert, key)
            ciphers.add(cipher)
            times[tool].append(seconds)
            b.log(f"run {run + 1}/{args.runs} {tool}: {total / seconds / 1e9:.2f} GB/s ({seconds:.3f} s, {cipher})")
    rate = {tool: total / b.median(times[tool]) / 1e9 for tool in tools}
    best_peer = max(["socat", "ncat"], key=lambda tool: rate[tool])
    ratio = rate["sockpit"] / rate[best_peer]
    table = ["| receiver | median GB/s | median s | runs (s) | vs best peer |", "|---|---|---|---|---|"]
    for tool in tools:
        runs = " ".join(f"{t:.2f}" for t in times[tool])
        table.append(f"| {tool} | {rate[tool]:.2f} | {b.median(times[tool]):.3f} | {runs} | {rate[tool] / rate[best_peer]:.2f}× |")
    rates = handshake_rates(cert, key, 1 if args.tiny else 5, args.runs if not args.tiny else 1)
    table += ["", "| server | handshakes/s, 1 client | handshakes/s, 8 clients |", "|---|---|---|"]
    for tool in ["socat", "sockpit"]:
        table.append(f"| {tool} | {rates[(tool, 1)]:.0f} | {rates[(tool, 8)]:.0f} |")
    count = 50 if args.tiny else 1000
    before, now, peak = idle_memory(cert, key, count)
    notes = [f"{total / 1e9:g} GB per run over TLS 1.3 ({', '.join(sorted(ciphers))}); sockpit with its screen open in "
             "tmux 120×40, logging the plaintext (64 MiB cap); `info` checked every byte after each run",
             f"8a. TLS receive: sockpit {ratio:.2f}× the fastest peer ({best_peer}); target ≥ 1.0× — {b.verdict(ratio >= 1.0)}",
             f"8b. handshakes as a server: sockpit {rates[('sockpit', 1)] / rates[('socat', 1)]:.2f}× socat sequentially, "
             f"{rates[('sockpit', 8)] / rates[('socat', 8)]:.2f}× with 8 clients (Python ssl clients on the same 2 cores)",
             f"8c. {count} idle TLS connections: sockpit RSS {before / 1024:.1f} MiB before, {now / 1024:.1f} MiB with them "
             f"({(now - before) / count:.1f} KiB each), peak {peak / 1024:.1f} MiB"]
    b.record(args, "8 · TLS: receive, handshakes, idle connections", table, notes)
    os.unlink(_CONF)


if __name__ == "__main__":
    main()
