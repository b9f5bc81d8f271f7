// Explain — `explain on|off` (PRODUCT.md §7: with `trace on`, each system call line also shows the
// seed's PHP call and the C prototype), `explain` (the calls the last step command made, each
// explained) and `explain CALL-LINE` (one trace line as `trace` prints it, explained).

import SocketKit

/// `explain`: PHP beside the system calls.
struct ExplainCommand: SessionCommand {
    enum Mode: Equatable, Sendable {
        case set(Bool)
        case last
        case line(TraceRecord)
    }

    var mode: Mode

    static let info = CommandInfo(
        "explain", usage: "explain [on|off|TRACE-LINE]",
        summary: "on: trace lines show the seed's PHP call and the C prototype; alone: explain the last step command's calls",
        seed: ["socket_last_error", "socket_strerror"],
        arguments: [ArgumentInfo("on|off|TRACE-LINE", .text, optional: true)],
        examples: ["explain on", "explain", "explain bind(7, 127.0.0.1:5000) = 0"])

    static func parse(_ args: ArgumentCursor) throws(ParseError) -> ExplainCommand {
        if args.isAtEnd { return ExplainCommand(mode: .last) }
        let text = args.line.text(args.rest)
        if let value = ValueSyntax.switchValue(text) { return ExplainCommand(mode: .set(value)) }
        return ExplainCommand(mode: .line(try traceRecord(text)))
    }

    /// `bind(7, 127.0.0.1:5000) = 0` or `recv(7, 8192) = -1 EAGAIN (…)`, as `trace` prints a call.
    static func traceRecord(_ text: String) throws(ParseError) -> TraceRecord {
        let chars = Array(text)
        let marker: [Character] = [")", " ", "=", " "]
        let close = chars.count < marker.count ? nil
            : (0...(chars.count - marker.count)).last { chars[$0..<$0 + marker.count].elementsEqual(marker) }
        guard let open = chars.firstIndex(of: "("), let close, open < close else {
            throw ParseError("expected on, off, or a trace line such as bind(7, 127.0.0.1:5000) = 0")
        }
        let name = String(chars[..<open]).trimmingBlanks()
        let arguments = String(chars[(open + 1)..<close])
        let after = String(chars[(close + marker.count)...]).split(separator: " ", maxSplits: 1)
        guard let resultText = after.first, let result = Int(resultText) else {
            throw ParseError("expected the call's result after \") = \", such as 0 or -1 EAGAIN")
        }
        var code: Int32?
        if result < 0, after.count > 1, let errno = try? ErrnoLookup.lookup(String(after[1].prefix { $0 != " " })) {
            code = errno.code
        }
        return TraceRecord(call: name, arguments: arguments, result: result, errorCode: code)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        switch mode {
        case .set(let on):
            engine.stepping.explaining = on
            engine.markChanged()
            let hint = on && !engine.tracing ? " (trace is off: trace on shows the calls)" : ""
            return .done(.ok(on ? "explain on: trace lines show the seed's PHP call and the C prototype\(hint)" : "explain off"))
        case .last:
            let calls = engine.stepping.lastCalls
            guard !calls.isEmpty else {
                throw CommandError("explain: no step command has run yet (socket, bind, listen, accept, connect, read, write, nonblock)")
            }
            engine.output(calls.flatMap(ExplainCommand.lines))
            return .done(.ok("explained \(calls.count) call\(calls.count == 1 ? "" : "s") of the last step command"))
        case .line(let record):
            guard TraceExplainer.explain(record) != nil else {
                throw CommandError("explain: \(Sanitizer.clean(record.call)) is no call the seed's PHP makes or sockpit explains")
            }
            engine.output(ExplainCommand.lines(record))
            return .done(.ok("explained \(Sanitizer.clean(record.call))"))
        }
    }

    /// One call explained: the call as traced, then PHP, C and the note on lines of their own.
    static func lines(_ record: TraceRecord) -> [String] {
        var lines = [Sanitizer.clean(record.description)]
        guard let explanation = TraceExplainer.explain(record) else { return lines + ["  (no PHP counterpart sockpit knows)"] }
        if let php = explanation.php { lines.append("  PHP   " + php) }
        lines.append("  C     " + explanation.prototype)
        if !explanation.note.isEmpty { lines.append("  note  " + explanation.note) }
        return lines
    }
}
