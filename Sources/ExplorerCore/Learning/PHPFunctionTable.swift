// PHPFunctionTable.swift — the one table of the seed's `socket_*` functions (35 in its table of
// functions, plus the two names it misspells: 37 names in all). Signatures are PHP 8.2's; which C
// calls PHP makes was read in php-src (ext/sockets/sockets.c) and checked with strace
// (Tests/ExplorerCoreTests/Learning/PHPStraceTests.swift).

/// The seed's PHP socket functions, mapped to C calls and sockpit commands.
public enum PHPFunctionTable {
    /// Every function of the seed's table, in its order (alphabetical but for `socket_create`).
    public static let functions: [PHPFunction] = [
        current("socket_accept", "socket_accept(Socket $socket): Socket|false",
                calls: ["accept"], commands: ["accept [#L]"],
                summary: "take the next connection from the backlog", seed: "接受一个Socket连接",
                note: "sockpit calls accept4, which sets SOCK_NONBLOCK|SOCK_CLOEXEC in the same call; "
                    + "`listen PORT` accepts by itself, a listener made step by step only on `accept`"),
        current("socket_bind", "socket_bind(Socket $socket, string $address, int $port = 0): bool",
                calls: ["bind"], commands: ["bind [TARGET] [HOST:]PORT|PATH"],
                summary: "give a socket its local address", seed: "把socket绑定在一个IP地址和端口上",
                note: "PHP builds the struct sockaddr from $address and $port; port 0 lets the kernel choose"),
        current("socket_clear_error", "socket_clear_error(?Socket $socket = null): void",
                calls: [], commands: [],
                summary: "forget the saved error code", seed: "清除socket的错误或者最后的错误代码",
                note: "no kernel counterpart: it clears the errno PHP saved for socket_last_error; sockpit "
                    + "keeps no such slot, every failure is in its own status line"),
        current("socket_close", "socket_close(Socket $socket): void",
                calls: ["close"], commands: ["close [TARGET]", "reset [TARGET]"],
                summary: "close a socket", seed: "关闭一个socket资源",
                note: "close sends FIN after queued bytes; reset sends RST (setsockopt SO_LINGER 0, then close)"),
        current("socket_connect", "socket_connect(Socket $socket, string $address, ?int $port = null): bool",
                calls: ["connect"], commands: ["connect TARGET HOST:PORT", "connect HOST:PORT"],
                summary: "connect to a server", seed: "开始一个socket连接",
                note: "a blocking PHP socket waits here for the handshake; sockpit's are non-blocking, so "
                    + "connect returns EINPROGRESS and getsockopt(SO_ERROR) gives the outcome"),
        current("socket_create_listen", "socket_create_listen(int $port, int $backlog = 128): Socket|false",
                calls: ["socket", "bind", "listen"], commands: ["listen [HOST:]PORT"],
                summary: "a listening TCP socket in one call", seed: "在指定端口打开一个socket监听",
                note: "PHP hides three calls: socket(AF_INET, SOCK_STREAM, 0) + bind(0.0.0.0:PORT) + "
                    + "listen(backlog), and sets no option; sockpit's `listen PORT` binds 127.0.0.1 and sets "
                    + "SO_REUSEADDR (setsockopt) before bind, so a restart does not wait out TIME_WAIT"),
        current("socket_create_pair",
                "socket_create_pair(int $domain, int $type, int $protocol, array &$pair): bool",
                calls: ["socketpair"], commands: ["pair"],
                summary: "two sockets already connected to each other", seed: "产生一对没有区别的socket到一个数组里",
                note: "the pair has no address: nothing else can connect to it"),
        current("socket_create", "socket_create(int $domain, int $type, int $protocol): Socket|false",
                calls: ["socket"], commands: ["socket tcp|udp|unix [v6]"],
                summary: "a new socket, with no address yet", seed: "产生一个socket，相当于产生一个socket的数据结构",
                note: "sockpit adds SOCK_NONBLOCK|SOCK_CLOEXEC; `listen` and `connect` make their own socket"),
        current("socket_get_option", "socket_get_option(Socket $socket, int $level, int $option): array|int|false",
                calls: ["getsockopt"], commands: ["sockopt [TARGET] NAME", "sockopt [TARGET]"],
                summary: "read a socket option", seed: "获取socket选项",
                note: "without NAME sockopt lists every option; info also shows TCP_INFO, which PHP cannot read"),
        current("socket_getpeername",
                "socket_getpeername(Socket $socket, string &$address, int &$port = null): bool",
                calls: ["getpeername"], commands: ["info [TARGET]"],
                summary: "the address of the other end", seed: "获取远程类似主机的ip地址",
                note: "the Connections pane shows every peer's address"),
        current("socket_getsockname",
                "socket_getsockname(Socket $socket, string &$address, int &$port = null): bool",
                calls: ["getsockname"], commands: ["info [TARGET]"],
                summary: "this socket's own address", seed: "获取本地socket的ip地址",
                note: "after bind to port 0 it tells which port the kernel chose (listen 0 shows it)"),
        iovec("socket_iovec_add", "socket_iovec_add(resource iovec, int iov_len): bool",
              summary: "add a buffer to an iovec", seed: "添加一个新的向量到一个分散/聚合的数组"),
        iovec("socket_iovec_alloc", "socket_iovec_alloc(int num_vectors [, int ...]): resource",
              summary: "allocate an iovec of buffers", seed: "这个函数创建一个能够发送接收读写的iovec数据结构"),
        iovec("socket_iovec_delete", "socket_iovec_delete(resource iovec, int iov_pos): bool",
              summary: "remove a buffer from an iovec", seed: "删除一个已经分配的iovec"),
        iovec("socket_iovec_fetch", "socket_iovec_fetch(resource iovec, int iovec_position): string",
              summary: "the bytes of one buffer of an iovec", seed: "返回指定的iovec资源的数据"),
        iovec("socket_iovec_free", "socket_iovec_free(resource iovec): bool",
              summary: "free an iovec", seed: "释放一个iovec资源"),
        iovec("socket_iovec_set", "socket_iovec_set(resource iovec, int iovec_position, string new_val): bool",
              summary: "replace the bytes of one buffer of an iovec", seed: "设置iovec的数据新值"),
        current("socket_last_error", "socket_last_error(?Socket $socket = null): int",
                calls: [], commands: ["errno CODE|NAME"],
                summary: "the error code of the last failed call", seed: "获取当前socket的最后错误代码",
                note: "no kernel counterpart: PHP saved errno when a call failed; sockpit names it in every "
                    + "error (error: bind 127.0.0.1:5000: EADDRINUSE (Address already in use)), and errno "
                    + "turns a number into its name and message"),
        current("socket_listen", "socket_listen(Socket $socket, int $backlog = 0): bool",
                calls: ["listen"], commands: ["listen TARGET [backlog=N]"],
                summary: "let the kernel accept connections into a backlog", seed: "监听由指定socket的所有连接",
                note: "from here the kernel completes handshakes by itself and queues them until accept; "
                    + "a UDP socket cannot listen (EOPNOTSUPP)"),
        current("socket_read", "socket_read(Socket $socket, int $length, int $mode = PHP_BINARY_READ): string|false",
                calls: ["recv"], commands: ["read [TARGET] [N]", "recv [TARGET] [N]"],
                summary: "read up to $length bytes", seed: "读取指定长度的数据",
                note: "PHP_BINARY_READ (the default) is one recv(fd, buf, length, 0); PHP_NORMAL_READ calls "
                    + "recv for one byte at a time until \\n or \\r; '' means the peer closed. strace shows "
                    + "recvfrom: glibc's recv is recvfrom without an address"),
        removed("socket_readv", "socket_readv(resource socket, resource iovec_id): bool",
                calls: ["readv"], summary: "read into the buffers of an iovec", seed: "读取从分散/聚合数组过来的数据",
                note: "PHP 4.1-4.3 only: removed in PHP 5.0 with the socket_iovec_* functions, and nothing "
                    + "took its place (socket_recvmsg, back in PHP 5.5, also fills several buffers); sockpit "
                    + "reads with recv"),
        current("socket_recv", "socket_recv(Socket $socket, ?string &$data, int $length, int $flags): int|false",
                calls: ["recv"], commands: ["recv [TARGET] [N] [all]"],
                summary: "read with flags", seed: "从socket里结束数据到缓存",
                note: "`all` is MSG_WAITALL, as in the seed's HTTP client: wait for exactly N bytes or the close"),
        current("socket_recvfrom",
                "socket_recvfrom(Socket $socket, string &$data, int $length, int $flags, string &$address, "
                    + "int &$port = null): int|false",
                calls: ["recvfrom"], commands: ["recv [TARGET] [N]", "listen udp [HOST:]PORT"],
                summary: "read one datagram and who sent it", seed: "接受数据从指定的socket，如果没有指定则默认当前socket",
                note: "UDP: each datagram comes with its sender's address, which the log shows as the peer"),
        current("socket_recvmsg", "socket_recvmsg(Socket $socket, array &$message, int $flags = 0): int|false",
                calls: ["recvmsg"], commands: [],
                summary: "read data and control messages", seed: "从iovec里接受消息",
                note: "PHP 4.1-4.3 took an iovec resource; removed in PHP 5.0, back in PHP 5.5 with an array "
                    + "message ('name', 'iov', 'control'); sockpit does not call recvmsg"),
        current("socket_select",
                "socket_select(?array &$read, ?array &$write, ?array &$except, ?int $seconds, "
                    + "int $microseconds = 0): int|false",
                calls: ["select"], commands: ["wait [TARGET] connected|closed|data"],
                summary: "wait until some sockets are ready", seed: "多路选择",
                note: "sockpit's one event loop does this for every socket at once with epoll_wait (strace "
                    + "shows PHP's select as pselect6); wait waits for one condition in a script"),
        current("socket_send", "socket_send(Socket $socket, string $data, int $length, int $flags): int|false",
                calls: ["send"], commands: ["send [TARGET] PAYLOAD"],
                summary: "send bytes with flags", seed: "这个函数发送数据到已连接的socket",
                note: "sockpit adds MSG_NOSIGNAL, so writing to a closed peer is an EPIPE error instead of a "
                    + "SIGPIPE that ends the program; strace shows sendto"),
        current("socket_sendmsg", "socket_sendmsg(Socket $socket, array $message, int $flags = 0): int|false",
                calls: ["sendmsg"], commands: [],
                summary: "send data and control messages", seed: "发送消息到socket",
                note: "PHP 4.1-4.3 took an iovec resource; removed in PHP 5.0, back in PHP 5.5 with an array "
                    + "message ('name', 'iov', 'control'); sockpit does not call sendmsg"),
        current("socket_sendto",
                "socket_sendto(Socket $socket, string $data, int $length, int $flags, string $address, "
                    + "?int $port = null): int|false",
                calls: ["sendto"], commands: ["send TARGET to=HOST:PORT PAYLOAD"],
                summary: "send one datagram to an address", seed: "发送消息到指定地址的socket",
                note: "UDP: each datagram names its destination; an unbound socket gets a port at its first send"),
        current("socket_set_block", "socket_set_block(Socket $socket): bool",
                calls: ["fcntl"], commands: ["nonblock [TARGET] off"],
                summary: "make calls wait again", seed: "在socket里设置为块模式",
                note: "fcntl(F_GETFL), then fcntl(F_SETFL) without O_NONBLOCK"),
        current("socket_set_nonblock", "socket_set_nonblock(Socket $socket): bool",
                calls: ["fcntl"], commands: ["nonblock [TARGET] on"],
                summary: "make calls return EAGAIN instead of waiting", seed: "socket里设置为非块模式",
                note: "fcntl(F_GETFL), then fcntl(F_SETFL) with O_NONBLOCK; sockpit's sockets are "
                    + "non-blocking from socket() on"),
        current("socket_set_option",
                "socket_set_option(Socket $socket, int $level, int $option, array|string|int $value): bool",
                calls: ["setsockopt"], commands: ["sockopt [TARGET] NAME VALUE"],
                summary: "set a socket option", seed: "设置socket选项",
                note: "sockpit names options in lower case: reuseaddr is SOL_SOCKET SO_REUSEADDR"),
        current("socket_shutdown", "socket_shutdown(Socket $socket, int $mode = 2): bool",
                calls: ["shutdown"], commands: ["shutdown [TARGET] rd|wr|rdwr"],
                summary: "close one direction", seed: "这个函数允许你关闭读、写、或者指定的socket",
                note: "PHP's $mode is 0, 1 or 2 (SHUT_RD, SHUT_WR, SHUT_RDWR); wr sends FIN and keeps reading"),
        current("socket_strerror", "socket_strerror(int $error_code): string",
                calls: ["strerror"], commands: ["errno CODE|NAME"],
                summary: "the message of an error code", seed: "返回指定错误号的详细错误",
                note: "libc's message for an errno; no system call"),
        current("socket_write", "socket_write(Socket $socket, string $data, ?int $length = null): int|false",
                calls: ["write"], commands: ["write [TARGET] PAYLOAD", "send [TARGET] PAYLOAD"],
                summary: "write bytes", seed: "写数据到socket缓存",
                note: "PHP calls write(2); sockpit calls send(2) with MSG_NOSIGNAL: the same bytes on a "
                    + "socket, without SIGPIPE. It may write fewer bytes than asked: check what it returns"),
        removed("socket_writev", "socket_writev(resource socket, resource iovec_id): bool",
                calls: ["writev"], summary: "write the buffers of an iovec", seed: "写数据到分散/聚合数组",
                note: "PHP 4.1-4.3 only: removed in PHP 5.0 with the socket_iovec_* functions, and nothing "
                    + "took its place (socket_sendmsg, back in PHP 5.5, also sends several buffers); "
                    + "concatenate the strings and call socket_write"),
    ]

