// InitFile.swift — the user's start-up commands: `$XDG_CONFIG_HOME/sockpit/init`, else
// `~/.config/sockpit/init`, run on the screen before `-e`/`--script` unless `--no-init`.

import ExplorerCore
import Glibc

enum InitFile {
    /// Where the init file is; nil when neither variable gives an absolute directory (the XDG
    /// spec says to ignore relative ones).
    static func path(environment: (String) -> String? = HistoryFile.processEnvironment) -> String? {
        if let config = environment("XDG_CONFIG_HOME"), config.hasPrefix("/") {
            return config + "/sockpit/init"
        }
        if let home = environment("HOME"), home.hasPrefix("/") {
            return home + "/.config/sockpit/init"
        }
        return nil
    }

    /// The file's commands; nil when there is no file (the usual case), an error when it exists
    /// but cannot be read. Lines keep `PATH:LINE`, so a failing one says where it is.
    static func load(_ path: String) -> Result<[ScriptLine], CommandError>? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        do throws(CommandError) {
            return .success(try ScriptSource.read(path))
        } catch {
            return .failure(error)
        }
    }
}
