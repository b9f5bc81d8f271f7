// CSocketKit — the few Linux socket APIs Swift's Glibc module does not import (epoll, accept4,
// pipe2, socket ioctls), declared here so SocketKit can call them. Nothing else lives here.
#ifndef SOCKPIT_CSOCKETKIT_H
#define SOCKPIT_CSOCKETKIT_H

#include <sys/epoll.h>
#include <sys/socket.h>
#include <signal.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC (glibc declares it only under _GNU_SOURCE).
int csk_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len);
/// pipe2(2) with O_NONBLOCK | O_CLOEXEC.
int csk_pipe_nonblocking(int fds[2]);
/// Bytes received and not yet read (SIOCINQ / FIONREAD); -1 with errno on failure.
int csk_bytes_unread(int fd);
/// Bytes in the send queue not yet acknowledged by the peer (SIOCOUTQ); -1 with errno on failure.
int csk_bytes_unacked(int fd);
/// Bytes in the send queue not yet sent (SIOCOUTQNSD); -1 with errno on failure.
int csk_bytes_unsent(int fd);
/// sigaction(2) with the given handler, an empty mask and SA_RESTART unless `restart` is 0.
int csk_set_signal_handler(int sig, void (*handler)(int), int restart);
/// Restores SIG_DFL for a signal.
int csk_set_default_handler(int sig);

/// SO_MEMINFO drops counter (SK_MEMINFO_DROPS): datagrams the kernel dropped for this socket.
long long csk_socket_drops(int fd);

/// memmem(3) (a GNU extension Swift's Glibc hides): the first occurrence of `needle` in
/// `haystack`, found in linear time, or NULL.
const void *csk_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
