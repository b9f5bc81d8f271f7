#!/usr/bin/env bash
# all.sh — every benchmark in turn, each appending to bench/RESULTS.md. Arguments go to every
# script (e.g. --runs 3, --tiny). Stops at the first script that fails.
set -euo pipefail
cd "$(dirname "$0")"
for script in flood.py hexsave.py idle.py scale.py memory.py udp.py soak.py record.py tls.py relay.py; do
    echo "== $script"
    python3 "$script" "$@"
done
