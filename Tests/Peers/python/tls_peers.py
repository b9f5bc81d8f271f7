#!/usr/bin/env python3
"""TLS peers for sockpit's engine tests (Python's ssl module), each bounded in time.

Every client mode prints one JSON line with what happened; server modes print `PORT n` first.

  garbage PORT               plain text instead of a ClientHello; reads what comes back until EOF
  stall PORT                 the first 20 bytes of a real ClientHello, then nothing until sockpit closes
  cut PORT                   half a ClientHello, then close
  alert-server               a server answering the ClientHello with a fatal handshake_failure alert
  tiny PORT COUNT            a TLS client sending COUNT one-byte records, then "END\\n"; reads the answer
  starttls-server CERT KEY   plain `220 ready`, reads STARTTLS, answers `220 go`, then TLS: uppercases each line
  https-server CERT KEY DIR  an HTTPS server (http.server over ssl) serving DIR
"""
import functools
import http.server
import json
import os
import socket
import ssl
import sys
import time


def report(**fields):
    print(json.dumps(fields), flush=True)


def client_hello():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def read_until_eof(s, limit=20.0):
    s.settimeout(limit)
    got = b""
    start = time.time()
    try:
        while time.time() - start < limit:
            data = s.recv(65536)
            if not data:
                break
            got += data
    except (socket.timeout, ConnectionResetError):
        pass
    return got, time.time() - start


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode in ("garbage", "stall", "cut"):
        s = socket.create_connection(("127.0.0.1", int(args[0])), timeout=10)
        if mode == "garbage":
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        elif mode == "stall":
            s.sendall(client_hello()[:20])
        elif mode == "cut":
            hello = client_hello()
            s.sendall(hello[: len(hello) // 2])
            s.close()
            report(sent=len(hello) // 2)
            return
        got, waited = read_until_eof(s, limit=30.0)
        report(received=len(got), waited=round(waited, 2), head=got[:8].hex())
    elif mode == "alert-server":
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(20)
        print("PORT %d" % listener.getsockname()[1], flush=True)
        conn, _ = listener.accept()
        conn.settimeout(20)
        hello = conn.recv(65536)
        conn.sendall(bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40]))
        got, waited = read_until_eof(conn, limit=10.0)
        report(hello=len(hello), received=len(got))
    elif mode == "tiny":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection(("127.0.0.1", int(args[0])), timeout=30)
        tls = ctx.wrap_socket(raw, server_hostname="localhost")
        count = int(args[1])
        for _ in range(count):
            tls.send(b"x")
        tls.sendall(b"END\n")
        tls.settimeout(30)
        answer = b""
        while b"\n" not in answer:
            data = tls.recv(4096)
            if not data:
                break
            answer += data
        report(sent=count, answer=answer.decode("latin-1"))
        tls.close()
    elif mode == "starttls-server":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args[0], args[1])
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(20)
        print("PORT %d" % listener.getsockname()[1], flush=True)
        conn, _ = listener.accept()
        conn.settimeout(20)
        conn.sendall(b"220 ready\r\n")
        line = b""
        while not line.endswith(b"\n"):
            data = conn.recv(1)
            if not data:
                return
            line += data
        if line.strip() != b"STARTTLS":
            conn.sendall(b"500 expected STARTTLS\r\n")
            return
        conn.sendall(b"220 go\r\n")
        tls = ctx.wrap_socket(conn, server_side=True)
        report(version=tls.version(), cipher=tls.cipher()[0])
        buf = b""
        while True:
            data = tls.recv(65536)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                one, buf = buf.split(b"\n", 1)
                tls.sendall(one.upper() + b"\n")
    elif mode == "https-server":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args[0], args[1])
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=args[2])
        server = http.server.HTTPServer(("127.0.0.1", 0), handler)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        server.timeout = 30
        print("PORT %d" % server.server_address[1], flush=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            server.handle_request()
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
