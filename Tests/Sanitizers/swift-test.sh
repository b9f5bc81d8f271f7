#!/usr/bin/env bash
# Tests/Sanitizers/swift-test.sh — the whole test suite under one sanitizer, with the suppressions
# in this directory (each explained where it is written):
#
#   Tests/Sanitizers/swift-test.sh address|thread [swift test options…]
#
# runs `swift test --sanitize=KIND --scratch-path .build-asan|.build-tsan`. That build compiles the
# sockpit executable with the same sanitizer, and the end-to-end tests run that binary (it sits
# beside the test bundle, see SockpitBinary.swift), so the environment set here reaches it too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

kind=${1:-}
shift || true
case "$kind" in
    address)
        scratch=.build-asan
        # Leak checking stays on (LeakSanitizer runs at every exit, also in each sockpit the tests
        # start); abort_on_error=0 keeps the exit status 1 that tests read as "failed".
        export ASAN_OPTIONS="suppressions=$here/asan.supp:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
        export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
        ;;
    thread)
        scratch=.build-tsan
        export TSAN_OPTIONS="suppressions=$here/tsan.supp:halt_on_error=0${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
        # Swift's backtracer clones a helper from inside the crash signal handler, which TSan's
        # clone interceptor does not survive (CHECK failed in tsan_rtl.cpp, then SIGSEGV instead of
        # the crash's SIGILL); a two-line `fatalError()` program shows it. The runtime's plain
        # stack trace replaces the backtrace (ScreenFaultTests checks for either).
        export SWIFT_BACKTRACE=enable=no
        ;;
    *) echo "usage: Tests/Sanitizers/swift-test.sh address|thread [swift test options…]" >&2; exit 2 ;;
esac

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
exec swift test --sanitize="$kind" --scratch-path "$scratch" "$@"
