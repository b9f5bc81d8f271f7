// CommandCatalog — every command as help, F1, Tab completion and error messages see it: derived
// from the declarations of the types in `CommandRegistry`, never written twice.

import SocketKit

/// One command as `help` and Tab completion see it: its declaration.
public struct CommandInfo: Equatable, Sendable {
    public let name: CommandName
    /// Other words that run the same command (`exit`, `q` for `quit`).
    public let aliases: [String]
    /// The usage line, as shown in `help` and after every error: `listen [tcp|udp|unix] …`.
    public let usage: String
    /// One line saying what it does.
    public let summary: String
    /// The seed's `socket_*` (or libc) calls it mirrors; empty for display and scripting commands.
    public let seedCalls: [String]
    /// Its positional arguments in order, for completion and syntax hints.
    public let arguments: [ArgumentInfo]
    /// Its `key=value` options.
    public let options: [OptionInfo]
    /// Lines that parse, shown by `help COMMAND`.
    public let examples: [String]

    public init(_ name: CommandName, usage: String, summary: String, aliases: [String] = [], seed: [String] = [],
                arguments: [ArgumentInfo] = [], options: [OptionInfo] = [], examples: [String]) {
        self.name = name
        self.aliases = aliases
        self.usage = usage
        self.summary = summary
        self.seedCalls = seed
        self.arguments = arguments
        self.options = options
        self.examples = examples
    }

    /// The word typed to run it.
    public var word: String { name.rawValue }

    /// Bare words it accepts among its arguments, for completion (`tcp`, `rd`, `off`, setting
    /// and socket option names, …).
    public var keywords: [String] {
        var words: [String] = []
        for argument in arguments {
            let choices: [String]
            switch argument.kind {
            case .keyword(let names): choices = names
            case .setting: choices = Settings.names
            case .socketOption: choices = CommandCatalog.socketOptionNames
            default: continue
            }
            words += choices.filter { !words.contains($0) }
        }
        return words
    }

    /// What `help COMMAND` shows: usage, summary, options, aliases, the seed calls, examples.
    public var helpLines: [String] {
        var lines = ["usage: " + usage, "  " + summary]
        lines += options.map { "  \($0.name)=\($0.value): \($0.summary)" }
        if !aliases.isEmpty { lines.append("  also: " + aliases.joined(separator: ", ")) }
        if !seedCalls.isEmpty { lines.append("  mirrors: " + seedCalls.joined(separator: ", ")) }
        lines += examples.map { "  e.g. " + $0 }
        return lines
    }
}

/// One positional argument of a command, as completion and syntax hints see it.
public struct ArgumentInfo: Equatable, Sendable {
    /// What it is, which decides what Tab offers.
    public enum Kind: Equatable, Sendable {
        /// `#N`, `.` or `*`: which sockets fit.
        case target(TargetChoice)
        /// One of these words.
        case keyword([String])
        /// `HOST:PORT` or a Unix path.
        case address
        /// A host name or address.
        case host
        /// Ports such as `20-25,80`.
        case ports
        /// A file name.
        case file
        /// Payload syntax to the end of the line.
        case payload
        /// A duration (`2`, `500ms`, `1.5m`).
        case duration
        /// A decimal count.
        case count
        /// A socket option name.
        case socketOption
        /// A setting name.
        case setting
        /// A command word.
        case command
        /// Any text.
        case text
    }

    /// Which sockets a target argument offers.
    public enum TargetChoice: Equatable, Sendable {
        /// An open socket; `*` too when `all`.
        case open(all: Bool)
        /// A listening socket.
        case listener
        /// Any socket, closed ones too.
        case any
    }

    /// The placeholder in the usage line: `TARGET`, `HOST:PORT`, `FILE`.
    public let placeholder: String
    public let kind: Kind
    /// True when it may be left out (a target then means `.`).
    public let optional: Bool

    public init(_ placeholder: String, _ kind: Kind, optional: Bool = false) {
        self.placeholder = placeholder
        self.kind = kind
        self.optional = optional
    }

