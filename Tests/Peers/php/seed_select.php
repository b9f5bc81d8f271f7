<?php
// seed_select.php — the seed's socket_select server for many clients: a welcome banner for each
// new client and "OK ... $input" for every message, as a bounded test peer.
// usage: php seed_select.php HOST PORT [SERVE=1] [SECONDS=10]
// Prints `port N` once listening; exits when SERVE clients have come and gone, or at SECONDS.
// Changes from the seed, each for correctness: select wakes at least once a second so the
// deadline holds (the seed waits forever); a client that disconnects is closed before it is
// forgotten (the seed unset it first, then closed nothing, and still wrote "OK ... " to it);
// the client table starts full of nulls (no undefined-index warnings); and when all
// $max_clients slots are taken a new client is accepted and closed at once instead of leaving
// the listener readable, which would spin the loop.

require __DIR__ . '/common.php';
[$address, $port, $serve, $seconds] = peer_args($argv, [null, null, 1, 10], 'HOST PORT [SERVE] [SECONDS]');
$deadline = microtime(true) + (float)$seconds;
$max_clients = 10;

if (!($sock = socket_create(AF_INET, SOCK_STREAM, 0))) fail("socket_create");
echo "Socket created \n";
if (!socket_bind($sock, $address, (int)$port)) fail("socket_bind", $sock);
echo "Socket bind OK \n";
if (!socket_listen($sock, 10)) fail("socket_listen", $sock);
echo "Socket listen OK \n";
announce_port($sock);
echo "Waiting for incoming connections... \n";

$client_socks = array_fill(0, $max_clients, null);
$served = 0;

while ($served < (int)$serve) {
    if (microtime(true) >= $deadline) {
        fwrite(STDERR, "timeout after serving $served of $serve clients\n");
        exit(1);
    }
    // The master socket first, then every connected client.
    $read = [$sock];
    foreach ($client_socks as $client) {
        if ($client !== null) $read[] = $client;
    }
    $write = null;
    $except = null;
    if (socket_select($read, $write, $except, 1) === false) fail("socket_select");

    // The master socket is readable: a new client waits in the backlog.
    if (in_array($sock, $read, true)) {
        $client = socket_accept($sock);
        $slot = array_search(null, $client_socks, true);
        if ($client !== false && $slot === false) {
            socket_close($client);  // every slot taken
        } elseif ($client !== false) {
            $client_socks[$slot] = $client;
            if (socket_getpeername($client, $peer_address, $peer_port)) {
                echo "Client $peer_address : $peer_port is now connected to us. \n";
            }
            $message = "Welcome to php socket server version 1.0 \n";
            $message .= "Enter a message and press enter, and i shall reply back \n";
            socket_write($client, $message);
        }
    }

    // Every readable client: a message to answer, or '' when it disconnected.
    for ($i = 0; $i < $max_clients; $i++) {
        if ($client_socks[$i] === null || !in_array($client_socks[$i], $read, true)) continue;
        $input = socket_read($client_socks[$i], 1024);
        if ($input === false || $input === '') {
            socket_close($client_socks[$i]);
            $client_socks[$i] = null;
            $served++;
            continue;
        }
        $output = "OK ... $input";
        echo "Sending output to client \n";
        socket_write($client_socks[$i], $output);
    }
}
socket_close($sock);
