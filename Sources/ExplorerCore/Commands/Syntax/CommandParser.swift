// CommandParser — turns one command line into a typed `Command`, or a `ParseError` naming the command and its usage.

/// Parses the command language of PRODUCT.md §2.
///
/// Lexical rules, in one place:
/// - Command words, keywords (`tcp`, `rd`, `off`, `hex`, …) and option keys are case-insensitive;
///   hosts, paths, payloads and `set`/`sockopt` values keep their case.
/// - Words are separated by blanks; double quotes group a word (`"my file.txt"`), with payload escapes.
/// - A word `letters=value` is an option, allowed anywhere among a command's words.
/// - Payload commands (`send`, `sendl`, `reply`, `banner`, `expect`, `find`) read the rest of the line
///   as payload syntax (see `PayloadParser`); their first word is a target only if it is exactly `#N`,
///   `.` or `*`.
/// - A line is a comment when its first non-blank character is `#` and the next one is not a digit
///   (`# note`, `#!shebang`, a lone `#`). There are no trailing comments: `send a # b` sends `a # b`.
public enum CommandParser {
    /// Parses one line into a command; nil for a blank line or a comment.
    public static func parse(_ line: String) throws(ParseError) -> Command? {
        let text = LineText(line)
        let end = text.bytes.count
        let start = text.skipBlanks(from: 0, to: end)
        guard start < end else { return nil }
        var wordEnd = start
        while wordEnd < end, !LineText.isBlank(text.bytes[wordEnd]) { wordEnd += 1 }
        let word = text.text(start..<wordEnd)
        if text.bytes[start] == UInt8(ascii: "#") {
            guard start + 1 < end, (0x30...0x39).contains(text.bytes[start + 1]) else { return nil }
            throw ParseError(
                "a line cannot start with a target (\(MessageText.visible(word))): put the command first, "
                    + "e.g. send \(MessageText.visible(word)) …; a comment is # followed by a non-digit")
        }
        guard let info = CommandCatalog.lookup(word) else {
            let hint = Suggestion.hint(for: word, in: CommandCatalog.allWords)
            throw ParseError("unknown command \(MessageText.quoted(word))\(hint)")
        }
        var arguments = ArgumentCursor(line: text, from: wordEnd)
        do throws(ParseError) {
            return try parse(info.name, &arguments)
        } catch {
            throw error.inCommand(info.word, usage: info.usage)
        }
    }

    private static func parse(_ name: CommandName, _ args: inout ArgumentCursor) throws(ParseError) -> Command {
        switch name {
        case .listen: return try listen(args)
        case .connect: return try connect(args)
        case .accept: return .accept(try onlyTarget(args, allowAll: false))
        case .pair: try noArguments(args); return .pair
        case .send:
            let (target, to, payload) = try sendArguments(&args, needsPayload: true)
            return .send(target, to: to, payload)
        case .sendl:
            let (target, to, payload) = try sendArguments(&args, needsPayload: false)
            return .sendl(target, to: to, payload)
        case .recv: return try recv(args)
        case .pause: return .pause(try onlyTarget(args, allowAll: true))
        case .resume: return .resume(try onlyTarget(args, allowAll: true))
        case .shutdown: return try shutdown(args)
        case .close: return .close(try onlyTarget(args, allowAll: true))
        case .reset: return .reset(try onlyTarget(args, allowAll: true))
        case .reply: return try reply(&args)
        case .banner: return try banner(&args)
        case .sockopt: return try sockopt(&args)
        case .info: return try info(args)
        case .resolve: return try resolve(args)
        case .scan: return try scan(args)
        case .http: return try http(args)
        case .trace: return .trace(try onOff(args))
        case .view: return .view(try onlyKeyword(args, LogView.self))
        case .filter: return .filter(try filterTarget(args))
        case .find: return .find(try requiredPayload(args))
        case .clear: try noArguments(args); return .clear
        case .follow: try noArguments(args); return .follow
        case .save: return try save(args)
        case .record: return try record(args)
        case .expect: return try expect(&args)
        case .wait: return try wait(args)
        case .select: return .select(try requiredTarget(args))
        case .sleep: return .sleep(micros: try sleepDuration(args))
        case .echo: return .echo(args.line.text(args.rest))
        case .source: return .source(path: try onlyFileName(args))
        case .set: return try set(&args)
        case .help: return .help(try helpTopic(args))
        case .quit: try noArguments(args); return .quit
        }
    }

