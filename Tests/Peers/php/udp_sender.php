<?php
// udp_sender.php — a UDP sender: socket_create(AF_INET, SOCK_DGRAM, 0), socket_sendto one
// datagram to HOST:PORT, then socket_recvfrom the answer. No connect: each datagram names its
// destination, and the kernel picks this socket's port at the first send.
// usage: php udp_sender.php HOST PORT MESSAGE [SECONDS=5]
// Prints `answer from ADDRESS:PORT DATA`; exits with status 1 when no answer comes within SECONDS.

require __DIR__ . '/common.php';
[$host, $port, $message, $seconds] = peer_args($argv, [null, null, null, 5], 'HOST PORT MESSAGE [SECONDS]');
$deadline = microtime(true) + (float)$seconds;

$socket = socket_create(AF_INET, SOCK_DGRAM, 0) or fail("socket_create");
if (socket_sendto($socket, $message, strlen($message), 0, $host, (int)$port) === false) fail("socket_sendto", $socket);
wait_readable($socket, $deadline, "an answer");
if (socket_recvfrom($socket, $answer, 65535, 0, $from, $from_port) === false) fail("socket_recvfrom", $socket);
echo "answer from $from:$from_port $answer\n";
socket_close($socket);
