// CommandRegistry — the one list of commands. The parser looks words up here; help, F1, Tab
// completion and the catalog are derived from these types' declarations.

/// Every command type, in the order `help` lists them.
enum CommandRegistry {
    static let commands: [any SessionCommand.Type] = [
        ListenCommand.self, ConnectCommand.self, AcceptCommand.self, PairCommand.self,
        SendCommand.self, SendLineCommand.self, RecvCommand.self, PauseCommand.self, ResumeCommand.self,
        ShutdownCommand.self, CloseCommand.self, ResetCommand.self,
        ReplyCommand.self, BannerCommand.self, SockoptCommand.self, InfoCommand.self,
        ResolveCommand.self, ScanCommand.self, HTTPCommand.self, StartTLSCommand.self,
        RelayCommand.self, InterceptCommand.self, ForwardCommand.self, DropCommand.self,
        TraceCommand.self, ViewCommand.self, FilterCommand.self, FindCommand.self, ClearCommand.self,
        FollowCommand.self, SaveCommand.self, RecordCommand.self, ReplayCommand.self, CopyCommand.self,
        ExpectCommand.self, WaitCommand.self, SelectCommand.self, SleepCommand.self, EchoCommand.self,
        SourceCommand.self, SetCommand.self, ErrnoCommand.self,
        SocketCommand.self, BindCommand.self, NonblockCommand.self, ReadCommand.self, WriteCommand.self, ExplainCommand.self, LearnCommand.self,
        HelpCommand.self, QuitCommand.self,
    ]

    /// The command typed as `word` (any case, aliases included), or nil.
    static func lookup(_ word: String) -> (any SessionCommand.Type)? {
        byWord[word.lowercased()]
    }

    private static let byWord: [String: any SessionCommand.Type] = {
        var map: [String: any SessionCommand.Type] = [:]
        for command in commands {
            for word in [command.info.word] + command.info.aliases {
                precondition(map[word] == nil, "the word \(word) names two commands")
                map[word] = command
            }
        }
        return map
    }()
}
