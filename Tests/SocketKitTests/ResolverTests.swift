// ResolverTests.swift — getaddrinfo, typed: numeric hosts without DNS, `localhost` from /etc/hosts,
// an unknown name as an EAI_* error, and the background resolver's answer after the pipe wakes.
// No test needs the internet: `.invalid` names fail locally or at the first resolver.

import Glibc
import SocketKit
import Testing

@Suite struct ResolverTests {
    @Test func numericHostsComeBackAsTheyAre() throws {
        #expect(try Resolver.resolve(host: "127.0.0.1", port: 80, transport: .tcp) == [.ipv4(address: [127, 0, 0, 1], port: 80)])
        #expect(try Resolver.resolve(host: "::1", port: 53, transport: .udp).map(\.description) == ["[::1]:53"])
        #expect(try Resolver.resolve(host: "10.1.2.3", port: 1, transport: .tcp, numericOnly: true).map(\.description) == ["10.1.2.3:1"])
    }

    @Test func localhostResolvesToLoopbackWithThePort() throws {
        let addresses = try Resolver.resolve(host: "localhost", port: 8080, transport: .tcp)
        #expect(addresses.contains(.ipv4(address: [127, 0, 0, 1], port: 8080)))
        #expect(addresses.allSatisfy { $0.isLoopback && $0.port == 8080 })
        #expect(Set(addresses).count == addresses.count) // one entry per address, not per socket type
    }

    @Test func aNameIsRefusedWhenOnlyNumbersAreAllowed() {
        let error = #expect(throws: SystemError.self) { try Resolver.resolve(host: "localhost", port: 1, transport: .tcp, numericOnly: true) }
        #expect(error?.description == "getaddrinfo localhost: EAI_NONAME (not a numeric address)")
    }

    @Test func anUnknownNameIsAnEAIError() {
        let error = #expect(throws: SystemError.self) { try Resolver.resolve(host: "nosuch.invalid", port: 80, transport: .tcp) }
        guard let error else { return }
        #expect(error.call == "getaddrinfo")
        #expect(error.context == "nosuch.invalid")
        // Which of the two depends on whether a DNS server answered; both name the failure.
        switch error.codeName {
        case "EAI_NONAME":
            #expect(error.description == "getaddrinfo nosuch.invalid: EAI_NONAME (Name or service not known)")
        case "EAI_AGAIN":
            #expect(error.description == "getaddrinfo nosuch.invalid: EAI_AGAIN (Temporary failure in name resolution)")
        default:
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theBackgroundAnswerArrivesAfterThePipeWakes() throws {
        let pipe = try WakePipe()
        let resolver = BackgroundResolver(wakePipe: pipe)
        #expect(resolver.takeAnswers().isEmpty)
        resolver.start(ticket: 7, host: "localhost", port: 5000, transport: .tcp)
        #expect(waitReady(pipe.readFD, POLLIN, milliseconds: 10_000) & Int32(POLLIN) != 0)
        #expect(pipe.drain() == [])
        let answers = resolver.takeAnswers()
        #expect(answers.count == 1)
        let answer = try #require(answers.first)
        #expect(answer.ticket == 7)
        #expect(answer.host == "localhost")
        #expect(try answer.result.get().contains(.ipv4(address: [127, 0, 0, 1], port: 5000)))
        #expect(resolver.takeAnswers().isEmpty)
    }

    @Test func aBackgroundFailureIsAnAnswerToo() throws {
        let pipe = try WakePipe()
        let resolver = BackgroundResolver(wakePipe: pipe)
        resolver.start(ticket: 1, host: "nosuch.invalid", port: 80, transport: .udp)
        resolver.start(ticket: 2, host: "127.0.0.1", port: 80, transport: .udp)
        var answers: [BackgroundResolver.Answer] = []
        while answers.count < 2 && waitReady(pipe.readFD, POLLIN, milliseconds: 10_000) != 0 {
            _ = pipe.drain()
            answers += resolver.takeAnswers()
        }
        let byTicket = Dictionary(uniqueKeysWithValues: answers.map { ($0.ticket, $0) })
        #expect(byTicket.count == 2)
        guard case .failure(let error)? = byTicket[1]?.result else {
            Issue.record("nosuch.invalid resolved: \(String(describing: byTicket[1]))")
            return
        }
        #expect(["EAI_NONAME", "EAI_AGAIN"].contains(error.codeName))
        #expect(try byTicket[2]?.result.get() == [.ipv4(address: [127, 0, 0, 1], port: 80)])
    }
}