    // MARK: Sockets

    private static func listen(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args, options: ["backlog", "reply", "accept"])
        let explicit = words.takeKeyword(TransportKind.self)
        let endpoint = try endpoint(&words, kind: explicit, role: .listen, expected: "[HOST:]PORT or PATH")
        let kind = explicit ?? (isPath(endpoint) ? .unix : .tcp)
        var options = ListenOptions()
        if let value = words.option("backlog") {
            options.backlog = try number(value, option: words.optionText("backlog"), in: 0...65_535)
        }
        if let value = words.option("reply") {
            options.reply = try inOption(words.optionText("reply")) { () throws(ParseError) in
                try replyMode(args.line, value.range)
            }
        }
        if let value = words.option("accept") {
            options.accept = try keyword(value, AcceptMode.self, option: words.optionText("accept"))
        }
        if kind == .udp, let key = ["backlog", "accept"].first(where: { words.option($0) != nil }) {
            throw ParseError("\(key)= does not apply to udp, which has no connections to accept")
        }
        try words.finish()
        return .listen(kind, endpoint, options)
    }

    private static func connect(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args, options: ["timeout", "from"])
        let explicit = words.takeKeyword(TransportKind.self)
        let endpoint = try endpoint(&words, kind: explicit, role: .destination, expected: "HOST:PORT or PATH")
        let kind = explicit ?? (isPath(endpoint) ? .unix : .tcp)
        var options = ConnectOptions(timeoutMicros: try timeout(words, default: CommandDefaults.connectTimeoutMicros))
        if let value = words.option("from") {
            guard kind != .unix else { throw ParseError("from= applies to tcp and udp, not unix") }
            options.from = try inOption(words.optionText("from")) { () throws(ParseError) in
                let (host, port) = try EndpointSyntax.split(value.text)
                return try EndpointSyntax.endpoint(host, port: try port.map(EndpointSyntax.port) ?? 0, role: .bind)
            }
        }
        try words.finish()
        return .connect(kind, endpoint, options)
    }

    /// The endpoint word(s) of `listen`/`connect`: a path, `[HOST:]PORT`, or netcat's `HOST PORT`.
    private static func endpoint(
        _ words: inout WordArguments, kind: TransportKind?, role: EndpointRole, expected: String
    ) throws(ParseError) -> EndpointSpec {
        guard let word = words.next() else { throw ParseError("expected \(expected)") }
        let text = try words.unquoted(word)
        if kind == .unix || text.contains("/") {
            if let kind, kind != .unix {
                throw ParseError("\(kind.rawValue) takes HOST:PORT, not a path (\(MessageText.quoted(text)))")
            }
            return try EndpointSyntax.path(text)
        }
        let parts = text.contains(":") || EndpointSyntax.isDigits(text) ? try EndpointSyntax.split(text) : nil
        if let parts, let port = parts.port {
            return try EndpointSyntax.endpoint(parts.host, port: try EndpointSyntax.port(port), role: role)
        }
        guard let portWord = words.peek(), EndpointSyntax.isDigits(portWord.text) else {
            throw ParseError("expected \(expected), got \(MessageText.quoted(word.text))")
        }
        _ = words.next()
        let host = if let parts { parts.host } else { try EndpointSyntax.split(text).host }
        return try EndpointSyntax.endpoint(host, port: try EndpointSyntax.port(Substring(portWord.text)), role: role)
    }

    private static func isPath(_ endpoint: EndpointSpec) -> Bool {
        if case .path = endpoint { return true }
        return false
    }

    /// `[TARGET] [to=HOST:PORT] PAYLOAD` of `send` and `sendl`.
    private static func sendArguments(
        _ args: inout ArgumentCursor, needsPayload: Bool
    ) throws(ParseError) -> (Target, EndpointSpec?, Payload) {
        let targetWord = args.peekWord()
        let target = try args.takeTarget(allowAll: true)
        var to: EndpointSpec?
        if let word = args.peekWord(), word.keyword.hasPrefix("to=") {
            _ = args.takeWord()
            to = try inOption(MessageText.visible(word.text)) { () throws(ParseError) in
                let (host, port) = try EndpointSyntax.split(String(word.text.dropFirst(3)))
                guard let port else { throw ParseError("expected HOST:PORT") }
                return try EndpointSyntax.endpoint(host, port: try EndpointSyntax.port(port), role: .destination)
            }
        }
        if needsPayload, args.isAtEnd {
            if let word = targetWord?.text, target != .selected || word == "." {
                throw ParseError("expected a payload after \(word) (to send \"\(word)\" itself, quote it)")
            }
            throw ParseError("expected a payload")
        }
        return (target, to, try PayloadParser.parse(args.line, args.rest))
    }

    private static func recv(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: false)
        var count: Int?
        var waitAll = false
        while let word = words.next() {
            if !word.isQuoted, word.keyword == "all", !waitAll {
                waitAll = true
            } else if EndpointSyntax.isDigits(word.text), count == nil {
                let range = 1...CommandDefaults.recvMaximum
                guard word.text.count <= 9, let value = Int(word.text), range.contains(value) else {
                    throw ParseError("byte count \(MessageText.visible(word.text)) out of range 1–\(range.upperBound)")
                }
                count = value
            } else {
                throw ParseError("expected a byte count N or all, got \(MessageText.quoted(word.text))")
            }
        }
        if waitAll, count == nil { throw ParseError("all needs a byte count: recv N all") }
        return .recv(target, count: count ?? CommandDefaults.recvCount, waitAll: waitAll)
    }

    private static func shutdown(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        let target = try words.takeTarget(allowAll: true)
        let how = try words.requireKeyword(ShutdownHow.self)
        try words.finish()
        return .shutdown(target, how)
    }

    private static func reply(_ args: inout ArgumentCursor) throws(ParseError) -> Command {
        let target = try args.takeTarget(allowAll: true)
        return .reply(target, try replyMode(args.line, args.rest))
    }

    /// `off`, `echo`, `reverse` (one word, any case), or a non-empty payload template.
    private static func replyMode(_ line: LineText, _ range: Range<Int>) throws(ParseError) -> ReplyMode {
        switch line.text(range).lowercased() {
        case "": throw ParseError("expected off, echo, reverse or a template")
        case "off": return .off
        case "echo": return .echo
        case "reverse": return .reverse
        default:
            let template = try PayloadParser.parse(line, range)
            guard !template.isEmpty else { throw ParseError("empty template; to stop replying use off") }
            return .template(template)
        }
    }

    private static func banner(_ args: inout ArgumentCursor) throws(ParseError) -> Command {
        let target = try args.takeTarget(allowAll: false)
        guard !args.isAtEnd else { throw ParseError("expected a payload or off") }
        if args.line.text(args.rest).lowercased() == "off" { return .banner(target, nil) }
        let payload = try PayloadParser.parse(args.line, args.rest)
        guard !payload.isEmpty else { throw ParseError("empty banner; to remove it use off") }
        return .banner(target, payload)
    }

    private static func sockopt(_ args: inout ArgumentCursor) throws(ParseError) -> Command {
        let target = try args.takeTarget(allowAll: true)
        guard let word = args.takeWord() else { return .sockopt(target, name: nil, value: nil) }
        guard !word.isQuoted, !word.text.hasPrefix("=") else {
            throw ParseError("expected an option name, got \(MessageText.quoted(word.text))")
        }
        guard let equals = word.text.firstIndex(of: "=") else {
            let value = args.isAtEnd ? nil : args.line.text(args.rest)
            return .sockopt(target, name: word.keyword, value: value)
        }
        let value = String(word.text[word.text.index(after: equals)...])
        guard !value.isEmpty else { throw ParseError("expected a value after \(MessageText.visible(word.text))") }
        if let extra = args.peekWord() { throw ParseError("unexpected \(MessageText.quoted(extra.text))") }
        return .sockopt(target, name: String(word.text[..<equals]).lowercased(), value: value)
    }

    // MARK: Network tools

    private static func resolve(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError("expected a host name or address") }
        let host = try EndpointSyntax.host(try words.unquoted(word))
        try words.finish()
        return .resolve(host: host)
    }

    private static func scan(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args, options: ["timeout"])
        guard let hostWord = words.next() else { throw ParseError("expected a host and ports, e.g. scan 127.0.0.1 20-25,80") }
        let host = try EndpointSyntax.host(try words.unquoted(hostWord))
        guard let portsWord = words.next() else { throw ParseError("expected ports such as 20-25,80,443") }
        let ports = try EndpointSyntax.portList(portsWord.text)
        let timeout = try timeout(words, default: CommandDefaults.scanTimeoutMicros)
        try words.finish()
        return .scan(host: host, ports: ports, timeoutMicros: timeout)
    }

    private static func http(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        var destination = HTTPDestination.target(.selected)
        var path: String?
        if let word = words.peek(), !word.text.hasPrefix("/") {
            _ = words.next()
            if let target = try Targets.parse(word) {
                destination = .target(try Targets.check(target, allowAll: false))
            } else {
                (destination, path) = try httpAddress(word.text)
            }
        }
        if path == nil, let word = words.peek(), word.text.hasPrefix("/") {
            _ = words.next()
            path = word.text
        }
        if path == nil, let word = words.peek() {
            throw ParseError("expected a PATH starting with /, got \(MessageText.quoted(word.text))")
        }
        try words.finish()
        return .http(destination, path: path ?? CommandDefaults.httpPath)
    }

    /// `HOST[:PORT]` or `http://HOST[:PORT][/PATH]`; the port defaults to 80.
    private static func httpAddress(_ text: String) throws(ParseError) -> (HTTPDestination, String?) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw ParseError("https is not supported: sockpit speaks plain TCP, without TLS")
        }
        var address = Substring(text)
        var path: String?
        if lowered.hasPrefix("http://") {
            address = address.dropFirst(7)
            if let slash = address.firstIndex(of: "/") {
                path = String(address[slash...])
                address = address[..<slash]
            }
        }
        let (host, port) = try EndpointSyntax.split(String(address))
        let number = try port.map(EndpointSyntax.port) ?? CommandDefaults.httpPort
        return (.endpoint(try EndpointSyntax.endpoint(host, port: number, role: .destination)), path)
    }

    // MARK: Log and display

    private static func onOff(_ args: ArgumentCursor) throws(ParseError) -> Bool {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError("expected on or off") }
        guard !word.isQuoted, let value = Settings.switchValue(word.text) else {
            throw ParseError("expected on or off, got \(MessageText.quoted(word.text))")
        }
        try words.finish()
        return value
    }

    private static func filterTarget(_ args: ArgumentCursor) throws(ParseError) -> Target {
        var words = try WordArguments(args)
        var target = Target.selected
        if let word = words.peek(), !word.isQuoted, word.keyword == "all" {
            _ = words.next()
            target = .all
        } else if words.peek() != nil {
            target = try words.requireTarget(allowAll: true)
        }
        try words.finish()
        return target
    }

    private static func requiredPayload(_ args: ArgumentCursor) throws(ParseError) -> Payload {
        guard !args.isAtEnd else { throw ParseError("expected a payload") }
        let payload = try PayloadParser.parse(args.line, args.rest)
        guard !payload.isEmpty else { throw ParseError("expected a non-empty payload") }
        return payload
    }

    private static func save(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        let path = try words.requireFileName()
        let format = words.peek() == nil ? .text : try words.requireKeyword(LogFormat.self)
        try words.finish()
        return .save(path: path, format: format)
    }

    private static func record(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        guard let first = words.peek() else { throw ParseError("expected a file name or off") }
        if !first.isQuoted, first.keyword == "off" {
            _ = words.next()
            try words.finish()
            return .record(.off)
        }
        let path = try words.requireFileName()
        let format = words.peek() == nil ? .jsonl : try words.requireKeyword(LogFormat.self)
        try words.finish()
        return .record(.start(path: path, format: format))
    }

    // MARK: Scripting

    private static func expect(_ args: inout ArgumentCursor) throws(ParseError) -> Command {
        let target = try args.takeTarget(allowAll: false)
        var timeout = CommandDefaults.waitTimeoutMicros
        if let last = args.line.words(in: args.rest).last, last.keyword.hasPrefix("timeout=") {
            timeout = try duration(String(last.text.dropFirst(8)), option: MessageText.visible(last.text))
            args.stop(at: last.range.lowerBound)
        }
        return .expect(target, try requiredPayload(args), timeoutMicros: timeout)
    }

    private static func wait(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args, options: ["timeout"])
        let target = try words.takeTarget(allowAll: false)
        let condition = try words.requireKeyword(WaitCondition.self)
        let timeout = try timeout(words, default: CommandDefaults.waitTimeoutMicros)
        try words.finish()
        return .wait(target, condition, timeoutMicros: timeout)
    }

    private static func sleepDuration(_ args: ArgumentCursor) throws(ParseError) -> Int64 {
        var words = try WordArguments(args)
        guard let word = words.next() else { throw ParseError("expected a duration such as 2, 0.5 or 500ms") }
        guard let micros = microseconds(word.text) else {
            throw ParseError("expected a duration such as 2, 0.5 or 500ms, got \(MessageText.quoted(word.text))")
        }
        try words.finish()
        return micros
    }

    private static func set(_ args: inout ArgumentCursor) throws(ParseError) -> Command {
        guard let word = args.takeWord() else { return .set(name: nil, value: nil) }
        if !word.isQuoted, let equals = word.text.firstIndex(of: "=") {
            if let extra = args.peekWord() { throw ParseError("unexpected \(MessageText.quoted(extra.text))") }
            return .set(name: String(word.text[..<equals]), value: String(word.text[word.text.index(after: equals)...]))
        }
        return .set(name: word.text, value: args.isAtEnd ? nil : args.line.text(args.rest))
    }

    private static func helpTopic(_ args: ArgumentCursor) throws(ParseError) -> CommandName? {
        var words = try WordArguments(args)
        guard let word = words.next() else { return nil }
        guard let info = CommandCatalog.lookup(word.text) else {
            let hint = Suggestion.hint(for: word.text, in: CommandCatalog.allWords)
            throw ParseError("unknown command \(MessageText.quoted(word.text))\(hint)")
        }
        try words.finish()
        return info.name
    }

    // MARK: Shared shapes

    private static func noArguments(_ args: ArgumentCursor) throws(ParseError) {
        try WordArguments(args).finish()
    }

    /// `[TARGET]` and nothing else: any word given must be a target.
    private static func onlyTarget(_ args: ArgumentCursor, allowAll: Bool) throws(ParseError) -> Target {
        var words = try WordArguments(args)
        let target = words.peek() == nil ? Target.selected : try words.requireTarget(allowAll: allowAll)
        try words.finish()
        return target
    }

    /// `info [TARGET]` or `info session`.
    private static func info(_ args: ArgumentCursor) throws(ParseError) -> Command {
        var words = try WordArguments(args)
        if words.peek()?.text.lowercased() == "session" {
            _ = words.next()
            try words.finish()
            return .sessionInfo
        }
        return .info(try onlyTarget(args, allowAll: true))
    }

    private static func requiredTarget(_ args: ArgumentCursor) throws(ParseError) -> Target {
        var words = try WordArguments(args)
        let target = try words.requireTarget(allowAll: false)
        try words.finish()
        return target
    }

    private static func onlyKeyword<T: RawRepresentable & CaseIterable>(
        _ args: ArgumentCursor, _ type: T.Type
    ) throws(ParseError) -> T where T.RawValue == String {
        var words = try WordArguments(args)
        let value = try words.requireKeyword(type)
        try words.finish()
        return value
    }

    private static func onlyFileName(_ args: ArgumentCursor) throws(ParseError) -> String {
        var words = try WordArguments(args)
        let path = try words.requireFileName()
        try words.finish()
        return path
    }

    // MARK: Option values

    /// Runs `parse`, prefixing its error with the option that was being read (`from=x:99999: port …`).
    private static func inOption<T>(_ option: String, _ parse: () throws(ParseError) -> T) throws(ParseError) -> T {
        do throws(ParseError) {
            return try parse()
        } catch {
            throw ParseError("\(option): \(error.detail)")
        }
    }

    private static func number(_ value: Word, option: String, in range: ClosedRange<Int>) throws(ParseError) -> Int {
        guard EndpointSyntax.isDigits(value.text) else { throw ParseError("\(option): expected a number") }
        guard value.text.count <= 9, let number = Int(value.text), range.contains(number) else {
            throw ParseError("\(option) out of range \(range.lowerBound)–\(range.upperBound)")
        }
        return number
    }

    private static func keyword<T: RawRepresentable & CaseIterable>(
        _ value: Word, _ type: T.Type, option: String
    ) throws(ParseError) -> T where T.RawValue == String {
        guard let choice = T(rawValue: value.keyword) else {
            throw ParseError("\(option): expected \(alternatives(T.allCases.map(\.rawValue)))")
        }
        return choice
    }

    /// The `timeout=` option of `words`, or `fallback`.
    private static func timeout(_ words: WordArguments, default fallback: Int64) throws(ParseError) -> Int64 {
        guard let value = words.option("timeout") else { return fallback }
        return try duration(value.text, option: words.optionText("timeout"))
    }

    private static func duration(_ text: String, option: String) throws(ParseError) -> Int64 {
        guard let micros = microseconds(text) else {
            throw ParseError("\(option): expected a duration such as 2, 0.5 or 500ms")
        }
        return micros
    }

    /// Seconds as `2`, `0.5`, `1.5s`, `500ms`, `250us` or `2m`, in microseconds; nil if malformed or overflowing.
    ///
    /// Kept private here rather than shared with other duration code so the command language owns its
    /// own accepted spellings. Digits beyond the microsecond are dropped, not rounded.
    private static func microseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionScale: Int64 = 1
        var digitCount = 0
        let isDigit = { (i: Int) in i < bytes.count && (0x30...0x39).contains(bytes[i]) }
        while isDigit(index) {
            guard whole < 100_000_000_000 else { return nil }
            whole = whole * 10 + Int64(bytes[index] - 0x30)
            digitCount += 1
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while isDigit(index) {
                if fractionScale < 1_000_000_000 {
                    fraction = fraction * 10 + Int64(bytes[index] - 0x30)
                    fractionScale *= 10
                }
                digitCount += 1
                index += 1
            }
        }
        let units: [String: Int64] = ["": 1_000_000, "s": 1_000_000, "ms": 1_000, "us": 1, "m": 60_000_000]
        guard digitCount > 0, let unit = units[String(decoding: bytes[index...], as: UTF8.self).lowercased()] else {
            return nil
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit)
        let (total, carry) = scaled.addingReportingOverflow(fraction * unit / fractionScale)
        return overflow || carry ? nil : total
    }
}
