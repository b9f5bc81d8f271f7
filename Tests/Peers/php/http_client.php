<?php
// http_client.php — the seed's hand-written HTTP request: socket_connect, socket_send
// "GET / HTTP/1.1", socket_recv with MSG_WAITALL, echo the answer.
// usage: php http_client.php HOST PORT [PATH=/] [SECONDS=10]
// Changes from the seed, for correctness: the request carries `Host:` (HTTP/1.1 requires it; the
// seed's bare "GET / HTTP/1.1\r\n\r\n" gets 400 from strict servers) and `Connection: close`, so
// the server's close ends MSG_WAITALL's wait for all 2045 bytes; reads stop at SECONDS; and
// socket_recv loops until the close, since one call returns at most 2045 bytes.

require __DIR__ . '/common.php';
[$host, $port, $path, $seconds] = peer_args($argv, [null, null, '/', 10], 'HOST PORT [PATH] [SECONDS]');

if (!($socket = socket_create(AF_INET, SOCK_STREAM, 0))) fail("socket_create");
bound_io($socket, (float)$seconds);
if (!socket_connect($socket, $host, (int)$port)) fail("socket_connect", $socket);

$message = "GET $path HTTP/1.1\r\nHost: $host\r\nConnection: close\r\n\r\n";
if (!socket_send($socket, $message, strlen($message), 0)) fail("socket_send", $socket);

while (($length = socket_recv($socket, $buf, 2045, MSG_WAITALL)) !== false && $length > 0) {
    echo $buf;
}
if ($length === false) fail("socket_recv", $socket);
socket_close($socket);