    /// `[TARGET]`: the selected socket when omitted.
    public static func target(_ choice: TargetChoice = .open(all: true), optional: Bool = true) -> ArgumentInfo {
        ArgumentInfo(choice == .listener ? "#L" : "TARGET", .target(choice), optional: optional)
    }

    /// One word of `T`'s cases (`rd|wr|rdwr`).
    public static func keyword<T: RawRepresentable & CaseIterable>(_ type: T.Type, optional: Bool = false) -> ArgumentInfo
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        return ArgumentInfo(names.joined(separator: "|"), .keyword(names), optional: optional)
    }

    /// One of these words.
    public static func keyword(_ words: [String], optional: Bool = false) -> ArgumentInfo {
        ArgumentInfo(words.joined(separator: "|"), .keyword(words), optional: optional)
    }
}

/// A `key=value` option of a command.
public struct OptionInfo: Equatable, Sendable {
    /// The key, without `=`.
    public let name: String
    /// Placeholder for the value in help (`N`, `SEC`, `HOST:PORT`).
    public let value: String
    /// The values to complete, when there is a fixed set.
    public let choices: [String]
    /// What it does, including its default.
    public let summary: String

    public init(_ name: String, value: String, choices: [String] = [], summary: String) {
        self.name = name
        self.value = value
        self.choices = choices
        self.summary = summary
    }

    /// `timeout=SEC`: `what` happens after it, and the default, declared by the command that uses it.
    public static func timeout(_ what: String, default micros: Int64) -> OptionInfo {
        // Exact, as a user would type it (`1 s`, `500 ms`), where the log's durations truncate (`1.0 s`).
        let seconds = micros % 1_000_000 == 0 ? "\(micros / 1_000_000) s" : "\(micros / 1000) ms"
        return OptionInfo("timeout", value: "SEC", summary: "\(what) (default \(seconds))")
    }
}

/// A socket option `sockopt` knows by name, with the constant it maps to.
public struct SocketOptionInfo: Equatable, Sendable {
    /// The name typed after `sockopt`.
    public let name: String
    /// The level and constant, e.g. `SOL_SOCKET SO_REUSEADDR`; `fcntl O_NONBLOCK` for `nonblock`.
    public let constant: String
    /// What a value looks like (`on|off`, `BYTES`, `SEC`).
    public let value: String
    /// One line saying what it does.
    public let summary: String
    /// True when it can only be read.
    public let readOnly: Bool
}

/// Every command, and the socket options and settings they name, from the registry.
public enum CommandCatalog {
    /// Every command, in `help` order.
    public static let commands: [CommandInfo] = CommandRegistry.commands.map { $0.info }

    /// The catalog entry of `name`.
    public static func info(_ name: CommandName) -> CommandInfo {
        guard let info = byName[name] else { preconditionFailure("no command named \(name) in CommandRegistry") }
        return info
    }

    /// Built once: the parser looks a command up on every line.
    private static let byName = Dictionary(uniqueKeysWithValues: commands.map { ($0.name, $0) })

    /// The command typed as `word` (any case, aliases included), or nil.
    public static func lookup(_ word: String) -> CommandInfo? {
        CommandRegistry.lookup(word).map { $0.info }
    }

    /// Command words and aliases that start with `prefix` (any case), sorted, for Tab completion.
    public static func completions(forPrefix prefix: String) -> [String] {
        let prefix = prefix.lowercased()
        return allWords.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every command word and alias.
    public static let allWords: [String] = commands.flatMap { [$0.word] + $0.aliases }

    /// Setting names for `set`, for completion.
    public static var settingNames: [String] { Settings.names }

    /// Socket option names for `sockopt`, for completion.
    public static var socketOptionNames: [String] { socketOptions.map(\.name) }

    /// The socket options `sockopt` knows, from SocketKit's table (the one source of names).
    public static let socketOptions: [SocketOptionInfo] = SocketOption.all.map { option in
        SocketOptionInfo(name: option.name, constant: "\(option.levelName) \(option.optionName)", value: option.valueHint,
                         summary: option.summary, readOnly: option.kind == .readOnly)
    }
}
