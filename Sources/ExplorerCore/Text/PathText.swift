// PathText — `~` and `$HOME` at the start of a path typed in a command (`save ~/s.log`,
// `send @$HOME/req.bin`), expanded as a shell would, since sockpit opens paths without a shell.

import Glibc

enum PathText {
    /// `~`, `~/x`, `$HOME/x` and `${HOME}/x` with the home directory in front; anything else
    /// (`~user`, a relative path, a `$HOME` that is not set) as typed.
    static func expanded(_ path: String) -> String {
        for prefix in ["~", "${HOME}", "$HOME"] where path == prefix || path.hasPrefix(prefix + "/") {
            guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return path }
            return home + path.dropFirst(prefix.count)
        }
        return path
    }
}
