<?php
// common.php — what every test copy of the seed's programs shares: arguments, a deadline, failing
// with the kernel's reason, announcing the port the kernel picked, and waiting without hanging.
// The seed's programs wait forever (set_time_limit(0), blocking calls); a test peer must not, so
// every wait here ends at a deadline and the script exits with status 1 saying what timed out.

error_reporting(E_ALL);

/// argv[1…] with defaults: peer_args($argv, ['127.0.0.1', 0, 10]) → [host, port, seconds].
function peer_args(array $argv, array $defaults, string $usage): array {
    $values = [];
    foreach ($defaults as $index => $default) {
        $given = $argv[$index + 1] ?? null;
        if ($given === null && $default === null) {
            fwrite(STDERR, "usage: php " . basename($argv[0]) . " $usage\n");
            exit(2);
        }
        $values[] = $given ?? $default;
    }
    return $values;
}

/// Prints what failed and the kernel's reason (socket_last_error + socket_strerror), exits 1.
function fail(string $what, $socket = null): never {
    $code = $socket ? socket_last_error($socket) : socket_last_error();
    fwrite(STDERR, "$what failed: [$code] " . socket_strerror($code) . "\n");
    exit(1);
}

/// Prints `port N` for a bound socket, so a test that asked for port 0 learns the real one.
function announce_port($socket): void {
    if (!socket_getsockname($socket, $address, $port)) fail("socket_getsockname", $socket);
    echo "port $port\n";
}

/// Waits until `$socket` is readable (a client to accept, bytes or EOF to read), or exits at the deadline.
function wait_readable($socket, float $deadline, string $what): void {
    while (true) {
        $left = $deadline - microtime(true);
        if ($left <= 0) {
            fwrite(STDERR, "timeout waiting for $what\n");
            exit(1);
        }
        $read = [$socket];
        $write = null;
        $except = null;
        $ready = socket_select($read, $write, $except, (int)$left, (int)(fmod($left, 1) * 1e6));
        if ($ready === false) fail("socket_select");
        if ($ready > 0) return;
    }
}

/// Blocking reads and writes on `$socket` give up after `$seconds` instead of hanging.
function bound_io($socket, float $seconds): void {
    $timeout = ['sec' => (int)$seconds, 'usec' => (int)(fmod($seconds, 1) * 1e6)];
    socket_set_option($socket, SOL_SOCKET, SO_RCVTIMEO, $timeout);
    socket_set_option($socket, SOL_SOCKET, SO_SNDTIMEO, $timeout);
}
