// Settings — the session's `set NAME VALUE` values: parsing, validation, confirmation and listing.

/// Session settings changed with `set NAME VALUE`. Display choices (view, filter) are commands, not settings.
public struct Settings: Equatable, Sendable {
    /// The line ending `sendl` appends.
    public enum LineEnding: String, CaseIterable, Sendable {
        case lf, crlf, cr

        /// The bytes appended.
        public var bytes: [UInt8] {
            switch self {
            case .lf: [0x0A]
            case .crlf: [0x0D, 0x0A]
            case .cr: [0x0D]
            }
        }
    }

    /// How log timestamps are shown.
    public enum TimestampStyle: String, CaseIterable, Sendable {
        /// Wall clock, `12:00:01.120`.
        case clock
        /// Seconds since the session started.
        case relative
        case off
    }

    /// `eol`: what `sendl` appends (default `lf`).
    public var eol: LineEnding = .lf
    /// `timestamps`: clock, relative or off (default clock).
    public var timestamps: TimestampStyle = .clock
    /// `logcap`: bytes of log kept in memory (default 64 MiB, at least 64 KiB).
    public var logcap: Int = 64 << 20
    /// `halfclose`: on a peer's EOF keep our side open (`half-closed in`) instead of closing too (default off).
    public var halfclose = false
    /// `maxconns`: open sockets allowed at once; further accepts are refused (default 10,000).
    ///
    /// Why 10,000: PRODUCT.md promises that thousands of connections stay usable, so the default sits well
    /// above that, yet a flood of peers (or a scan aimed at our own listener) stops long before it exhausts
    /// descriptors or memory. sockpit raises its soft `RLIMIT_NOFILE` (often 1,024) to the hard limit at start-up.
    public var maxconns = 10_000
    /// `trace`: log every system call (also `trace on|off`).
    public var trace = false
    /// `queuecap`: bytes one socket's send queue may hold in memory (default 4 MiB). A `send` past
    /// it is refused; a socket whose replies fill it stops being read until it drains.
    public var queuecap = 4 << 20
    /// `queuetotal`: bytes all send queues together may hold in memory (default 32 MiB); past it,
    /// every socket whose input makes output stops being read, and listeners with a banner stop accepting.
    public var queuetotal = 32 << 20
    /// `keepclosed`: closed and failed sockets kept in the table, newest first (default 1,000);
    /// older ones fold into the session's counters, so connection churn costs nothing.
    public var keepclosed = 1000
    /// `keylog`: the file TLS session secrets are appended to (NSS key-log format), or nil (`off`).
    /// The environment's SSLKEYLOGFILE sets it at start-up.
    public var keylog: String?

    public init() {}

    /// The settings, in listing order; the raw value is the name typed after `set`.
    private enum Name: String, CaseIterable {
        case eol, timestamps, logcap, halfclose, maxconns, trace, queuecap, queuetotal, keepclosed, keylog
    }

    /// Every setting name, in listing order.
    public static let names = Name.allCases.map(\.rawValue)

    /// Smallest `logcap`: below this a single large chunk would not fit in the log.
    public static let minimumLogcap = 64 << 10
    /// Largest `logcap`: 1 TiB, far above any real memory, so sizes never overflow.
    public static let maximumLogcap = 1 << 40
    /// `queuecap` and `queuetotal` bounds.
    public static let queueRange = (4 << 10)...(1 << 40)
    /// `keepclosed` bounds.
    public static let keepclosedRange = 0...1_000_000
    /// `maxconns` bounds; the upper one is Linux's default `fs.nr_open`, the most descriptors a process can hold.
    public static let maxconnsRange = 1...1_048_576

    /// Sets `name` (case-insensitive) from `value` and returns the confirmation, e.g. `eol = crlf`.
    public mutating func set(_ name: String, _ value: String) throws(ParseError) -> String {
        let key = try Settings.setting(named: name)
        let word = value.trimmingBlanks()
        let context = "set \(key.rawValue)"
        switch key {
        case .eol: eol = try Settings.choose(word, from: LineEnding.self, context: context)
        case .timestamps: timestamps = try Settings.choose(word, from: TimestampStyle.self, context: context)
        case .logcap: logcap = try Settings.parseSize(word, in: Settings.minimumLogcap...Settings.maximumLogcap, context: context)
        case .queuecap: queuecap = try Settings.parseSize(word, in: Settings.queueRange, context: context)
        case .queuetotal: queuetotal = try Settings.parseSize(word, in: Settings.queueRange, context: context)
        case .keepclosed: keepclosed = try Settings.parseCount(word, in: Settings.keepclosedRange, context: context)
        case .halfclose: halfclose = try Settings.parseSwitch(word, context: context)
        case .maxconns: maxconns = try Settings.parseCount(word, in: Settings.maxconnsRange, context: context)
        case .trace: trace = try Settings.parseSwitch(word, context: context)
        case .keylog:
            guard !word.isEmpty else { throw ParseError("expected a file name or off", command: context) }
            keylog = word.lowercased() == "off" ? nil : word
        }
        return describe(key)
    }

