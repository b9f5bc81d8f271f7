// Replies — what each auto-reply mode answers to a received chunk (the seed's echo, `strrev` and
// `"OK ... $input"` servers), built in one allocation of the exact size.

extension AutoReply {
    /// The bytes a template replaces with the chunk received.
    static let marker = Array("{data}".utf8)

    /// How many times `{data}` appears in `template`.
    static func markerCount(in template: [UInt8]) -> Int {
        markerOffsets(in: template).count
    }

    /// Where `{data}` starts in `template`, in order, not overlapping.
    static func markerOffsets(in template: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var from = 0
        while let end = ByteSearch.endOfFirstMatch(marker, in: template, from: from) {
            offsets.append(end - marker.count)
            from = end
        }
        return offsets
    }

    /// What this mode answers to `input`.
    func answer(to input: [UInt8]) -> [UInt8] {
        switch self {
        case .off:
            return []
        case .echo:
            return input
        case .reverse:
            // The seed's server: trim, strrev, then "\n". Reverse characters, not bytes, when the
            // input is valid UTF-8, so `你好` comes back as `好你` rather than broken bytes.
            let blanks: [UInt8] = [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b]
            var end = input.count
            while end > 0, blanks.contains(input[end - 1]) { end -= 1 }
            var start = 0
            while start < end, blanks.contains(input[start]) { start += 1 }
            let body = input[start..<end]
            var reversed: [UInt8]
            if let text = String(validating: body, as: UTF8.self) {
                reversed = Array(String(text.reversed()).utf8)
            } else {
                reversed = body.reversed()
            }
            reversed.append(0x0a)
            return reversed
        case .template(let template):
            let offsets = AutoReply.markerOffsets(in: template)
            guard !offsets.isEmpty else { return template }
            var result: [UInt8] = []
            result.reserveCapacity(template.count + offsets.count * (input.count - AutoReply.marker.count))
            var copied = 0
            for offset in offsets {
                result.append(contentsOf: template[copied..<offset])
                result.append(contentsOf: input)
                copied = offset + AutoReply.marker.count
            }
            result.append(contentsOf: template[copied...])
            return result
        }
    }
}
