<?php
// seed_server.php — the seed's first TCP server (socket_create, socket_bind, socket_listen,
// socket_accept, socket_write, socket_read, socket_close), as a bounded test peer.
// usage: php seed_server.php HOST PORT [CLIENTS=1] [SECONDS=10]
// Prints `port N` once listening, then serves CLIENTS clients one after another and exits.
// Changes from the seed, each for correctness: failures are checked with `=== false` (PHP 8
// sockets are objects, never `< 0`); accept and read end at a deadline; the accepted socket is
// closed on every path (the seed's `break` at the fifth client skipped it); and the talkback the
// seed only echoes on its console is also written to the client, so a test can see what was read.

require __DIR__ . '/common.php';
[$ip, $port, $clients, $seconds] = peer_args($argv, [null, null, 1, 10], 'HOST PORT [CLIENTS] [SECONDS]');
$deadline = microtime(true) + (float)$seconds;

if (($sock = socket_create(AF_INET, SOCK_STREAM, SOL_TCP)) === false) fail("socket_create");
if (socket_bind($sock, $ip, (int)$port) === false) fail("socket_bind", $sock);
if (socket_listen($sock, 4) === false) fail("socket_listen", $sock);
announce_port($sock);

$count = 0;
do {
    wait_readable($sock, $deadline, "a client");
    if (($msgsock = socket_accept($sock)) === false) fail("socket_accept", $sock);
    bound_io($msgsock, max(0.1, $deadline - microtime(true)));

    $msg = "测试成功！\n";
    socket_write($msgsock, $msg, strlen($msg));
    echo "测试成功了啊\n";
    $buf = socket_read($msgsock, 8192);
    if ($buf === false) fail("socket_read", $msgsock);

    $talkback = "收到的信息:$buf\n";
    echo $talkback;
    socket_write($msgsock, $talkback, strlen($talkback));
    socket_close($msgsock);
} while (++$count < (int)$clients);

socket_close($sock);
