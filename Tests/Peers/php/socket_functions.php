<?php
// socket_functions.php — calls every socket_* function PHP 8 still has, once each, on loopback,
// printing `@@NAME` just before the call, so `strace` output can be cut into one piece per
// function (PHPFunctionsInPHPTests checks the C calls of PHPFunctionTable against it). Calls that
// only prepare the next one follow `@@setup`, which the test leaves out.
// usage: php socket_functions.php

error_reporting(E_ALL);
function mark(string $name): void { echo "@@$name\n"; }

mark("socket_create"); $l = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
mark("socket_bind"); socket_bind($l, "127.0.0.1", 0);
mark("socket_listen"); socket_listen($l, 4);
mark("socket_getsockname"); socket_getsockname($l, $addr, $port);
mark("setup"); $c = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
mark("socket_connect"); socket_connect($c, "127.0.0.1", $port);
mark("socket_accept"); $a = socket_accept($l);
mark("socket_getpeername"); socket_getpeername($a, $peer, $peerPort);
mark("socket_write"); socket_write($c, "hello");
mark("socket_read"); socket_read($a, 100);
mark("socket_send"); socket_send($a, "back", 4, 0);
mark("socket_recv"); socket_recv($c, $buf, 100, 0);
mark("socket_set_option"); socket_set_option($c, SOL_TCP, TCP_NODELAY, 1);
mark("socket_get_option"); socket_get_option($c, SOL_SOCKET, SO_RCVBUF);
mark("socket_set_nonblock"); socket_set_nonblock($c);
mark("socket_set_block"); socket_set_block($c);
mark("setup"); $r = [$c]; $w = null; $e = null; socket_write($a, "x");
mark("socket_select"); socket_select($r, $w, $e, 1);
mark("socket_shutdown"); socket_shutdown($c, 1);
mark("setup"); $u = socket_create(AF_INET, SOCK_DGRAM, 0); socket_bind($u, "127.0.0.1", 0); socket_getsockname($u, $ua, $up);
$v = socket_create(AF_INET, SOCK_DGRAM, 0);
mark("socket_sendto"); socket_sendto($v, "d1", 2, 0, "127.0.0.1", $up);
mark("socket_recvfrom"); socket_recvfrom($u, $d, 100, 0, $from, $fromPort);
mark("socket_sendmsg"); socket_sendmsg($v, ["name" => ["addr" => "127.0.0.1", "port" => $up], "iov" => ["d2"]], 0);
$m = ["name" => [], "buffer_size" => 100, "controllen" => 16];
mark("socket_recvmsg"); socket_recvmsg($u, $m, 0);
mark("socket_create_pair"); socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $pair);
mark("socket_create_listen"); $cl = socket_create_listen(0);
mark("socket_last_error"); socket_last_error($c);
mark("socket_clear_error"); socket_clear_error($c);
mark("socket_strerror"); socket_strerror(111);
mark("socket_close"); socket_close($a);
mark("end");
