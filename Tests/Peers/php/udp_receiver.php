<?php
// udp_receiver.php — a UDP receiver for the seed's SOCK_DGRAM socket: socket_create(AF_INET,
// SOCK_DGRAM, 0), socket_bind, then socket_recvfrom for each datagram, answering its sender with
// socket_sendto("OK ... $data"). No listen, no accept: UDP has no connections.
// usage: php udp_receiver.php HOST PORT [COUNT=1] [SECONDS=10]
// Prints `port N` once bound and `from ADDRESS:PORT DATA` for each datagram; exits after COUNT
// datagrams, or with status 1 at SECONDS.

require __DIR__ . '/common.php';
[$host, $port, $count, $seconds] = peer_args($argv, [null, null, 1, 10], 'HOST PORT [COUNT] [SECONDS]');
$deadline = microtime(true) + (float)$seconds;

$socket = socket_create(AF_INET, SOCK_DGRAM, 0) or fail("socket_create");
socket_bind($socket, $host, (int)$port) or fail("socket_bind", $socket);
announce_port($socket);

for ($received = 0; $received < (int)$count; $received++) {
    wait_readable($socket, $deadline, "a datagram");
    $length = socket_recvfrom($socket, $data, 65535, 0, $from, $from_port);
    if ($length === false) fail("socket_recvfrom", $socket);
    echo "from $from:$from_port $data\n";
    $answer = "OK ... $data";
    if (socket_sendto($socket, $answer, strlen($answer), 0, $from, $from_port) === false) fail("socket_sendto", $socket);
}
socket_close($socket);
