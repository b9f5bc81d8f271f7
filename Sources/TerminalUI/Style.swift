// Colours, cell styles and the semantic theme the panes draw with.

import ExplorerCore

/// A terminal colour: the terminal's own default, or one of the 16 ANSI colours.
public enum Color: Hashable, Sendable, CaseIterable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite

    /// The ANSI palette index (0–15), or -1 for the terminal default (the value ncurses'
    /// `use_default_colors` understands).
    public var ansiIndex: Int {
        switch self {
        case .default: -1
        case .black: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        case .white: 7
        case .brightBlack: 8
        case .brightRed: 9
        case .brightGreen: 10
        case .brightYellow: 11
        case .brightBlue: 12
        case .brightMagenta: 13
        case .brightCyan: 14
        case .brightWhite: 15
        }
    }
}

/// How one cell looks: colours plus attributes.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// Default colours, no attributes.
    public static let plain = Style()

    /// The same style without colours: what a monochrome terminal can show of it.
    public var withoutColors: Style {
        Style(bold: bold, dim: dim, reverse: reverse, underline: underline)
    }
}

/// The styles the panes use, named by meaning rather than by look, so colour and monochrome
/// screens are the same code with a different theme.
public struct Theme: Hashable, Sendable {
    /// Pane borders.
    public var border: Style
    /// The border of the focused pane.
    public var borderFocused: Style
    /// Pane titles.
    public var title: Style
    /// Ordinary text.
    public var text: Style
    /// Secondary text (timestamps, counters).
    public var dim: Style
    /// Bytes sockpit sent (`→`).
    public var sent: Style
    /// Bytes a peer sent (`←`).
    public var received: Style
    /// Socket events: listening, accepted, closed…
    public var event: Style
    /// Failures in the log.
    public var error: Style
    /// Success marks (`✓`).
    public var ok: Style
    /// Visible escapes the sanitizer produced (`\r`, `\x1b`), so they stand out from real text.
    public var escape: Style
    /// The selected row.
    public var selection: Style
    /// Key hints.
    public var hint: Style
    /// The prompt marker and target.
    public var prompt: Style
    /// `ok: …` on the status line.
    public var statusOk: Style
    /// `error: …` on the status line.
    public var statusError: Style
    /// Column headers.
    public var header: Style
    /// A relay's chunks by direction (client→server, server→client), as Wireshark's Follow Stream
    /// colours them; attributes only on a monochrome screen.
    public var relayUp = Style(bold: true)
    public var relayDown = Style.plain
    /// Colours for socket ids when peer colours are on (`UIState.peerColors`); empty = none (a
    /// monochrome screen has no colours to tell peers apart with).
    public var peers: [Style] = []

    public init(border: Style, borderFocused: Style, title: Style, text: Style, dim: Style, sent: Style,
                received: Style, event: Style, error: Style, ok: Style, escape: Style, selection: Style,
                hint: Style, prompt: Style, statusOk: Style, statusError: Style, header: Style) {
        self.border = border
        self.borderFocused = borderFocused
        self.title = title
        self.text = text
        self.dim = dim
        self.sent = sent
        self.received = received
        self.event = event
        self.error = error
        self.ok = ok
        self.escape = escape
        self.selection = selection
        self.hint = hint
        self.prompt = prompt
        self.statusOk = statusOk
        self.statusError = statusError
        self.header = header
    }

    /// The normal theme: default background, ANSI foreground colours (readable on dark and light).
    public static let colored = Theme(
        border: Style(fg: .brightBlack),
        borderFocused: Style(fg: .cyan, bold: true),
        title: Style(bold: true),
        text: .plain,
        dim: Style(dim: true),
        sent: Style(fg: .yellow),
        received: Style(fg: .green),
        event: Style(fg: .cyan),
        error: Style(fg: .red, bold: true),
        ok: Style(fg: .green),
        escape: Style(fg: .magenta),
        selection: Style(reverse: true),
        hint: Style(dim: true),
        prompt: Style(fg: .cyan, bold: true),
        statusOk: Style(fg: .green),
        statusError: Style(fg: .red, bold: true),
        header: Style(bold: true, underline: true)
    ).withPeers([.brightBlue, .brightMagenta, .brightCyan, .brightYellow, .brightGreen, .blue, .magenta, .brightRed]
        .map { Style(fg: $0, bold: true) }).withRelay(up: Style(fg: .red), down: Style(fg: .blue))

    /// The same theme with these relay direction colours.
    public func withRelay(up: Style, down: Style) -> Theme {
        var theme = self
        theme.relayUp = up
        theme.relayDown = down
        return theme
    }

    /// The style of a relay chunk going `direction`.
    public func relayStyle(_ direction: RelayDirection) -> Style { direction == .up ? relayUp : relayDown }

    /// The same theme with these peer colours.
    public func withPeers(_ styles: [Style]) -> Theme {
        var theme = self
        theme.peers = styles
        return theme
    }

    /// The style of socket `number`'s id when peer colours are on, or nil without colours.
    public func peerStyle(_ number: Int) -> Style? {
        peers.isEmpty ? nil : peers[number % peers.count]
    }

    /// For `NO_COLOR` and colourless terminals: attributes only, chosen so that sent, received,
    /// events and errors stay distinguishable without colour.
    public static let monochrome = Theme(
        border: .plain,
        borderFocused: Style(bold: true),
        title: Style(bold: true),
        text: .plain,
        dim: Style(dim: true),
        sent: Style(bold: true),
        received: .plain,
        event: Style(dim: true),
        error: Style(bold: true, underline: true),
        ok: .plain,
        escape: Style(underline: true),
        selection: Style(reverse: true),
        hint: Style(dim: true),
        prompt: Style(bold: true),
        statusOk: .plain,
        statusError: Style(bold: true),
        header: Style(bold: true, underline: true)
    )
}
