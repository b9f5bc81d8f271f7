// Implementations for CSocketKit.h, compiled with _GNU_SOURCE so glibc declares accept4 and pipe2.
#define _GNU_SOURCE
#include "CSocketKit.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <linux/sock_diag.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

int csk_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int csk_pipe_nonblocking(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }

static int ioctl_int(int fd, unsigned long request) {
    int value = 0;
    if (ioctl(fd, request, &value) < 0) return -1;
    return value;
}

int csk_bytes_unread(int fd) { return ioctl_int(fd, SIOCINQ); }
int csk_bytes_unacked(int fd) { return ioctl_int(fd, SIOCOUTQ); }
int csk_bytes_unsent(int fd) { return ioctl_int(fd, SIOCOUTQNSD); }

int csk_set_signal_handler(int sig, void (*handler)(int), int restart) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = restart ? SA_RESTART : 0;
    return sigaction(sig, &action, NULL);
}

int csk_set_default_handler(int sig) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(sig, &action, NULL);
}

long long csk_socket_drops(int fd) {
    unsigned int info[SK_MEMINFO_VARS];
    socklen_t len = sizeof info;
    memset(info, 0, sizeof info);
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &len) < 0) return -1;
    if (len < (SK_MEMINFO_DROPS + 1) * sizeof(unsigned int)) return -1;
    return info[SK_MEMINFO_DROPS];
}

const void *csk_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