    /// The names the seed misspells.
    public static let misspellings: [SeedMisspelling] = [
        SeedMisspelling(spelling: "socket_creat", meant: "socket_create",
                        seedLine: "3.在前面的基础上,现在该使用socket_creat()函数创建一个Socket了—这个函数返回一个Socket句柄,"
                            + "这个句柄将用在以后所有的函数中."),
        SeedMisspelling(spelling: "socket_last_errr", meant: "socket_last_error",
                        seedLine: "如果任何socket函数失败，可以使用 socket_last_errr 和  socket_strerror 函数检索错误信息"),
    ]

    private static func current(
        _ name: String, _ signature: String, calls: [String], commands: [String],
        summary: String, seed: String, note: String
    ) -> PHPFunction {
        PHPFunction(name: name, signature: signature, availability: .current, calls: calls, commands: commands,
                    summary: summary, seedDescription: seed, note: note)
    }

    private static func removed(
        _ name: String, _ signature: String, calls: [String], summary: String, seed: String, note: String
    ) -> PHPFunction {
        PHPFunction(name: name, signature: signature, availability: .removed("removed in PHP 5.0"), calls: calls,
                    commands: [], summary: summary, seedDescription: seed, note: note)
    }

    /// The six socket_iovec_* functions share one story.
    private static func iovec(_ name: String, _ signature: String, summary: String, seed: String) -> PHPFunction {
        removed(name, signature, calls: [], summary: summary, seed: seed,
                note: "no kernel counterpart: PHP 4.1-4.3 kept a struct iovec array in its own memory for "
                    + "socket_readv, socket_writev, socket_recvmsg and socket_sendmsg; removed in PHP 5.0 and "
                    + "never replaced: PHP 5.5's socket_sendmsg/socket_recvmsg take the buffers as an array "
                    + "('iov'); in C, readv/writev and sendmsg/recvmsg take a struct iovec")
    }
}
