// SeedFlowTests.swift — the seed tutorial's flows, against real peers on 127.0.0.1.

import ExplorerCore
import Foundation
import Testing

@Suite struct SeedFlowTests {
    /// The seed's client: connect, send "Ho\r\nfirst blood\r\n", read until the server closes.
    @Test func clientSendsAndReadsUntilTheServerCloses() throws {
        let heard = Shared<[UInt8]>([])
        let server = try PeerServer { peer in
            peer.send("测试成功！\n")
            heard.set(peer.receive(until: { $0.count >= 17 }))
            peer.send("收到的信息:" + String(decoding: heard.current, as: UTF8.self))
            peer.close()
        }
        defer { server.stop() }
        let session = try EngineSession()
        let statuses = session.run("connect 127.0.0.1:\(server.port)", #"send "Ho\r\nfirst blood\r\n""#, "wait closed")
        #expect(statuses.allSatisfy { $0.ok }, "\(statuses)")
        #expect(heard.current == Array("Ho\r\nfirst blood\r\n".utf8))
        let received = String(decoding: session.bytes(.recv, on: 1), as: UTF8.self)
        #expect(received == "测试成功！\n收到的信息:Ho\r\nfirst blood\r\n")
        #expect(session.lines.contains(#"#1 > 17 "Ho\r\nfirst blood\r\n""#))
        #expect(session.lines.contains("#1 eof from peer"))
        #expect(session.entry(1)?.state == .closed)
    }

    /// The seed's `socket_select` server: a banner for each client and "OK ... $input" replies,
    /// serving several clients at once.
    @Test func serverWithBannerAndTemplateRepliesServesSeveralClients() throws {
        let session = try EngineSession()
        let statuses = session.run("listen 127.0.0.1:0", #"banner "Welcome to php socket server version 1.0 \n""#, #"reply "OK ... {data}""#)
        #expect(statuses.allSatisfy { $0.ok }, "\(statuses)")
        let port = session.port(of: 1)
        var clients: [PeerConnection] = []
        for _ in 0..<3 { clients.append(try PeerConnection.connect(port: port)) }
        let welcome = Array("Welcome to php socket server version 1.0 \n".utf8)
        let answers = Shared<[Int: [UInt8]]>([:])
        for (index, client) in clients.enumerated() {
            Thread.detachNewThread {
                _ = client.receive(count: welcome.count)
                client.send("hello \(index)")
                let answer = client.receive(count: "OK ... hello \(index)".utf8.count)
                answers.update { $0[index] = answer }
            }
        }
        #expect(session.pump(until: { answers.current.count == 3 }))
        for index in 0..<3 {
            #expect(answers.current[index] == Array("OK ... hello \(index)".utf8))
        }
        #expect(session.entry(1)?.acceptedCount == 3)
        clients.forEach { $0.close() }
    }

    /// The seed's reverse server: trim, strrev, newline.
    @Test func reverseServer() throws {
        let session = try EngineSession()
        #expect(session.run("listen 127.0.0.1:0 reply=reverse").allSatisfy { $0.ok })
        let client = try PeerConnection.connect(port: session.port(of: 1))
        let answer = Shared<[UInt8]>([])
        Thread.detachNewThread {
            client.send("hello 你好\r\n")
            answer.set(client.receive(until: { $0.last == 0x0a }))
        }
        #expect(session.pump(until: { !answer.current.isEmpty }))
        #expect(String(decoding: answer.current, as: UTF8.self) == "好你 olleh\n")
        client.close()
    }
}
