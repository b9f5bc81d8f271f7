// ArgumentShapes — the argument shapes many commands share (`[TARGET]` alone, one keyword, a file
// name, on/off, a payload), so each command's `parse` states only what is its own.

extension ArgumentCursor {
    /// Nothing may follow the command word.
    func noArguments() throws(ParseError) {
        try WordArguments(self).finish()
    }

    /// `[TARGET]` and nothing else: any word given must be a target.
    func onlyTarget(allowAll: Bool) throws(ParseError) -> Target {
        var words = try WordArguments(self)
        let target = words.peek() == nil ? Target.selected : try words.requireTarget(allowAll: allowAll)
        try words.finish()
        return target
    }

    /// `TARGET`, required, and nothing else.
    func requiredTarget() throws(ParseError) -> Target {
        var words = try WordArguments(self)
        let target = try words.requireTarget(allowAll: false)
        try words.finish()
        return target
    }

    /// One of `T`'s names and nothing else.
    func onlyKeyword<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ParseError) -> T where T.RawValue == String {
        var words = try WordArguments(self)
        let value = try words.requireKeyword(type)
        try words.finish()
        return value
    }

    /// One file name (quotes allow blanks) and nothing else.
    func onlyFileName() throws(ParseError) -> String {
        var words = try WordArguments(self)
        let path = try words.requireFileName()
        try words.finish()
        return path
    }

    /// `on` or `off` (see `ValueSyntax.switchValue`) and nothing else.
    func onOff() throws(ParseError) -> Bool {
        var words = try WordArguments(self)
        guard let word = words.next() else { throw ParseError("expected on or off") }
        guard !word.isQuoted, let value = ValueSyntax.switchValue(word.text) else {
            throw ParseError("expected on or off, got \(MessageText.quoted(word.text))")
        }
        try words.finish()
        return value
    }

    /// A non-empty payload: the rest of the line.
    func requiredPayload() throws(ParseError) -> Payload {
        guard !isAtEnd else { throw ParseError("expected a payload") }
        let payload = try PayloadParser.parse(line, rest)
        guard !payload.isEmpty else { throw ParseError("expected a non-empty payload") }
        return payload
    }
}

extension WordArguments {
    /// The `timeout=` option, or `fallback` (the command's declared default).
    func timeout(default fallback: Int64) throws(ParseError) -> Int64 {
        guard let value = option("timeout") else { return fallback }
        return try ValueSyntax.duration(value.text, option: optionText("timeout"))
    }
}
