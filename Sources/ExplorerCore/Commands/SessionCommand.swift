// SessionCommand — what every command of the command language is: a type that declares its name,
// syntax, options and help beside how it parses its arguments and how it runs. The registry lists
// the types; the parser, `help`, F1 and Tab completion are derived from their declarations.

/// One command of the command language (PRODUCT.md §2, §6, §7), as swift-argument-parser has a
/// command: a value holding its parsed arguments, every default filled in.
///
/// Adding a command is one new file with a type conforming to this protocol plus one line in
/// `CommandRegistry.commands`.
protocol SessionCommand: Equatable, Sendable {
    /// The declaration: name, aliases, usage, summary, options with their defaults, examples.
    static var info: CommandInfo { get }
    /// Parses the text after the command word. Errors are bare details; the parser adds the
    /// command's name and usage.
    static func parse(_ arguments: ArgumentCursor) throws(ParseError) -> Self
    /// Runs against the session. A failure is thrown before anything changed, or names what did.
    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome
    /// Lines `help COMMAND` adds after the declaration (a table of names the command takes).
    static var helpDetails: [String] { get }
}

extension SessionCommand {
    static var helpDetails: [String] { [] }

    /// True when `other` is the same command with the same arguments.
    func isEqual(to other: any SessionCommand) -> Bool {
        (other as? Self) == self
    }
}

/// A parsed command line: one value of one `SessionCommand` type. What `CommandParser.parse`
/// returns and what the engine runs.
public struct Command: Equatable, Sendable, CustomStringConvertible {
    let base: any SessionCommand

    init(_ base: any SessionCommand) {
        self.base = base
    }

    /// Which command this is.
    public var name: CommandName { type(of: base).info.name }

    public var description: String { "\(base)" }

    public static func == (lhs: Command, rhs: Command) -> Bool {
        lhs.base.isEqual(to: rhs.base)
    }

    func run(on engine: Engine, origin: CommandOrigin) throws(CommandError) -> Outcome {
        try base.run(on: engine, origin: origin)
    }
}

/// A command's name, the word typed to run it (`listen`).
public struct CommandName: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}
