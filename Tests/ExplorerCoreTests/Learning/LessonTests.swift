// LessonTests.swift — every lesson is well formed in English and Chinese: names, texts, the seed
// lines it quotes (verbatim from the seed), commands that parse (or are step-mode commands the
// engine does not have yet), conditions that match their steps, and lines that fit the screen.

import Foundation
import SocketKit
import Testing
@testable import ExplorerCore

@Suite struct LessonTests {
    @Test func theLessonsTheIssueAsksFor() {
        #expect(Lessons.all.map(\.name) == ["server", "client", "reverse", "select", "udp", "http", "scan"])
        for lesson in Lessons.all {
            #expect(lesson.name.allSatisfy { $0.isLowercase && $0.isASCII }, "\(lesson.name) is one lowercase word")
            #expect(Lessons.named(lesson.name.uppercased()) == lesson)
            #expect(!lesson.steps.isEmpty)
        }
    }

    @Test func everyTextExistsInBothLanguages() {
        for lesson in Lessons.all {
            var texts = [lesson.title, lesson.summary, lesson.kernel] + lesson.steps.map(\.why)
            if let peer = lesson.peer { texts.append(peer) }
            for text in texts {
                #expect(!text.en.isEmpty && !text.zh.isEmpty, "\(lesson.name): \(text)")
                #expect(text.en != text.zh, "\(lesson.name): not translated: \(text.en)")
                // English quotes Chinese only where it shows the seed's own strings.
                let english = text.en.replacingOccurrences(of: "收到的信息", with: "").replacingOccurrences(of: "测试成功", with: "")
                #expect(!english.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
                        "\(lesson.name): Chinese in the English text: \(text.en)")
                #expect(text.zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(lesson.name): no Chinese: \(text.zh)")
                for language in LessonLanguage.allCases {
                    #expect(!text[language].contains("\t") && !text[language].contains("\n"), "\(lesson.name): \(text[language])")
                }
            }
        }
    }

    /// The seed lines a lesson ends with are lines of the seed, word for word.
    @Test func seedLinesAreQuotedVerbatim() throws {
        let seed = try SeedTutorial.lines()
        for lesson in Lessons.all {
            #expect(!lesson.seedLines.isEmpty, "\(lesson.name) quotes nothing")
            for line in lesson.seedLines {
                #expect(seed.contains(line), "\(lesson.name): the seed has no line \(line)")
            }
        }
    }

    /// Every command a lesson tells the learner to type parses, as the command it starts with.
    @Test func everyLessonCommandParses() {
        for lesson in Lessons.all {
            for step in lesson.steps {
                for command in step.commands {
                    let word = String(command.prefix { $0 != " " })
                    do {
                        let parsed = try CommandParser.parse(command)
                        #expect(parsed?.name.rawValue == word, "\(lesson.name): \(command) parses as \(String(describing: parsed))")
                    } catch {
                        Issue.record("\(lesson.name): \(command): \(error)")
                    }
                }
            }
        }
    }

    /// A step that waits for a command's outcome runs that command.
    @Test func commandConditionsNameTheirStepsCommand() {
        for lesson in Lessons.all {
            for (index, step) in lesson.steps.enumerated() {
                let words = step.commands.map { String($0.prefix { $0 != " " }) }
                switch step.done {
                case .succeeded(let name), .failed(let name):
                    #expect(words.last == name, "\(lesson.name) step \(index + 1) waits for \(name)")
                case .sent(let bytes), .received(let bytes):
                    #expect(String(validating: bytes, as: UTF8.self) != nil)
                default:
                    break
                }
                if step.commands.isEmpty {
                    #expect(lesson.peer != nil, "\(lesson.name) step \(index + 1) happens elsewhere, but the lesson says nothing of a peer")
                }
            }
        }
    }

    @Test func everyLineFitsAFixedWidthScreen() {
        for lesson in Lessons.all {
            for language in LessonLanguage.allCases {
                let lines = LessonText.all(lesson, language)
                #expect(lines.count > lesson.steps.count * 3)
                for line in lines {
                    #expect(TextWrap.width(line) <= LessonText.width, "\(lesson.name) \(language): too wide: \(line)")
                    #expect(line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }, "\(lesson.name): control character in \(line)")
                }
            }
        }
        for language in LessonLanguage.allCases {
            let listing = LessonText.listing(language)
            for line in listing { #expect(TextWrap.width(line) <= LessonText.width, "too wide: \(line)") }
            for lesson in Lessons.all { #expect(listing.contains { $0.hasPrefix("  " + lesson.name + " ") }) }
        }
    }

    @Test func aStepAsTheScreenShowsIt() {
        #expect(LessonText.step(Lessons.server, 2, .en) == [
            "server · step 3/10",
            "  type  bind #1 127.0.0.1:1935",
            "  why   socket_bind($sock, $ip, $port): claim the address and port clients",
            "        will use. If another program holds the port, the kernel answers",
            "        EADDRINUSE.",
        ])
        #expect(LessonText.step(Lessons.server, 2, .zh) == [
            "server · 第 3/10 步",
            "  输入  bind #1 127.0.0.1:1935",
            "  说明  socket_bind($sock, $ip, $port)：占用客户端要连接的地址和端口。如果端",
            "        口已被别的程序占用，内核会返回 EADDRINUSE。",
        ])
        #expect(LessonText.step(Lessons.udp, 3, .en).prefix(3) == [
            "udp · step 4/9", "  type  socket udp", "        bind #2 127.0.0.1:6001",
        ])
        #expect(LessonText.step(Lessons.server, 99, .en).isEmpty)
    }

    @Test func theEndQuotesTheSeed() {
        let end = LessonText.end(Lessons.reverse, .zh)
        #expect(end.first == "完成：reverse")
        #expect(end.contains("教程里对应的代码"))
        #expect(end.contains("  $output = strrev($input) . \"\\n\";"))
        // A seed line too long for the screen continues on an indented row.
        #expect(end.contains { $0.hasPrefix("      ") })
    }

    @Test func languageFromTheEnvironment() {
        #expect(LessonLanguage.preferred(environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(LessonLanguage.preferred(environment: ["LANG": "zh_TW.UTF-8", "LC_ALL": "C.UTF-8"]) == .en)
        #expect(LessonLanguage.preferred(environment: ["LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN"]) == .zh)
        #expect(LessonLanguage.preferred(environment: ["LC_ALL": "", "LANG": "zh_SG"]) == .zh)
        #expect(LessonLanguage.preferred(environment: [:]) == .en)
        #expect(LessonLanguage(rawValue: "zh") == .zh)
    }

    @Test func unknownLessonsSuggestTheClosest() throws {
        #expect(try Lessons.find("Server").name == "server")
        #expect(throws: LessonLookupError(description: "learn: no lesson \"srever\" (did you mean server?); "
            + "lessons: server, client, reverse, select, udp, http, scan")) { try Lessons.find("srever") }
        #expect(throws: LessonLookupError.self) { try Lessons.find("tls") }
    }
}
