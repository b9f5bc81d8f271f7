// LessonProgressTests.swift — a lesson advances only on the event its step waits for, in order:
// every lesson driven to its end with the events that satisfy it, near misses that must not count,
// byte patterns split across reads, and the bound on what it remembers.

import SocketKit
import Testing
@testable import ExplorerCore

@Suite struct LessonProgressTests {
    /// An event that meets `condition`.
    static func event(meeting condition: StepCondition) -> LessonEvent {
        switch condition {
        case .reached(let state, let transport): .state(socket: 1, state, transport ?? .tcp)
        case .pending: .pending(listener: 1)
        case .accepted: .accepted(listener: 1, socket: 2)
        case .sent(let bytes): .sent(socket: 2, bytes.isEmpty ? [0x78] : bytes)
        case .received(let bytes): .received(socket: 2, bytes.isEmpty ? [0x78] : bytes)
        case .succeeded(let name): .command(name, succeeded: true)
        case .failed(let name): .command(name, succeeded: false)
        case .traced(let name): .traced(name)
        }
    }

    /// Events that look like `condition` but must not meet it.
    static func nearMisses(_ condition: StepCondition) -> [LessonEvent] {
        switch condition {
        case .reached(let state, let transport):
            let other = LessonSocketState.allCases.first { $0 != state }!
            return [.state(socket: 1, other, transport ?? .tcp)] + (transport.map { [.state(socket: 1, state, $0 == .tcp ? .udp : .tcp)] } ?? [])
        case .pending: return [.accepted(listener: 1, socket: 2)]
        case .accepted: return [.pending(listener: 1)]
        case .sent(let bytes): return [.received(socket: 2, bytes.isEmpty ? [0x78] : bytes)] + (bytes.count > 1 ? [.sent(socket: 2, Array(bytes.dropLast()))] : [])
        case .received(let bytes): return [.sent(socket: 2, bytes.isEmpty ? [0x78] : bytes), .received(socket: 2, [])]
        case .succeeded(let name): return [.command(name, succeeded: false), .command("echo", succeeded: true)]
        case .failed(let name): return [.command(name, succeeded: true)]
        case .traced(let name): return [.traced(name + "x"), .command(name, succeeded: true)]
        }
    }

    @Test(arguments: Lessons.all.map(\.name))
    func eachLessonRunsToItsEndOnTheRightEventsOnly(_ name: String) throws {
        let lesson = try #require(Lessons.named(name))
        let learner = Learner(lesson)
        for (index, step) in lesson.steps.enumerated() {
            #expect(learner.progress.current == step)
            for miss in Self.nearMisses(step.done) {
                #expect(!learner.sees(miss), "\(name) step \(index + 1) advanced on \(miss)")
            }
            #expect(learner.progress.completed == index)
            #expect(learner.sees(Self.event(meeting: step.done)), "\(name) step \(index + 1) did not advance")
        }
        #expect(learner.progress.isFinished && learner.progress.current == nil)
        #expect(!learner.sees(.command("quit", succeeded: true)))
        #expect(learner.progress.completed == lesson.steps.count)
    }

    @Test func aPatternSplitAcrossReadsStillMatchesButNotAcrossSockets() throws {
        let client = try #require(Lessons.named("client"))
        let learner = Learner(client)
        for step in client.steps.prefix(4) { _ = learner.sees(Self.event(meeting: step.done)) }
        #expect(client.steps[4].done == .sent("first blood"))
        #expect(!learner.sees(.sent(socket: 2, Array("Ho\r\nfirst bl".utf8))))
        #expect(!learner.sees(.sent(socket: 3, Array("ood".utf8))), "bytes of two sockets joined")
        #expect(!learner.sees(.received(socket: 2, Array("ood".utf8))), "sent and received joined")
        #expect(learner.sees(.sent(socket: 2, Array("ood\r\n".utf8))))
    }

    /// One event completes one step, and an event from before a step does not count for it.
    @Test func stepsCompleteInOrder() throws {
        let scan = try #require(Lessons.named("scan"))
        let learner = Learner(scan)
        // The errno step's event arrives first: it must not count later.
        #expect(!learner.sees(.command("errno", succeeded: true)))
        #expect(learner.sees(.state(socket: 1, .listening, .tcp)))
        #expect(learner.sees(.state(socket: 2, .established, .tcp)))
        #expect(learner.sees(.command("connect", succeeded: false)))
        #expect(learner.progress.current?.done == .succeeded("errno"))
        #expect(learner.sees(.command("errno", succeeded: true)))
    }

    /// Only the newest sockets' partial matches are remembered.
    @Test func partialMatchesAreBounded() throws {
        let client = try #require(Lessons.named("client"))
        let learner = Learner(client)
        for step in client.steps.prefix(4) { _ = learner.sees(Self.event(meeting: step.done)) }
        #expect(!learner.sees(.sent(socket: 100, Array("first bl".utf8))))
        for socket in 0..<LessonProgress.maxSockets {
            #expect(!learner.sees(.sent(socket: socket, Array("first b".utf8))))
        }
        #expect(!learner.sees(.sent(socket: 100, Array("ood".utf8))), "socket 100 should have been forgotten")
        #expect(learner.sees(.sent(socket: LessonProgress.maxSockets - 1, Array("lood".utf8))))
    }
}

/// A lesson's progress behind a reference, so that `#expect(learner.sees(event))` can drive it.
private final class Learner {
    var progress: LessonProgress
    init(_ lesson: Lesson) { progress = LessonProgress(lesson) }
    func sees(_ event: LessonEvent) -> Bool { progress.observe(event) }
}
