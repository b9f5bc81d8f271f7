// Lessons+TCP.swift — the lessons built on the seed's first TCP programs: its server (port 1935),
// its client, and the strrev server its "过程代码详解" walks through (port 1234). Data only.

extension Lessons {
    /// The seed's first server: create, bind, listen, accept, write, read, close.
    static let server = Lesson(
        name: "server",
        title: Localized(en: "Your first TCP server", zh: "第一个 TCP 服务器"),
        summary: Localized(en: "the seed's server, one call at a time: socket, bind, listen, accept, write, read, close",
                           zh: "一步一步写出教程里的服务端：socket、bind、listen、accept、write、read、close"),
        peer: Localized(
            en: "You also need a client: run `nc 127.0.0.1 1935` in another terminal (or the seed's client, "
                + "or a second sockpit: `sockpit -e 'connect 127.0.0.1:1935'`). `connect 127.0.0.1:1935` in this "
                + "sockpit works too; the client is then #2 and the accepted socket #3.",
            zh: "还需要一个客户端：在另一个终端运行 `nc 127.0.0.1 1935`（也可以用教程里的客户端，或者再开一个 sockpit："
                + "`sockpit -e 'connect 127.0.0.1:1935'`）。在这个 sockpit 里输入 `connect 127.0.0.1:1935` 也行，"
                + "这时客户端是 #2，accept 得到的是 #3。"),
        steps: [
            LessonStep(["trace on", "explain on"], .succeeded("explain"),
                       en: "Show every system call sockpit makes, each with the seed's PHP call beside it.",
                       zh: "显示 sockpit 发出的每一个系统调用，并在旁边标出教程里对应的 PHP 函数。"),
            LessonStep(["socket tcp"], .reached(.created, .tcp),
                       en: "socket_create(AF_INET, SOCK_STREAM, SOL_TCP): the kernel makes a TCP socket and hands "
                           + "back a descriptor. It has no address yet, so nobody can reach it.",
                       zh: "socket_create(AF_INET, SOCK_STREAM, SOL_TCP)：内核创建一个 TCP socket，返回一个描述符。"
                           + "它还没有地址，谁也连不上它。"),
            LessonStep(["bind #1 127.0.0.1:1935"], .reached(.bound, .tcp),
                       en: "socket_bind($sock, $ip, $port): claim the address and port clients will use. If another "
                           + "program holds the port, the kernel answers EADDRINUSE.",
                       zh: "socket_bind($sock, $ip, $port)：占用客户端要连接的地址和端口。如果端口已被别的程序占用，"
                           + "内核会返回 EADDRINUSE。"),
            LessonStep(["listen #1 backlog=4"], .reached(.listening, .tcp),
                       en: "socket_listen($sock, 4): from now on the kernel itself answers clients and completes "
                           + "their handshakes; finished connections wait in a queue, the backlog, until you accept.",
                       zh: "socket_listen($sock, 4)：从这里开始，内核自己应答客户端、完成三次握手；"
                           + "建好的连接在队列（backlog）里等你 accept。"),
            LessonStep([], .pending,
                       en: "Start the client now. Before any accept, the Listeners pane shows it pending: the "
                           + "kernel has already connected it.",
                       zh: "现在启动客户端。还没有 accept，Listeners 面板就显示它在等待：内核已经替你建好了连接。"),
            LessonStep(["accept #1"], .accepted,
                       en: "socket_accept($sock): take the first connection off the queue. It becomes a new "
                           + "socket for this one client; #1 keeps listening for others.",
                       zh: "socket_accept($sock)：从队列里取出第一个连接，得到一个只属于这个客户端的新 socket；"
                           + "#1 继续监听其他客户端。"),
            LessonStep([#"write "测试成功！\n""#], .sent("测试成功！"),
                       en: "socket_write($msgsock, $msg, strlen($msg)): the seed greets its client. write copies "
                           + "the bytes into the kernel's send buffer and returns; the kernel sends them.",
                       zh: "socket_write($msgsock, $msg, strlen($msg))：教程的服务端先向客户端问好。"
                           + "write 只是把字节复制进内核的发送缓冲区就返回，发送由内核完成。"),
            LessonStep(["read"], .received(""),
                       en: "socket_read($msgsock, 8192): type a line in the client first (the seed's client sends "
                           + "Ho and first blood). read takes what has arrived, up to 8192 bytes.",
                       zh: "socket_read($msgsock, 8192)：先在客户端输入一行（教程的客户端发送 Ho 和 first blood）。"
                           + "read 取走已经到达的数据，最多 8192 字节。"),
            LessonStep(["close"], .reached(.closed, .tcp),
                       en: "socket_close($msgsock): close this client's socket. The kernel sends FIN and the client "
                           + "reads the end of the stream.",
                       zh: "socket_close($msgsock)：关闭这个客户端的 socket。内核发送 FIN，客户端读到流的结束。"),
            LessonStep(["close #1"], .reached(.closed, .tcp),
                       en: "socket_close($sock): stop listening. A client that connects now is refused "
                           + "(ECONNREFUSED).",
                       zh: "socket_close($sock)：停止监听。之后再连接的客户端会被拒绝（ECONNREFUSED）。"),
        ],
        kernel: Localized(
            en: "socket() made a descriptor; bind() reserved 127.0.0.1:1935; after listen() the kernel answered "
                + "the client's SYN and queued the finished connection, so connect completed before you accepted; "
                + "accept() only took it off the queue as a new socket; write() and read() moved bytes between "
                + "sockpit and the kernel's buffers; close() sent FIN.",
            zh: "socket() 创建了描述符；bind() 占用了 127.0.0.1:1935；listen() 之后由内核应答客户端的 SYN，"
                + "并把建好的连接放进队列，所以在你 accept 之前 connect 就已经完成；accept() 只是从队列里取出连接，"
                + "交给你一个新 socket；write() 和 read() 只是在 sockpit 和内核缓冲区之间搬运字节；close() 发送了 FIN。"),
        seedLines: [
            "if(($sock = socket_create(AF_INET,SOCK_STREAM,SOL_TCP)) < 0) {",
            "if(($ret = socket_bind($sock,$ip,$port)) < 0) {",
            "if(($ret = socket_listen($sock,4)) < 0) {",
            "if (($msgsock = socket_accept($sock)) < 0) {",
            "socket_write($msgsock, $msg, strlen($msg));",
            "$buf = socket_read($msgsock,8192);",
            "socket_close($msgsock);",
            "socket_close($sock);",
        ])

    /// The seed's client: connect, write "Ho\r\nfirst blood\r\n", read the answer, close.
    static let client = Lesson(
        name: "client",
        title: Localized(en: "The TCP client", zh: "TCP 客户端"),
        summary: Localized(en: "the seed's client: connect, write \"Ho\\r\\n…\", read the answer, close",
                           zh: "教程的客户端：connect，write \"Ho\\r\\n…\"，读取回复，close"),
        peer: Localized(
            en: "Steps 1 and 2 start a server in this sockpit that answers like the seed's server. To use the "
                + "seed's own server.php instead, run it in another terminal and skip them; your socket is then #1.",
            zh: "第 1、2 步在这个 sockpit 里启动一个服务端，它的回答和教程的服务端一样。想用教程自己的 server.php，"
                + "就在另一个终端运行它并跳过这两步；那样你的 socket 是 #1。"),
        steps: [
            LessonStep([#"listen 1935 reply="收到的信息:{data}""#], .reached(.listening, .tcp),
                       en: "A stand-in for the seed's server on port 1935: it sends every message back after "
                           + "收到的信息: (\"received:\").",
                       zh: "在 1935 端口启动一个代替教程服务端的服务器：它在每条消息前加上“收到的信息:”再发回来。"),
            LessonStep([#"banner #1 "测试成功！\n""#], .succeeded("banner"),
                       en: "Like the seed's server, greet each new client with 测试成功！ (\"test passed!\").",
                       zh: "和教程的服务端一样，向每个新客户端发送“测试成功！”。"),
            LessonStep(["socket tcp"], .reached(.created, .tcp),
                       en: "socket_create(AF_INET, SOCK_STREAM, SOL_TCP): your client's socket, #2. A client needs "
                           + "no bind: connect picks a free local port.",
                       zh: "socket_create(AF_INET, SOCK_STREAM, SOL_TCP)：客户端自己的 socket，#2。"
                           + "客户端不用 bind，connect 会自动选一个空闲的本地端口。"),
            LessonStep(["connect #2 127.0.0.1:1935"], .reached(.established, .tcp),
                       en: "socket_connect($socket, $ip, $port): the kernel sends SYN, the server's kernel answers, "
                           + "and the connection is established when the three-way handshake ends.",
                       zh: "socket_connect($socket, $ip, $port)：内核发出 SYN，服务端的内核应答，三次握手完成后连接就建立了。"),
            LessonStep([#"write #2 "Ho\r\nfirst blood\r\n""#], .sent("first blood"),
                       en: "socket_write($socket, $in, strlen($in)): the seed's two lines, each ending in \\r\\n.",
                       zh: "socket_write($socket, $in, strlen($in))：教程里的两行，每行以 \\r\\n 结尾。"),
            LessonStep(["read #2"], .received("收到的信息"),
                       en: "socket_read($socket, 8192): the server's greeting and its answer. The seed reads in a "
                           + "loop until socket_read returns '', which means the server closed.",
                       zh: "socket_read($socket, 8192)：读到服务端的问候和回复。教程在循环里一直读，"
                           + "直到 socket_read 返回 ''，也就是服务端关闭了连接。"),
            LessonStep(["close #2"], .reached(.closed, .tcp),
                       en: "socket_close($socket): the client says goodbye with FIN; the server reads the end of "
                           + "the stream and closes its side too.",
                       zh: "socket_close($socket)：客户端发送 FIN 告别；服务端读到流的结束，也关闭自己这一端。"),
        ],
        kernel: Localized(
            en: "Your client never called bind: connect chose a local port itself (info #2 shows it before the "
                + "close). connect was the three-way handshake; write queued bytes in the send buffer; read took "
                + "them from the receive buffer in whatever pieces TCP delivered: a stream has no message boundaries.",
            zh: "客户端从未调用 bind：connect 自己选了本地端口（关闭前可用 info #2 查看）。connect 就是三次握手；"
                + "write 把字节放进发送缓冲区；read 按 TCP 送达的样子从接收缓冲区取数据：字节流没有消息边界。"),
        seedLines: [
            "$socket = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);",
            "$result = socket_connect($socket, $ip, $port);",
            #"$in = "Ho\r\n";"#,
            #"$in .= "first blood\r\n";"#,
            "if(!socket_write($socket, $in, strlen($in))) {",
            "while($out = socket_read($socket, 8192)) {",
            "socket_close($socket);",
        ])

    /// The strrev server the seed explains in nine steps.
    static let reverse = Lesson(
        name: "reverse",
        title: Localized(en: "The reverse (strrev) server", zh: "反转字符串（strrev）服务器"),
        summary: Localized(en: "the server the seed explains step by step: read a line, send it back reversed",
                           zh: "教程逐步讲解的服务端：读一行，把它反转后发回去"),
        peer: Localized(
            en: "You need a client: `nc 127.0.0.1 1234` in another terminal (or a second sockpit: "
                + "`sockpit -e 'connect 127.0.0.1:1234'`). `connect 127.0.0.1:1234` in this sockpit works too; "
                + "the accepted socket is then #3.",
            zh: "需要一个客户端：在另一个终端运行 `nc 127.0.0.1 1234`（或者再开一个 sockpit："
                + "`sockpit -e 'connect 127.0.0.1:1234'`）。在这个 sockpit 里输入 `connect 127.0.0.1:1234` 也行，"
                + "这时 accept 得到的是 #3。"),
        steps: [
            LessonStep(["socket tcp"], .reached(.created, .tcp),
                       en: "The seed's step 3: socket_create(AF_INET, SOCK_STREAM, 0). SOCK_STREAM is TCP; "
                           + "SOCK_DGRAM would be UDP.",
                       zh: "教程第 3 步：socket_create(AF_INET, SOCK_STREAM, 0)。SOCK_STREAM 表示 TCP，SOCK_DGRAM 则是 UDP。"),
            LessonStep(["bind #1 127.0.0.1:1234"], .reached(.bound, .tcp),
                       en: "Step 4: socket_bind. The seed binds 192.168.1.99, an address of its author's machine; "
                           + "127.0.0.1 is this machine, and only it can connect.",
                       zh: "第 4 步：socket_bind。教程绑定的是作者机器上的 192.168.1.99；127.0.0.1 是本机地址，只有本机能连进来。"),
            LessonStep(["listen #1 backlog=3"], .reached(.listening, .tcp),
                       en: "Step 5: socket_listen($socket, 3). About 3 finished connections may wait for accept; "
                           + "beyond that Linux drops new SYNs and the clients retry, rather than refusing them.",
                       zh: "第 5 步：socket_listen($socket, 3)。大约 3 个建好的连接可以排队等待 accept；"
                           + "再多时 Linux 会丢弃新的 SYN，让客户端重试，而不是拒绝它们。"),
            LessonStep([], .pending,
                       en: "Step 6 starts when a client arrives: start the client now. Until you accept it, it "
                           + "waits in the backlog.",
                       zh: "第 6 步从客户端到来开始：现在启动客户端。在你 accept 之前，它在队列里等待。"),
            LessonStep(["accept #1"], .accepted,
                       en: "socket_accept($socket) returns $spawn, the socket for this one client (#2).",
                       zh: "socket_accept($socket) 返回 $spawn，也就是这个客户端专用的 socket（#2）。"),
            LessonStep(["resume", "reply reverse"], .succeeded("reply"),
                       en: "Steps 7 and 8 (read, trim, strrev, write) are what sockpit's reply reverse does with "
                           + "every chunk this socket receives; resume lets sockpit read #2 by itself, which a socket "
                           + "made step by step leaves to read.",
                       zh: "第 7、8 步（read、trim、strrev、write）正是 sockpit 的 reply reverse 对这个 socket "
                           + "收到的每段数据所做的事；resume 让 sockpit 自己读取 #2（一步一步建立的 socket 默认只在 read 时读）。"),
            LessonStep([], .sent("olleh"),
                       en: "Type hello in the client. The server reads it and writes back olleh.",
                       zh: "在客户端输入 hello。服务端读到后写回 olleh。"),
            LessonStep(["close"], .reached(.closed, .tcp),
                       en: "Step 9: socket_close($spawn) ends this client's connection.",
                       zh: "第 9 步：socket_close($spawn) 结束这个客户端的连接。"),
            LessonStep(["close #1"], .reached(.closed, .tcp),
                       en: "socket_close($socket): the listening socket goes too.",
                       zh: "socket_close($socket)：监听的 socket 也关闭。"),
        ],
        kernel: Localized(
            en: "Two sockets served one client: the listening socket only ever produced connections, and the data "
                + "went through the accepted one. The seed says socket_read stops at \\n, \\t or \\0; in fact only "
                + "PHP_NORMAL_READ stops, at \\n or \\r, and the default PHP_BINARY_READ returns whatever has "
                + "arrived, so a long line can come in pieces.",
            zh: "一个客户端用到了两个 socket：监听 socket 只负责产生连接，数据都经过 accept 得到的那个。"
                + "教程说 socket_read 读到 \\n、\\t 或 \\0 就停止；其实只有 PHP_NORMAL_READ 会在 \\n 或 \\r 处停止，"
                + "默认的 PHP_BINARY_READ 有多少返回多少，一行很长时可能分几次到达。"),
        seedLines: [
            #"$socket = socket_create(AF_INET, SOCK_STREAM, 0) or die("Could not createsocket\n");"#,
            #"$result = socket_bind($socket, $host, $port) or die("Could not bind tosocket\n");"#,
            #"$result = socket_listen($socket, 3) or die("Could not set up socketlistener\n");"#,
            #"$spawn = socket_accept($socket) or die("Could not accept incomingconnection\n");"#,
            #"$input = socket_read($spawn, 1024) or die("Could not read input\n");"#,
            "$input = trim($input);",
            #"$output = strrev($input) . "\n";"#,
            #"socket_write($spawn, $output, strlen ($output)) or die("Could not write"#,
            "socket_close($spawn);",
            "socket_close($socket);",
        ])
}
