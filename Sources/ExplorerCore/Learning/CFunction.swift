// CFunction.swift — the C calls beneath the seed's PHP functions and beneath sockpit's trace: each
// one's prototype as its Linux man page writes it, and whether the kernel does the work.

/// One C function of the socket API, as `help php` and `explain` show it.
public struct CFunction: Equatable, Sendable {
    /// The name, as the trace and the man page spell it (`accept4`, `setsockopt`).
    public let name: String
    /// The prototype from its man page (section 2 or 3), without `restrict` and the trailing `;`.
    public let prototype: String
    /// True for system calls (man section 2); false for libc functions that do not enter the
    /// kernel, such as `strerror`.
    public let isSystemCall: Bool

    /// The function called `name`, or nil when sockpit does not know it.
    public static func named(_ name: String) -> CFunction? { byName[name] }

    /// Every function the PHP table and the trace explanations name.
    public static let all: [CFunction] = [
        sys("socket", "int socket(int domain, int type, int protocol)"),
        sys("bind", "int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)"),
        sys("listen", "int listen(int sockfd, int backlog)"),
        sys("accept", "int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen)"),
        sys("accept4", "int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)"),
        sys("connect", "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)"),
        sys("read", "ssize_t read(int fd, void *buf, size_t count)"),
        sys("write", "ssize_t write(int fd, const void *buf, size_t count)"),
        sys("recv", "ssize_t recv(int sockfd, void *buf, size_t len, int flags)"),
        sys("send", "ssize_t send(int sockfd, const void *buf, size_t len, int flags)"),
        sys("recvfrom", "ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, "
            + "struct sockaddr *src_addr, socklen_t *addrlen)"),
        sys("sendto", "ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, "
            + "const struct sockaddr *dest_addr, socklen_t addrlen)"),
        sys("recvmsg", "ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)"),
        sys("sendmsg", "ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)"),
        sys("readv", "ssize_t readv(int fd, const struct iovec *iov, int iovcnt)"),
        sys("writev", "ssize_t writev(int fd, const struct iovec *iov, int iovcnt)"),
        sys("shutdown", "int shutdown(int sockfd, int how)"),
        sys("close", "int close(int fd)"),
        sys("getsockopt", "int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)"),
        sys("setsockopt", "int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)"),
        sys("getsockname", "int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)"),
        sys("getpeername", "int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen)"),
        sys("socketpair", "int socketpair(int domain, int type, int protocol, int sv[2])"),
        sys("fcntl", "int fcntl(int fd, int cmd, ... /* arg */)"),
        sys("select", "int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, "
            + "struct timeval *timeout)"),
        sys("epoll_create1", "int epoll_create1(int flags)"),
        sys("epoll_ctl", "int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)"),
        sys("epoll_wait", "int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)"),
        sys("ioctl", "int ioctl(int fd, unsigned long request, ...)"),
        sys("unlink", "int unlink(const char *pathname)"),
        CFunction(name: "strerror", prototype: "char *strerror(int errnum)", isSystemCall: false),
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    private static func sys(_ name: String, _ prototype: String) -> CFunction {
        CFunction(name: name, prototype: prototype, isSystemCall: true)
    }
}
