<?php
// seed_reverse.php — the seed's strrev server (the one its "过程代码详解" walks through step by
// step): accept one client, read up to 1024 bytes, trim, write strrev(input) . "\n", close both.
// usage: php seed_reverse.php HOST PORT [SECONDS=10]
// Prints `port N` once listening. strrev reverses bytes, as in PHP: multi-byte UTF-8 comes back
// garbled (sockpit's `reply reverse` reverses characters instead).
// Changes from the seed: `or die(...)` becomes a failure with the kernel's reason, and accept and
// read end at a deadline instead of waiting forever.

require __DIR__ . '/common.php';
[$host, $port, $seconds] = peer_args($argv, [null, null, 10], 'HOST PORT [SECONDS]');
$deadline = microtime(true) + (float)$seconds;

$socket = socket_create(AF_INET, SOCK_STREAM, 0) or fail("socket_create");
socket_bind($socket, $host, (int)$port) or fail("socket_bind", $socket);
socket_listen($socket, 3) or fail("socket_listen", $socket);
announce_port($socket);

wait_readable($socket, $deadline, "a client");
$spawn = socket_accept($socket) or fail("socket_accept", $socket);
bound_io($spawn, max(0.1, $deadline - microtime(true)));
$input = socket_read($spawn, 1024);
if ($input === false) fail("socket_read", $spawn);
$input = trim($input);
$output = strrev($input) . "\n";
socket_write($spawn, $output, strlen($output)) or fail("socket_write", $spawn);
socket_close($spawn);
socket_close($socket);
