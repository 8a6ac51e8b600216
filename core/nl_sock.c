/* nl_sock.c — netlink socket plumbing shared by every applet: open and bind,
 * groups, buffer sizing, credentials, one-datagram receive with the
 * sender's address, send, BPF.  Returns >= 0 or -errno; never prints. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nl_sock.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static uint32_t random_seq(void)
{
	uint32_t v;
	struct timespec ts;

	if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v)
		return v;
	/* early boot without entropy: a sequence need only differ from the
	 * last run's, not be secret */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
}

int nl_open(struct nl_sock *s, int proto, uint32_t groups, int flags)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	socklen_t salen = sizeof sa;
	int type = SOCK_RAW | SOCK_CLOEXEC | ((flags & NL_NONBLOCK) ? SOCK_NONBLOCK : 0);
	int err;

	s->fd = socket(AF_NETLINK, type, proto);
	if (s->fd < 0)
		return -errno;
	s->proto = proto;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
		err = -errno;
		nl_close(s);
		return err;
	}
	s->portid = sa.nl_pid;
	s->seq = random_seq();
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof val) < 0 ? -errno : 0;
}

int nl_join(struct nl_sock *s, unsigned group)
{
	return setopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, (int)group);
}

int nl_leave(struct nl_sock *s, unsigned group)
{
	return setopt(s->fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, (int)group);
}

int nl_set_rcvbuf(struct nl_sock *s, int bytes)
{
	int got = 0;
	socklen_t len = sizeof got;

	/* RCVBUFFORCE passes net.core.rmem_max but needs CAP_NET_ADMIN; the
	 * plain option is capped silently, so read back what we got. */
	if (setopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes) < 0 &&
	    setopt(s->fd, SOL_SOCKET, SO_RCVBUF, bytes) < 0)
		return -errno;
	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &got, &len) < 0)
		return -errno;
	return got;
}

int nl_set_passcred(struct nl_sock *s, int on)
{
	return setopt(s->fd, SOL_SOCKET, SO_PASSCRED, !!on);
}

ssize_t nl_recv(struct nl_sock *s, void *buf, size_t len, struct nl_from *from)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, len };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof sa,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf,
	};
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(s->fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (from) {
		memset(from, 0, sizeof *from);
		if (mh.msg_namelen >= sizeof sa) {
			from->portid = sa.nl_pid;
			from->groups = sa.nl_groups;
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			struct ucred cr;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS ||
			    c->cmsg_len < CMSG_LEN(sizeof cr))
				continue;
			memcpy(&cr, CMSG_DATA(c), sizeof cr);
			from->has_cred = 1;
			from->pid = cr.pid;
			from->uid = cr.uid;
			from->gid = cr.gid;
		}
	}
	return n;
}

ssize_t nl_send(struct nl_sock *s, const void *buf, size_t len,
		uint32_t portid, uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = portid, .nl_groups = groups };
	ssize_t n;

	do
		n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof sa);
	while (n < 0 && errno == EINTR);
	/* A multicast is also offered to the kernel's own socket (portid 0);
	 * protocols whose kernel side takes no input (uevent, usersock)
	 * answer ECONNREFUSED after the group delivery has happened.
	 * kernel: net/netlink/af_netlink.c:netlink_sendmsg */
	if (n < 0 && errno == ECONNREFUSED && portid == 0 && groups)
		return (ssize_t)len;
	return n < 0 ? -errno : n;
}

int nl_attach_filter(struct nl_sock *s, const struct sock_filter *prog, unsigned short len)
{
	struct sock_fprog fp = { .len = len, .filter = (struct sock_filter *)prog };

	if (setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) < 0)
		return -errno;
	return 0;
}
