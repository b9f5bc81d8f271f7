// PHPHelp.swift — `help php` and `help php NAME` as lines: the seed's socket_* functions beside the
// C calls beneath them and sockpit's commands, then the notes; or one function in full.

/// The text of `help php`, from `PHPFunctionTable`. Every line fits `PHPHelp.width` columns.
public enum PHPHelp {
    /// The widest line `help php` prints.
    public static let width = 100

    /// The table (one row per name the seed uses, misspellings included), then every note.
    public static func lines() -> [String] {
        var lines = table()
        lines.append("")
        lines.append("notes:")
        for (label, note) in notes() {
            lines += TextWrap.wrap(note, width: width, indent: String(repeating: " ", count: 24),
                                   firstIndent: "  " + TextWrap.pad(label, 22))
        }
        lines.append("")
        lines.append("help php NAME shows one function: its PHP signature and the C prototypes (help php socket_bind)")
        return lines
    }

    /// The table alone: PHP function, C calls, sockpit commands.
    public static func table() -> [String] {
        var lines = [
            "The seed's socket_* functions, the C calls PHP makes for them, and sockpit's commands",
            TextWrap.pad("PHP function", nameColumn) + TextWrap.pad("C calls", callsColumn) + "sockpit",
        ]
        for name in PHPFunctionTable.seedNames {
            if let misspelling = PHPFunctionTable.misspelling(name) {
                lines.append(TextWrap.pad(name, nameColumn) + "= \(misspelling.meant) (the seed's spelling)")
                continue
            }
            guard let function = PHPFunctionTable.lookup(name) else { continue }
            lines.append(TextWrap.pad(name, nameColumn) + TextWrap.pad(callsText(function), callsColumn) + commandsText(function))
        }
        return lines
    }

    /// One function in full; a misspelling shows where the seed writes it, then the function meant.
    public static func lines(for name: String) throws(PHPLookupError) -> [String] {
        let function = try PHPFunctionTable.find(name)
        var lines: [String] = []
        let typed = name.lowercased().hasPrefix("socket_") ? name.lowercased() : "socket_" + name.lowercased()
        if let misspelling = PHPFunctionTable.misspelling(typed) {
            lines.append("\(misspelling.spelling) is the seed's spelling of \(misspelling.meant):")
            lines += TextWrap.wrap(misspelling.seedLine, width: width, indent: "    ", firstIndent: "  ")
        }
        lines += TextWrap.wrap(function.signature, width: width, indent: "    ", firstIndent: "")
        lines += TextWrap.wrap("\(function.summary) (the seed: \(function.seedDescription))", width: width,
                               indent: "    ", firstIndent: "  ")
        if case .removed(let when) = function.availability { lines.append("  " + when) }
        let labels = 11
        if function.cFunctions.isEmpty {
            lines.append("  " + TextWrap.pad("C", labels - 2) + "none: no kernel counterpart")
        }
        for c in function.cFunctions {
            let label = c.isSystemCall ? "C" : "C (libc)"
            lines += TextWrap.wrap(c.prototype, width: width, indent: String(repeating: " ", count: labels + 2),
                                   firstIndent: "  " + TextWrap.pad(label, labels - 2))
        }
        let commands = function.commands.isEmpty ? "none" : function.commands.joined(separator: "; ")
        lines.append("  " + TextWrap.pad("sockpit", labels - 2) + commands)
        if !function.note.isEmpty {
            lines += TextWrap.wrap(function.note, width: width, indent: String(repeating: " ", count: labels),
                                   firstIndent: "  " + TextWrap.pad("note", labels - 2))
        }
        return lines
    }

    /// Each function's note, once: a run of functions sharing one (the six socket_iovec_*) is
    /// labelled by their common prefix and `*`.
    private static func notes() -> [(label: String, note: String)] {
        var runs: [(names: [String], note: String)] = []
        for function in PHPFunctionTable.functions where !function.note.isEmpty {
            if runs.last?.note == function.note {
                runs[runs.count - 1].names.append(function.name)
            } else {
                runs.append(([function.name], function.note))
            }
        }
        return runs.map { run in
            guard run.names.count > 1, var prefix = run.names.first else { return (run.names[0], run.note) }
            for name in run.names.dropFirst() {
                while !name.hasPrefix(prefix) { prefix.removeLast() }
            }
            return (prefix + "*", run.note)
        }
    }

    private static let nameColumn = 22
    private static let callsColumn = 25

    private static func callsText(_ function: PHPFunction) -> String {
        if function.calls.isEmpty { return "-" }
        return function.cFunctions.map { $0.isSystemCall ? $0.name : "\($0.name) (libc)" }.joined(separator: ", ")
    }

    private static func commandsText(_ function: PHPFunction) -> String {
        if case .removed = function.availability { return "- (removed in PHP 5.0)" }
        return function.commands.isEmpty ? "-" : function.commands.joined(separator: ", ")
    }
}
