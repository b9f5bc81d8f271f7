// Replies — what each auto-reply mode answers to a received chunk (the seed's echo, `strrev` and
// `"OK ... $input"` servers).

extension AutoReply {
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
            var end = input.count
            while end > 0, [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b].contains(input[end - 1]) { end -= 1 }
            var start = 0
            while start < end, [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b].contains(input[start]) { start += 1 }
            let body = Array(input[start..<end])
            var reversed: [UInt8]
            if let text = String(validating: body, as: UTF8.self) {
                reversed = Array(String(text.reversed()).utf8)
            } else {
                reversed = body.reversed()
            }
            reversed.append(0x0a)
            return reversed
        case .template(let template):
            let marker = Array("{data}".utf8)
            var result: [UInt8] = []
            var index = 0
            while index < template.count {
                if index + marker.count <= template.count, Array(template[index..<index + marker.count]) == marker {
                    result.append(contentsOf: input)
                    index += marker.count
                } else {
                    result.append(template[index])
                    index += 1
                }
            }
            return result
        }
    }
}
