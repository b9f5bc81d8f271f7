// Lessons+More.swift — the lessons past the first TCP programs: the seed's socket_select server for
// many clients (port 5000), UDP, its hand-written `GET / HTTP/1.1`, and the port scan it hints at.
// Data only.

extension Lessons {
    /// The seed's socket_select server: a banner and "OK ... $input" for many clients at once.
    static let select = Lesson(
        name: "select",
        title: Localized(en: "Many clients with socket_select", zh: "用 socket_select 同时服务多个客户端"),
        summary: Localized(en: "the seed's select server: a welcome and \"OK ... $input\" for every client at once",
                           zh: "教程的 select 服务端：向每个客户端发送欢迎语，并同时回复 \"OK ... $input\""),
        peer: Localized(
            en: "You need two clients: run `nc 127.0.0.1 5000` in two other terminals, or `connect 127.0.0.1:5000` "
                + "twice in this sockpit.",
            zh: "需要两个客户端：在另外两个终端各运行一次 `nc 127.0.0.1 5000`，或者在这个 sockpit 里输入两次 "
                + "`connect 127.0.0.1:5000`。"),
        steps: [
            LessonStep(["listen 5000"], .reached(.listening, .tcp),
                       en: "socket_create, socket_bind and socket_listen in one command (the seed binds 0.0.0.0; "
                           + "sockpit keeps to 127.0.0.1). sockpit accepts by itself, as the seed's loop does when "
                           + "select reports the master socket readable.",
                       zh: "一条命令完成 socket_create、socket_bind、socket_listen（教程绑定 0.0.0.0，sockpit 只用 127.0.0.1）。"
                           + "sockpit 会自己 accept，就像教程的循环在 select 报告主 socket 可读时所做的那样。"),
            LessonStep([#"banner #1 "Welcome to php socket server version 1.0 \n""#], .succeeded("banner"),
                       en: "The seed's welcome, sent to every client as soon as it is accepted.",
                       zh: "教程的欢迎语，每个客户端一被接受就发给它。"),
            LessonStep([#"reply #1 "OK ... {data}""#], .succeeded("reply"),
                       en: "The seed's answer, OK ... and what the client sent, for every client of #1.",
                       zh: "教程的回复：OK ... 加上客户端发来的内容，对 #1 的每个客户端都有效。"),
            LessonStep(["trace on"], .succeeded("trace"),
                       en: "Watch the calls: epoll_ctl adds each new socket to the set sockpit waits on, its "
                           + "socket_select.",
                       zh: "观察系统调用：epoll_ctl 把每个新 socket 加入 sockpit 等待的集合，相当于它的 socket_select。"),
            LessonStep([], .traced("accept4"),
                       en: "Connect the first client. The trace shows accept4 taking it, then the welcome going out.",
                       zh: "连接第一个客户端。跟踪里可以看到 accept4 接受了它，接着发出欢迎语。"),
            LessonStep([], .accepted,
                       en: "Connect a second client while the first stays connected: one loop serves both.",
                       zh: "第一个客户端保持连接，再连接第二个：一个循环同时服务两个。"),
            LessonStep([], .sent("OK ... "),
                       en: "Type a message in either client: OK ... comes back at once, whatever the other does.",
                       zh: "在任意一个客户端输入一条消息：不管另一个客户端在做什么，OK ... 的回复马上就回来。"),
            LessonStep(["close *"], .reached(.closed, .tcp),
                       en: "Close every connection; the listener stays.",
                       zh: "关闭所有连接；监听 socket 保留。"),
        ],
        kernel: Localized(
            en: "One thread served every client because no call had to wait: the kernel said which sockets were "
                + "ready (select in the seed, epoll_wait in sockpit), and each accept or read then returned at once. "
                + "Mind two slips in the seed's loop: when a client leaves, it unsets the socket before closing it, "
                + "so nothing is closed, and still writes \"OK ... \" to it. sockpit closes a socket at its EOF.",
            zh: "一个线程就能服务所有客户端，因为没有哪个调用需要等待：内核告诉你哪些 socket 已就绪（教程用 select，"
                + "sockpit 用 epoll_wait），之后的 accept 或 read 都立即返回。注意教程循环里的两个疏漏：客户端断开时，"
                + "它先 unset 再 socket_close，结果什么也没关闭，而且还会继续向它写 \"OK ... \"。sockpit 读到 EOF 时就关闭 socket。"),
        seedLines: [
            "if(socket_select($read , $write , $except , null) === false)",
            "if (in_array($sock, $read))",
            "$client_socks[$i] = socket_accept($sock);//接受连接",
            #"$message = "Welcome to php socket server version 1.0 \n";"#,
            "socket_write($client_socks[$i] , $message);",
            "$input = socket_read($client_socks[$i] , 1024);//读取数据",
            "unset($client_socks[$i]);",
            "socket_close($client_socks[$i]);",
            #"$output = "OK ... $input";"#,
            "socket_write($client_socks[$i] , $output);",
        ])

    /// UDP: two datagram sockets, sendto and recvfrom, no connection.
    static let udp = Lesson(
        name: "udp",
        title: Localized(en: "UDP: datagrams with sendto and recvfrom", zh: "UDP：用 sendto 和 recvfrom 收发数据报"),
        summary: Localized(en: "no listen, no accept: each datagram carries its address",
                           zh: "没有 listen，也没有 accept：每个数据报自带地址"),
        peer: nil,
        steps: [
            LessonStep(["socket udp"], .reached(.created, .udp),
                       en: "socket_create(AF_INET, SOCK_DGRAM, 0), as the seed writes a UDP socket: the receiver, #1.",
                       zh: "socket_create(AF_INET, SOCK_DGRAM, 0)，正是教程里创建 UDP socket 的写法：这是接收方 #1。"),
            LessonStep(["bind #1 127.0.0.1:6000"], .reached(.bound, .udp),
                       en: "socket_bind: datagrams sent to 127.0.0.1:6000 now arrive at #1.",
                       zh: "socket_bind：之后发往 127.0.0.1:6000 的数据报都会到达 #1。"),
            LessonStep(["listen #1"], .failed("listen"),
                       en: "Try it: the kernel refuses with EOPNOTSUPP. UDP has no connections, so there is nothing "
                           + "to listen for or accept.",
                       zh: "试一试：内核会返回 EOPNOTSUPP。UDP 没有连接，所以无从 listen，也无从 accept。"),
            LessonStep(["socket udp", "bind #2 127.0.0.1:6001"], .reached(.bound, .udp),
                       en: "The sender, #2, bound to a known port so that the receiver can answer it.",
                       zh: "发送方 #2，绑定一个已知端口，方便接收方回复。"),
            LessonStep([#"send #2 to=127.0.0.1:6000 "hello udp""#], .sent("hello udp"),
                       en: "socket_sendto: one datagram for #1. Nothing was connected: the address travels with "
                           + "each datagram.",
                       zh: "socket_sendto：发一个数据报给 #1。没有任何连接：地址随每个数据报一起发送。"),
            LessonStep(["read #1"], .received("hello udp"),
                       en: "socket_recvfrom: the whole datagram, and who sent it (127.0.0.1:6001, in the log).",
                       zh: "socket_recvfrom：取出整个数据报，以及发送者的地址（127.0.0.1:6001，显示在日志里）。"),
            LessonStep([#"send #1 to=127.0.0.1:6001 "OK ... hello udp""#], .sent("OK ... hello udp"),
                       en: "Answer the sender at the address recvfrom gave.",
                       zh: "按 recvfrom 给出的地址回复发送方。"),
            LessonStep(["read #2"], .received("OK ... hello udp"),
                       en: "The answer arrives at #2.",
                       zh: "回复到达 #2。"),
            LessonStep(["close #2", "close #1"], .reached(.closed, .udp),
                       en: "socket_close on both. Nothing goes out: UDP has no FIN.",
                       zh: "两个都 socket_close。不会发出任何东西：UDP 没有 FIN。"),
        ],
        kernel: Localized(
            en: "UDP kept every datagram whole (one sendto, one recvfrom) and never connected: bind gave each socket "
                + "an address and each datagram named its destination. Nothing guarantees delivery: on a real "
                + "network a datagram can be lost, duplicated or reordered, and nobody tells you.",
            zh: "UDP 保持每个数据报完整（一次 sendto 对应一次 recvfrom），也从不建立连接：bind 给每个 socket 一个地址，"
                + "每个数据报自己写明目的地。它不保证送达：在真实网络里，数据报可能丢失、重复或乱序，而且没有人会告诉你。"),
        seedLines: [
            #"$socket = socket_create(AF_INET, SOCK_DGRAM, 0) or die("Could not create"#,
            "| socket_recvfrom() | 接受数据从指定的socket，如果没有指定则默认当前socket |",
            "| socket_sendto() | 发送消息到指定地址的socket |",
            "连接的概念适用于 SOCK_STREAM/TCP ，而 UDP，ICMP，ARP等其他基于非连接的通信没有连接的概念",
        ])

    /// The seed's hand-written HTTP request.
    static let http = Lesson(
        name: "http",
        title: Localized(en: "A hand-written HTTP request", zh: "手写 HTTP 请求"),
        summary: Localized(en: "the seed's GET / HTTP/1.1, typed byte by byte into a TCP socket",
                           zh: "教程里的 GET / HTTP/1.1，一个字节一个字节地写进 TCP socket"),
        peer: Localized(
            en: "Step 1 starts a tiny web server in this sockpit. A real one works too: "
                + "`python3 -m http.server 8080 --bind 127.0.0.1` in another terminal; then skip step 1, and your "
                + "socket is #1.",
            zh: "第 1 步在这个 sockpit 里启动一个很小的 Web 服务器。也可以用真的：在另一个终端运行 "
                + "`python3 -m http.server 8080 --bind 127.0.0.1`，然后跳过第 1 步，你的 socket 就是 #1。"),
        steps: [
            LessonStep([#"listen 8080 reply="HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n""#],
                       .reached(.listening, .tcp),
                       en: "A stand-in web server: every request gets the same short answer.",
                       zh: "一个代替用的 Web 服务器：每个请求都得到同样简短的回答。"),
            LessonStep(["socket tcp"], .reached(.created, .tcp),
                       en: "socket_create(AF_INET, SOCK_STREAM, 0): HTTP travels over TCP.",
                       zh: "socket_create(AF_INET, SOCK_STREAM, 0)：HTTP 走在 TCP 之上。"),
            LessonStep(["connect #2 127.0.0.1:8080"], .reached(.established, .tcp),
                       en: "socket_connect: the seed connects to 104.193.88.77:80, a Baidu web server; here, to the "
                           + "server of step 1.",
                       zh: "socket_connect：教程连接的是百度的 104.193.88.77:80；这里连接第 1 步的服务器。"),
            LessonStep([#"write #2 "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n""#], .sent("GET / HTTP/1.1"),
                       en: "socket_send($socket, $message, strlen($message), 0): a request is just text. HTTP/1.1 "
                           + "requires the Host line, which the seed leaves out; the empty line ends the request.",
                       zh: "socket_send($socket, $message, strlen($message), 0)：请求只是一段文本。"
                           + "HTTP/1.1 要求有 Host 行，而教程的请求里没有；最后的空行表示请求结束。"),
            LessonStep(["read #2"], .received("HTTP/1.1 200"),
                       en: "socket_recv($socket, $buf, 2045, MSG_WAITALL): status line, headers, an empty line, the "
                           + "body. MSG_WAITALL waits for all 2045 bytes or the close; recv 2045 all does the same.",
                       zh: "socket_recv($socket, $buf, 2045, MSG_WAITALL)：状态行、头部、空行、正文。"
                           + "MSG_WAITALL 会一直等到收满 2045 字节或连接关闭；recv 2045 all 作用相同。"),
            LessonStep(["http 127.0.0.1:8080 / timeout=2"], .succeeded("http"),
                       en: "sockpit's http command does steps 2 to 5 in one go. This server never closes, so it stops "
                           + "waiting for the end after 2 seconds.",
                       zh: "sockpit 的 http 命令一次完成第 2 到第 5 步。这个服务器从不关闭连接，所以 2 秒后就不再等待结束。"),
            LessonStep(["close #2"], .reached(.closed, .tcp),
                       en: "socket_close($socket): the conversation is over.",
                       zh: "socket_close($socket)：这次对话结束了。"),
        ],
        kernel: Localized(
            en: "The kernel knows nothing of HTTP: to it the request and the answer were bytes on a TCP stream. "
                + "What makes them HTTP (the request line, the headers, the empty line, the Content-Length that "
                + "says where the body ends) is agreed between the two programs.",
            zh: "内核并不认识 HTTP：对它来说，请求和回答只是 TCP 流上的字节。让它们成为 HTTP 的一切"
                + "（请求行、头部、空行、告诉对方正文到哪里结束的 Content-Length）都是两个程序之间的约定。"),
        seedLines: [
            "if(!socket_connect($socket,'104.193.88.77',80)){",
            #"$message = "GET / HTTP/1.1\r\n\r\n";"#,
            "if(!socket_send($socket,$message,strlen($message),0)){",
            "if(socket_recv($socket,$buf,2045,MSG_WAITALL) === false){",
            "echo $buf;",
            "socket_close($socket);",
        ])

    /// The port scan the seed hints at: connect tells an open port from a closed one.
    static let scan = Lesson(
        name: "scan",
        title: Localized(en: "A port scan", zh: "端口扫描"),
        summary: Localized(en: "connect tells open from closed ports, as the seed remarks; scan tries many at once",
                           zh: "像教程说的那样，用 connect 判断端口是否开放；scan 一次尝试很多端口"),
        peer: nil,
        steps: [
            LessonStep(["listen 1935"], .reached(.listening, .tcp),
                       en: "Something to find: a listener on port 1935.",
                       zh: "先准备一个可以被发现的目标：在 1935 端口监听。"),
            LessonStep(["connect 127.0.0.1:1935"], .reached(.established, .tcp),
                       en: "An open port: the handshake completes and connect succeeds.",
                       zh: "开放的端口：三次握手完成，connect 成功。"),
            LessonStep(["connect 127.0.0.1:1936"], .failed("connect"),
                       en: "A closed port: the kernel answers the SYN with RST, and connect fails with ECONNREFUSED.",
                       zh: "关闭的端口：内核用 RST 回应 SYN，connect 失败，返回 ECONNREFUSED。"),
            LessonStep(["errno ECONNREFUSED"], .succeeded("errno"),
                       en: "socket_strerror(socket_last_error()): the seed's way to put the error into words.",
                       zh: "socket_strerror(socket_last_error())：教程把错误码变成文字的方法。"),
            LessonStep(["scan 127.0.0.1 1930-1940"], .succeeded("scan"),
                       en: "Eleven connects at once, none blocking, each with a timeout: 1935 open, the others closed. "
                           + "A port that never answers would be filtered.",
                       zh: "同时发起 11 个 connect，都不阻塞，各有超时：1935 开放，其余关闭。"
                           + "一直没有回应的端口会显示为 filtered（被过滤）。"),
        ],
        kernel: Localized(
            en: "Open, closed and filtered are the three answers to a SYN: SYN-ACK, RST, or nothing. The seed's "
                + "blocking socket_connect would wait out the timeout of each filtered port in turn; non-blocking "
                + "connects wait for all of them at once. Scan only machines you may: here, your own.",
            zh: "开放、关闭、被过滤，是对 SYN 的三种回答：SYN-ACK、RST，或者没有回应。教程那样阻塞的 socket_connect "
                + "会对每个被过滤的端口依次等满超时；非阻塞的 connect 可以同时等待所有端口。只扫描你有权扫描的机器：这里是你自己的。"),
        seedLines: [
            "就能检测 ip 为104.193.88.77 端口号为 80 是否开启，由此可以构建一个端口扫描程序。",
            "if(!socket_connect($socket,'104.193.88.77',80)){",
            "$errorcode = socket_last_error();",
            "$errormsg = socket_strerror($errorcode);",
        ])
}
