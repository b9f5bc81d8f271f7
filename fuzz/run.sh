#!/usr/bin/env bash
# fuzz/run.sh — builds one libFuzzer target (coverage-guided, with AddressSanitizer) and runs it.
#
#   fuzz/run.sh TARGET [SECONDS] [LIBFUZZER-FLAG…]
#
# TARGET is parser, payload or sanitizer; SECONDS is how long to fuzz (default 60; 0 builds only).
# Extra flags go to libFuzzer as they are (e.g. -jobs=2, -runs=1000, or a crash file to replay).
# SwiftPM is not involved: ExplorerCore, SocketKit and the CSocketKit shim are compiled here with
# swiftc/clang into .build-fuzz/ (or $SOCKPIT_FUZZ_BUILD), so `swift build` and `swift test` are
# unchanged. The growing corpus is .build-fuzz/corpus/TARGET; crashes go to
# .build-fuzz/artifacts/TARGET/. See fuzz/README.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${SOCKPIT_FUZZ_BUILD:-$root/.build-fuzz}
target=${1:-}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))

case "$target" in
    parser) source_file=ParserFuzzer.swift; max_len=1024 ;;
    payload) source_file=PayloadFuzzer.swift; max_len=1024 ;;
    sanitizer) source_file=SanitizerFuzzer.swift; max_len=4096 ;;
    *) echo "usage: fuzz/run.sh parser|payload|sanitizer [SECONDS] [LIBFUZZER-FLAG…]" >&2; exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "fuzz/run.sh: SECONDS must be a whole number, got '$seconds'" >&2
    exit 2
fi

if ! command -v swiftc >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swiftc ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

mkdir -p "$out"/{obj,modules,include/CSocketKit,bin,seeds,corpus/$target,artifacts/$target,module-cache}
# The fuzzer instruments every module (libFuzzer's coverage, ASan's checks); -O for speed, -g for
# symbolized reports. Only the final link takes libFuzzer's main (-sanitize=fuzzer at link time).
swift_flags=(-O -g -swift-version 6 -sanitize=fuzzer,address -module-cache-path "$out/module-cache"
    -I "$out/modules" -I "$out/include/CSocketKit")
# The C shim the same way (a few syscall wrappers: nothing there parses input, but it links in).
c_flags=(-O1 -g -fsanitize=fuzzer-no-link,address -I "$root/Sources/CSocketKit/include")

# The libraries, rebuilt only when a source file or a flag changed.
library_sources=("$root"/Sources/CSocketKit/shim.c "$root"/Sources/CSocketKit/include/*.h
    "$root"/Sources/SocketKit/*.swift $(find "$root/Sources/ExplorerCore" -name '*.swift' | sort))
stamp=$( { printf '%s\n' "${swift_flags[*]}" "${c_flags[*]}" "${library_sources[@]}"; cat "${library_sources[@]}"; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/libraries.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "fuzz/run.sh: building CSocketKit, SocketKit and ExplorerCore (instrumented) into $out"
    rm -f "$out/libraries.stamp"
    clang "${c_flags[@]}" -c "$root/Sources/CSocketKit/shim.c" -o "$out/obj/CSocketKit.o"
    printf 'module CSocketKit {\n    header "%s"\n    export *\n}\n' \
        "$root/Sources/CSocketKit/include/CSocketKit.h" > "$out/include/CSocketKit/module.modulemap"
    swiftc "${swift_flags[@]}" -parse-as-library -wmo -module-name SocketKit \
        -emit-module -emit-module-path "$out/modules/SocketKit.swiftmodule" \
        -c "$root"/Sources/SocketKit/*.swift -o "$out/obj/SocketKit.o"
    swiftc "${swift_flags[@]}" -parse-as-library -wmo -module-name ExplorerCore \
        -emit-module -emit-module-path "$out/modules/ExplorerCore.swiftmodule" \
        -c $(find "$root/Sources/ExplorerCore" -name '*.swift' | sort) -o "$out/obj/ExplorerCore.o"
    echo "$stamp" > "$out/libraries.stamp"
fi

libraries=("$out/obj/CSocketKit.o" "$out/obj/SocketKit.o" "$out/obj/ExplorerCore.o")
shared=("$root/fuzz/FuzzCheck.swift" "$root/Tests/ExplorerCoreTests/Support/FuzzOracles.swift")
# ld.gold warns "Cannot export local symbol '__asan_…'" for every instrumented module: harmless
# (PLATFORM-NOTES.md), filtered so that real warnings stay visible.
link() {
    swiftc "$@" 2>&1 | { grep -v "Cannot export local symbol '__asan_" || true; }
    return "${PIPESTATUS[0]}"
}
# The seed writer is an ordinary program (its own main), built with the same modules.
link -O -g -swift-version 6 -sanitize=address -module-cache-path "$out/module-cache" -I "$out/modules" \
    -I "$out/include/CSocketKit" -module-name Seeds -parse-as-library "$root/fuzz/Seeds.swift" "${shared[1]}" \
    "${libraries[@]}" -o "$out/bin/seeds"
link "${swift_flags[@]}" -parse-as-library -module-name "${source_file%.swift}" \
    "$root/fuzz/$source_file" "${shared[@]}" "${libraries[@]}" -o "$out/bin/$target"

# The test suite's LeakSanitizer suppressions (false positives of Swift's enum layout, explained
# there) apply here too: libFuzzer checks for leaks after any input that allocated more than it freed.
export LSAN_OPTIONS="suppressions=$root/Tests/Sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
rm -rf "$out/seeds"
mkdir -p "$out/seeds"
# Leak checking is off for the seed writer alone: a one-shot program whose -O stacks are too short
# for the suppressions to match.
ASAN_OPTIONS=detect_leaks=0 "$out/bin/seeds" "$out/seeds"
echo "fuzz/run.sh: built $out/bin/$target; seeds in $out/seeds/$target, corpus in $out/corpus/$target"
[ "$seconds" -eq 0 ] && exit 0

# Swift's own backtracer off: libFuzzer reports a trap itself (with the stack and the saved input),
# and the backtracer's stack copying trips ASan (Tests/Sanitizers/asan.supp).
export SWIFT_BACKTRACE=enable=no
# Seeds are read-only input; new inputs go to the first directory, the corpus kept between runs.
exec "$out/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -use_value_profile=1 -print_final_stats=1 -dict="$out/seeds/$target.dict" \
    -artifact_prefix="$out/artifacts/$target/" "$@" "$out/corpus/$target" "$out/seeds/$target"
