// HelpText.swift — `help` and `help COMMAND` as lines, from the command catalog (one source of
// truth for usage lines, summaries, the seed calls each command mirrors, options and examples).

/// The text `help` prints (headless) and the help overlay shows (screen).
public enum HelpText {
    /// Every command with its usage and summary, or one command in full.
    public static func lines(for name: CommandName?) -> [String] {
        guard let name else { return overview() }
        var lines = CommandCatalog.info(name).helpLines
        if name == .sockopt {
            lines.append("  options:")
            for option in CommandCatalog.socketOptions {
                lines.append("    \(option.name.padding(13))\(option.summary)" + (option.readOnly ? " (read only)" : ""))
            }
        }
        if name == .set { lines.append("  settings: \(CommandCatalog.settingNames.joined(separator: ", "))") }
        return lines
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
