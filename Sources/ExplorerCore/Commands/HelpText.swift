// HelpText.swift — `help` and `help COMMAND` as lines, from the command catalog (one source of
// truth for usage lines, summaries, the seed calls each command mirrors, options and examples).

/// The text `help` prints (headless) and the help overlay shows (screen).
public enum HelpText {
    /// Every command with its usage and summary, or one command in full.
    public static func lines(for name: CommandName?) -> [String] {
        guard let name else { return overview() }
        guard let type = CommandRegistry.lookup(name.rawValue) else { return overview() }
        return type.info.helpLines + type.helpDetails
    }

    /// One line per command: usage, then what it does.
    public static func overview() -> [String] {
        var lines = ["commands (help COMMAND for more; TARGET is #N, . for the selected socket, * for all):"]
        for info in CommandCatalog.commands {
            lines.append("  \(info.usage)")
            lines.append("      \(info.summary)")
        }
        lines.append("payloads: \"text \\r\\n \\x00 \\u{4F60}\"  x\"de ad be ef\"  @file  or bare words to the end of the line")
        return lines
    }
}
