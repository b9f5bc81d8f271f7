// StartTLSAndHTTPSTests — `starttls` against a Python server that switches after a plain
// STARTTLS exchange; `http https://` against a Python HTTPS server (http.server over ssl) and
// `http TARGET PATH` on an open TLS connection; `set keylog` writing NSS key-log lines.

import Foundation
import Testing
@testable import ExplorerCore

@Suite(.serialized) struct StartTLSAndHTTPSTests {
    @Test func starttlsUpgradesAPlainConnectionInPlace() throws {
        let files = TLSFiles.shared
        let server = try TLSPeers.python("starttls-server", [files.cert, files.key])
        let port = try #require(server.announcedNumber("PORT"), "\(server.transcript)")
        let session = try EngineSession()
        let statuses = session.run("set eol crlf", "connect localhost:\(port)", "expect \"220 ready\"", "sendl STARTTLS", "expect \"220 go\"",
                                   "starttls ca=\(files.cert)", "set eol lf", "sendl secret words", "expect \"SECRET WORDS\"")
        #expect(statuses.allOK, "\(statuses) \(session.lines) \(server.transcript)")
        #expect(session.entry(1)?.tls?.phase == .established)
        #expect(session.entry(1)?.protocolName == "tls")
        // The plaintext before and after the switch is in the log, in order.
        let received = String(decoding: session.bytes(.recv, on: 1), as: UTF8.self)
        #expect(received == "220 ready\r\n220 go\r\nSECRET WORDS\n", "\(received)")
        #expect(server.reportLine(timeout: 5)?["version"] as? String == "TLSv1.3", "\(server.transcript)")
        #expect(session.failing("starttls").message.contains("already speaks TLS"))
    }

    @Test func starttlsOnBothEndsOfAPair() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0").allOK)
        #expect(session.run("connect 127.0.0.1:\(session.port(of: 1))", "wait #1 connected").allOK)
        session.engine.submit("starttls #3 server")
        let statuses = session.run("starttls #2 client verify=off", #"send #2 "over tls\n""#, "expect #3 \"over tls\"")
        #expect(statuses.allOK, "\(statuses) \(session.lines)")
        #expect(session.entry(3)?.tls?.role == "server")
        #expect(session.entry(2)?.tls?.role == "client")
    }

    @Test func httpsGetAgainstAPythonHTTPSServer() throws {
        let files = TLSFiles.shared
        let directory = try TemporaryDirectory()
        try directory.write("hello.txt", "hello over https\n")
        let server = try TLSPeers.python("https-server", [files.cert, files.key, directory.path])
        let port = try #require(server.announcedNumber("PORT"), "\(server.transcript)")
        let session = try EngineSession()
        let refused = session.failing("http https://localhost:\(port)/hello.txt")
        #expect(refused.message.contains("certificate verify failed: self-signed certificate"), "\(refused)")
        let status = session.status("http https://localhost:\(port)/hello.txt ca=\(files.cert)")
        #expect(status.ok && status.message.hasPrefix("HTTP/1.0 200 OK"), "\(status)")
        let received = String(decoding: session.bytes(.recv, on: 2), as: UTF8.self)
        #expect(received.hasSuffix("\r\n\r\nhello over https\n"), "\(received)")
        #expect(String(decoding: session.bytes(.send, on: 2), as: UTF8.self).hasPrefix("GET /hello.txt HTTP/1.1\r\nHost: localhost:\(port)\r\n"))
        // `http TARGET PATH` on an open TLS connection.
        #expect(session.run("connect tls localhost:\(port) ca=\(files.cert)").allOK)
        let onTarget = session.status("http #3 /hello.txt")
        #expect(onTarget.ok && onTarget.message.hasPrefix("HTTP/1.0 200 OK"), "\(onTarget)")
        server.finish(timeout: 1)
    }

    @Test func keylogAppendsNSSLinesForEverySession() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keys.log")
        let session = try EngineSession()
        #expect(session.run("set keylog \(path)", "listen tls 0 reply=echo").allOK)
        let port = session.port(of: 1)
        #expect(session.run("connect tls 127.0.0.1:\(port) verify=off", "sendl k", "expect k", "close #2").allOK)
        #expect(session.pump(until: { (directory.read("keys.log")?.count ?? 0) > 0 && session.engine.table[SocketID(3)]?.state.isOpen == false }))
        let text = String(decoding: directory.read("keys.log") ?? [], as: UTF8.self)
        let lines = text.split(separator: "\n")
        // TLS 1.3: five secrets per side, both sides of one connection in this file.
        for label in ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"] {
            #expect(lines.filter { $0.hasPrefix(label + " ") }.count == 2, "\(label) in \(text)")
        }
        for line in lines {
            let fields = line.split(separator: " ")
            #expect(fields.count == 3 && fields[1].count == 64 && fields[2].allSatisfy(\.isHexDigit), "\(line)")
        }
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(session.run("set keylog off", "set keylog").allOK)
        #expect(session.lines.last == "keylog = off")
        #expect(session.failing("set keylog /nonexistent/dir/keys.log").message.contains("ENOENT"))
    }
}
