// PythonTLSPeer.swift — Python's `ssl` module as a TLS peer: a small script (below) run as a
// server or a client; it prints `PORT n`, a `TLS {json}` line with what it negotiated (version,
// cipher, ALPN, SNI seen, SHA-256 of the peer's certificate), then `RECEIVED "…"` or errors.

import Foundation

enum PythonTLSPeer {
    /// Starts `python3 peer.py MODE ARGUMENTS` in `directory`.
    static func start(_ mode: String, _ arguments: [String], in directory: TemporaryDirectory) throws -> PeerProcess {
        let script = directory.path("tls_peer.py")
        if !FileManager.default.fileExists(atPath: script) { directory.write("tls_peer.py", source) }
        return try PeerProcess(python, [script, mode] + arguments, in: directory)
    }

    /// The `TLS {…}` line's fields, waiting for it.
    static func details(_ peer: PeerProcess, timeout: Double = 10) -> [String: Any]? {
        guard let json = peer.waitForMatch(#"TLS (\{[^\n]*\})"#, timeout: timeout),
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return object
    }

    /// The first python3 on PATH (pyenv's shim or /usr/bin).
    static let python: String = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }()

    static let source = #"""
import argparse, hashlib, json, socket, ssl, sys

def details(tls, extra=None):
    der = tls.getpeercert(binary_form=True)
    info = {"version": tls.version(), "cipher": tls.cipher()[0], "alpn": tls.selected_alpn_protocol(),
            "peer_sha256": hashlib.sha256(der).hexdigest() if der else None}
    info.update(extra or {})
    print("TLS " + json.dumps(info), flush=True)

def context(args, server):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    if args.tls12: ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if args.cert: ctx.load_cert_chain(args.cert, args.key)
    if args.alpn: ctx.set_alpn_protocols(args.alpn.split(","))
    if args.keylog: ctx.keylog_filename = args.keylog
    if server:
        if args.cafile:
            ctx.load_verify_locations(args.cafile)
            ctx.verify_mode = ssl.CERT_REQUIRED
    else:
        if args.cafile: ctx.load_verify_locations(args.cafile)
        if args.no_verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
    return ctx

def converse(tls, args):
    if args.send: tls.sendall(args.send.encode().decode("unicode_escape").encode("latin-1"))
    if args.flood:
        chunk = bytes(range(256)) * 256
        left = args.flood
        while left > 0:
            n = min(left, len(chunk)); tls.sendall(chunk[:n]); left -= n
    if args.echo:
        buf = b""
        while True:
            data = tls.recv(65536)
            if not data: break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                tls.sendall(line.upper() + b"\n")
    elif args.read:
        got = b""
        while True:
            try:
                data = tls.recv(65536)
            except ssl.SSLError as e:
                print("READERROR " + str(e), flush=True); break
            if not data: break
            got += data
        print("RECEIVED " + json.dumps(got.decode("latin-1")), flush=True)
    try:
        tls.unwrap()
    except (ssl.SSLError, OSError) as e:
        print("UNWRAP " + str(e), flush=True)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["server", "client"])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert"); p.add_argument("--key"); p.add_argument("--cafile")
    p.add_argument("--alpn"); p.add_argument("--sni"); p.add_argument("--keylog")
    p.add_argument("--no-verify", action="store_true"); p.add_argument("--tls12", action="store_true")
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--send"); p.add_argument("--flood", type=int, default=0)
    p.add_argument("--echo", action="store_true"); p.add_argument("--read", action="store_true")
    args = p.parse_args()
    if args.mode == "server":
        ctx = context(args, True)
        seen = {}
        ctx.sni_callback = lambda s, name, c: seen.__setitem__("sni", name)
        listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
        print("PORT %d" % listener.getsockname()[1], flush=True)
        raw, _ = listener.accept(); raw.settimeout(20)
        if args.starttls:
            line = b""
            while not line.endswith(b"\n"): line += raw.recv(1)
            print("PLAIN " + json.dumps(line.decode("latin-1")), flush=True)
            raw.sendall(b"OK begin TLS\r\n")
        try:
            tls = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print("HANDSHAKEERROR " + str(e), flush=True); return
        details(tls, seen)
        converse(tls, args)
    else:
        ctx = context(args, False)
        raw = socket.create_connection(("127.0.0.1", args.port), timeout=20)
        if args.starttls:
            raw.sendall(b"STARTTLS\r\n")
            line = b""
            while not line.endswith(b"\n"): line += raw.recv(1)
            print("PLAIN " + json.dumps(line.decode("latin-1")), flush=True)
        try:
            tls = ctx.wrap_socket(raw, server_hostname=args.sni or "localhost")
        except (ssl.SSLError, OSError) as e:
            print("HANDSHAKEERROR " + str(e), flush=True); return
        details(tls)
        converse(tls, args)

main()
"""#
}
