/* nl_sock.h — netlink sockets: open/bind with groups, buffers, credentials,
 * receiving with the sender's address, sending, classic BPF filters.
 * Never prints, never exits: every function returns >= 0 or -errno.
 * Message framing (nlmsghdr/nlattr walkers) lives in nl_msg.h, the
 * rtnetlink-style request/reply in nl_req.h. */
#ifndef UEVBOX_NL_SOCK_H
#define UEVBOX_NL_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

struct nl_sock {
	int fd;
	int proto;		/* NETLINK_KOBJECT_UEVENT, NETLINK_ROUTE, ... */
	uint32_t portid;	/* ours, as the kernel assigned it at bind */
	uint32_t seq;		/* next request sequence number (random start) */
};

/* Who sent a datagram: from the sockaddr_nl and SCM_CREDENTIALS. */
struct nl_from {
	uint32_t portid;	/* 0 = the kernel */
	uint32_t groups;	/* multicast group mask it was sent to */
	int has_cred;		/* SO_PASSCRED on and credentials came */
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

#define NL_NONBLOCK 1

/* socket(AF_NETLINK, proto) bound to the group mask `groups` (bit n-1 =
 * group n), close-on-exec, non-blocking with NL_NONBLOCK.  The kernel picks
 * the portid; s->seq starts at a random value. */
int nl_open(struct nl_sock *s, int proto, uint32_t groups, int flags);
void nl_close(struct nl_sock *s);

/* NETLINK_ADD_MEMBERSHIP / DROP_MEMBERSHIP for group numbers > 32 too. */
int nl_join(struct nl_sock *s, unsigned group);
int nl_leave(struct nl_sock *s, unsigned group);

/* SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores rmem_max), falling back to
 * SO_RCVBUF.  Returns the size the kernel reports afterwards. */
int nl_set_rcvbuf(struct nl_sock *s, int bytes);
int nl_set_passcred(struct nl_sock *s, int on);

/* Receive one datagram into buf.  Returns its length, or
 *   -EAGAIN   nothing to read (non-blocking socket)
 *   -ENOBUFS  the kernel dropped messages: state must be resynced
 *   -EMSGSIZE the datagram was longer than len (MSG_TRUNC); it is consumed
 * EINTR is retried.  `from` may be NULL. */
ssize_t nl_recv(struct nl_sock *s, void *buf, size_t len, struct nl_from *from);

/* Send buf to portid (0 = kernel) and/or the group mask.  The kernel
 * attaches our credentials itself (scm_send), so receivers with
 * SO_PASSCRED see our pid/uid/gid without an explicit SCM_CREDENTIALS. */
ssize_t nl_send(struct nl_sock *s, const void *buf, size_t len,
		uint32_t portid, uint32_t groups);

/* Attach a classic BPF program (SO_ATTACH_FILTER). */
int nl_attach_filter(struct nl_sock *s, const struct sock_filter *prog,
		     unsigned short len);

#endif