    /// The current value of `name` as `name = value`, e.g. `logcap = 64 MiB` (what `set NAME` shows).
    public func get(_ name: String) throws(ParseError) -> String {
        describe(try Settings.setting(named: name))
    }

    /// Every setting as `name = value`, in `names` order (what a bare `set` shows).
    public func listing() -> [String] {
        Name.allCases.map(describe)
    }

    /// `name = value`.
    private func describe(_ key: Name) -> String {
        let value: String
        switch key {
        case .eol: value = eol.rawValue
        case .timestamps: value = timestamps.rawValue
        case .logcap: value = Settings.formatSize(logcap)
        case .halfclose: value = halfclose ? "on" : "off"
        case .maxconns: value = String(maxconns)
        case .trace: value = trace ? "on" : "off"
        case .queuecap: value = Settings.formatSize(queuecap)
        case .queuetotal: value = Settings.formatSize(queuetotal)
        case .keepclosed: value = String(keepclosed)
        case .keylog: value = keylog.map(Sanitizer.clean) ?? "off"
        }
        return "\(key.rawValue) = \(value)"
    }

    // MARK: Values

    /// The setting called `name` (any case), else an error listing them all.
    private static func setting(named name: String) throws(ParseError) -> Name {
        let key = name.trimmingBlanks().lowercased()
        guard let setting = Name(rawValue: key) else {
            let hint = Suggestion.hint(for: key, in: names)
            throw ParseError(
                "unknown setting \(MessageText.quoted(name))\(hint) (settings: \(names.joined(separator: ", ")))",
                command: "set")
        }
        return setting
    }

    /// The case of `T` named `choice`, else `expected lf, crlf or cr, got "x"`.
    private static func choose<T: RawRepresentable & CaseIterable>(
        _ word: String, from type: T.Type, context: String
    ) throws(ParseError) -> T where T.RawValue == String {
        if let value = T(rawValue: word.lowercased()) { return value }
        let names = T.allCases.map(\.rawValue)
        throw ParseError("expected \(alternatives(names)), got \(MessageText.quoted(word))", command: context)
    }

    private static func parseSwitch(_ word: String, context: String) throws(ParseError) -> Bool {
        guard let value = ValueSyntax.switchValue(word) else {
            throw ParseError("expected on or off, got \(MessageText.quoted(word))", command: context)
        }
        return value
    }

    /// A decimal count within `range`.
    private static func parseCount(_ word: String, in range: ClosedRange<Int>, context: String) throws(ParseError) -> Int {
        guard let value = decimal(word) else {
            throw ParseError("expected a number, got \(MessageText.quoted(word))", command: context)
        }
        guard range.contains(value) else {
            throw ParseError("\(word) out of range \(range.lowerBound)–\(range.upperBound)", command: context)
        }
        return value
    }

    /// A byte size as `ValueSyntax.byteSize` reads it (`4096`, `64K`, `1.5G`, `512KiB`; K, M and G
    /// are binary whatever the spelling), within `range`.
    private static func parseSize(_ word: String, in range: ClosedRange<Int>, context: String) throws(ParseError) -> Int {
        guard let value = ValueSyntax.byteSize(word, saturating: true) else {
            throw ParseError("expected a size such as 64M, 1G or 4096, got \(MessageText.quoted(word))", command: context)
        }
        guard range.contains(value) else {
            let shown = "\(formatSize(range.lowerBound))–\(formatSize(range.upperBound))"
            throw ParseError("\(MessageText.visible(word)) out of range \(shown)", command: context)
        }
        return value
    }

    /// `64 MiB`, `1 GiB`, `96 KiB`, or plain bytes when not a whole number of KiB.
    static func formatSize(_ bytes: Int) -> String {
        Units.byteSize(Int64(bytes), exact: true)
    }

    /// A decimal number of at most 15 digits (no sign, no overflow), or nil.
    private static func decimal(_ word: String) -> Int? {
        guard !word.isEmpty, word.count <= 15, word.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(word)
    }
}

/// `a`, `a or b`, `a, b or c`.
func alternatives(_ words: [String]) -> String {
    guard words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
}

extension String {
    /// Without leading and trailing blanks (no Foundation here).
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        let isBlank = { (s: Unicode.Scalar) in s.isASCII && LineText.isBlank(UInt8(s.value)) }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
