"""benchlib.py — what every benchmark script shares: finding or building sockpit, installing the
peer tools, loopback ports, a private tmux server, CPU and memory readings from /proc, medians, and
appending a result with the machine's description to bench/RESULTS.md.

Only 127.0.0.1 is ever used. Every wait has a deadline.
"""

import argparse
import datetime
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "RESULTS.md")
PEER_PACKAGES = {"tmux": "tmux", "nc": "netcat-openbsd", "ncat": "ncat", "socat": "socat", "xxd": "xxd", "hexdump": "bsdextrautils"}
SKIP = 77  # the exit status of a benchmark that cannot run here (a peer tool is missing)


def parse_args(description, default_runs=5, extra=None):
    parser = argparse.ArgumentParser(description=description)
    if extra:
        extra(parser)
    parser.add_argument("--tiny", action="store_true",
                        help="a tiny size and one run: checks that the script works (CI), records nothing")
    parser.add_argument("--runs", type=int, default=default_runs, help="runs per tool (default %(default)s)")
    parser.add_argument("--no-record", action="store_true", help="print the result but do not append it to RESULTS.md")
    args = parser.parse_args()
    if args.tiny:
        args.runs = 1
        args.no_record = True
    return args


def log(message):
    print(message, file=sys.stderr, flush=True)


# MARK: Tools

def ensure_tools(names):
    """Installs the Debian packages of the tools in `names` that are missing; exits SKIP (77) with a
    clear message when they cannot be installed (not root, no apt-get, no network)."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    packages = sorted({PEER_PACKAGES[name] for name in missing})
    log(f"installing {' '.join(packages)} (for {' '.join(missing)})")
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        skip(f"missing {' '.join(missing)}; install them with: sudo apt-get install -y {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq"] + packages
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    still = [name for name in names if shutil.which(name) is None]
    if still:
        skip(f"could not install {' '.join(still)} (apt-get install -y {' '.join(packages)} failed)")


def skip(reason):
    print(f"SKIP: {reason}", flush=True)
    sys.exit(SKIP)


def sockpit_binary():
    """$SOCKPIT if set (CI's smoke test passes its debug build), else the release build, built if
    missing. Benchmarks measure the release build."""
    explicit = os.environ.get("SOCKPIT")
    if explicit:
        return explicit
    path = os.path.join(ROOT, ".build", "release", "sockpit")
    if not os.access(path, os.X_OK):
        log("building sockpit in release mode (swift build -c release)…")
        subprocess.run(["swift", "build", "-c", "release", "--product", "sockpit"], cwd=ROOT, check=True)
    return path


def tool_version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=5)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


# MARK: Loopback

def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port, udp=False):
    """True when something listens on 127.0.0.1:port (TCP: state LISTEN; UDP: bound), read from
    /proc/net so that no probe connection reaches the listener."""
    table = "/proc/net/udp" if udp else "/proc/net/tcp"
    wanted = f"0100007F:{port:04X}"
    with open(table) as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == wanted and (udp or fields[3] == "0A"):
                return True
    return False


def wait_until(predicate, timeout, what, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def wait_listening(port, udp=False, timeout=20):
    wait_until(lambda: listening(port, udp), timeout, f"127.0.0.1:{port} to listen")


def flood(port, total, chunk=1 << 20, timeout=600):
    """Connects to 127.0.0.1:port, writes `total` bytes, shuts down writing and waits until the
    receiver closes. Returns the seconds from connect to the receiver's close."""
    pattern = bytes(range(256)) * (chunk // 256)
    view = memoryview(pattern)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        start = time.perf_counter()
        left = total
        while left > 0:
            left -= s.send(view[: min(left, chunk)])
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
        return time.perf_counter() - start


# MARK: Processes

def cpu_seconds(pid):
    """User + system CPU seconds of `pid` so far (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def status_kib(pid, field):
    """A `kB` field of /proc/PID/status (VmHWM: peak RSS, VmRSS: RSS now), in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def open_descriptors(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


class Tmux:
    """A private tmux server (its own -L socket) running one command in a WIDTH×HEIGHT window."""

    def __init__(self, command, width=120, height=40, soft_file_limit=None):
        self.name = f"sockpit-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        # `exec` so that the pane's process is the command itself (its pid is the benchmark's target).
        limit = f"ulimit -Sn {soft_file_limit}; " if soft_file_limit else ""
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", str(width), "-y", str(height),
                  f"{limit}exec env LANG=C.UTF-8 TERM=tmux-256color {command}")
        self.pid = int(self.tmux("display-message", "-p", "-t", "s", "#{pane_pid}").strip())

    def tmux(self, *arguments):
        return subprocess.run(["tmux", "-L", self.name] + list(arguments), capture_output=True, text=True,
                              timeout=30).stdout

    def capture(self):
        return self.tmux("capture-pane", "-p", "-t", "s").split("\n")

    def type(self, text):
        self.tmux("send-keys", "-t", "s", "-l", text)

    def press(self, *keys):
        self.tmux("send-keys", "-t", "s", *keys)

    def wait_for(self, predicate, timeout=20, what="the screen"):
        deadline = time.monotonic() + timeout
        screen = []
        while time.monotonic() < deadline:
            screen = self.capture()
            if predicate(screen):
                return screen
            time.sleep(0.02)
        raise TimeoutError(f"timed out after {timeout} s waiting for {what}; screen:\n" + "\n".join(screen))

    def wait_text(self, text, timeout=20):
        return self.wait_for(lambda screen: any(text in line for line in screen), timeout, repr(text))

    def close(self):
        self.tmux("kill-server")


def sockpit_screen(arguments, width=120, height=40, soft_file_limit=None):
    """sockpit with its screen open in a private tmux server; its history file kept out of $HOME."""
    state = f"/tmp/sockpit-bench-state-{os.getpid()}"
    os.makedirs(state, exist_ok=True)
    return Tmux(f"XDG_STATE_HOME={state} {sockpit_binary()} {arguments}", width, height, soft_file_limit)


# MARK: Results

def median(values):
    return statistics.median(values)


def machine_description():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as f:
            memory = f"{int(f.readline().split()[1]) // (1 << 20)} GiB"
    except (OSError, ValueError, IndexError):
        pass
    distro = "?"
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {distro}, Linux {platform.release()}"


def record(args, title, table, notes=()):
    """Prints the result and (unless --tiny/--no-record) appends it to bench/RESULTS.md."""
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    command = "python3 bench/" + os.path.basename(sys.argv[0]) + "".join(" " + a for a in sys.argv[1:])
    lines = [f"### {title}", "",
             f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} · commit {commit} · `{command}`  ",
             f"Machine: {machine_description()}", ""]
    lines += table
    if notes:
        lines.append("")
        lines += [f"- {note}" for note in notes]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    if args.no_record:
        return
    if not os.path.exists(RESULTS):
        with open(RESULTS, "w") as f:
            f.write("# Benchmark results\n\nAppended by the scripts in bench/ (see bench/README.md), newest last.\n")
    with open(RESULTS, "a") as f:
        f.write("\n" + text)


def verdict(ok):
    return "**met**" if ok else "**NOT met**"
