<?php
// seed_client.php — the seed's TCP client (socket_create, socket_connect, socket_write,
// socket_read until the server closes, socket_close), as a bounded test peer.
// usage: php seed_client.php HOST PORT [SECONDS=10] [MESSAGE="Ho\r\nfirst blood\r\n"]
// Prints the seed's progress lines and `接受的内容为:` before each chunk the server sent.
// Changes from the seed: failures are checked with `=== false` and exit with the kernel's
// reason (the seed compared with `< 0` and carried on), and reads give up after SECONDS.

require __DIR__ . '/common.php';
[$ip, $port, $seconds, $in] = peer_args($argv, [null, null, 10, "Ho\r\nfirst blood\r\n"], 'HOST PORT [SECONDS] [MESSAGE]');

$socket = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
if ($socket === false) fail("socket_create");
echo "OK.\n";
bound_io($socket, (float)$seconds);

echo "试图连接 '$ip' 端口 '$port'...\n";
if (socket_connect($socket, $ip, (int)$port) === false) fail("socket_connect", $socket);
echo "连接OK\n";

if (!socket_write($socket, $in, strlen($in))) fail("socket_write", $socket);
echo "发送到服务器信息成功！\n";

// The seed's loop: socket_read returns '' when the server closes (and false at the timeout).
while ($out = socket_read($socket, 8192)) {
    echo "接收服务器回传信息成功！\n";
    echo "接受的内容为:", $out;
}

echo "关闭SOCKET...\n";
socket_close($socket);
echo "关闭OK\n";
