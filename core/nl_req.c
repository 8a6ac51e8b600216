/* nl_req.c — request/reply exchange with seq/portid validation, multipart,
 * ACK/error with extended ack, DUMP_INTR (contract in nl_req.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "nl_msg.h"
#include "nl_req.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

void nl_reply_init(struct nl_reply *r, const struct nlmsghdr *req, uint32_t portid)
{
	memset(r, 0, sizeof *r);
	r->seq = req->nlmsg_seq;
	r->portid = portid;
	r->dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	r->want_ack = !r->dump && (req->nlmsg_flags & NLM_F_ACK);
}

/* Copy NLMSGERR_ATTR_MSG out of the TLVs that follow an error/DONE. */
static void take_extack(struct nl_reply *r, const void *tlv, size_t len)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *m;

	if (nl_attr_parse(tlv, len, tb, NLMSGERR_ATTR_MAX) < 0)
		return;		/* a bad TLV only loses the message text */
	m = nl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (m) {
		strncpy(r->extack, m, sizeof r->extack - 1);
		r->extack[sizeof r->extack - 1] = 0;
	}
}

/* NLMSG_ERROR: struct nlmsgerr, then (unless NLM_F_CAPPED) the rest of the
 * offending request, then TLVs when NLM_F_ACK_TLVS.
 * kernel: net/netlink/af_netlink.c:netlink_ack */
static int on_error(struct nl_reply *r, const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh + NLMSG_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN, off;
	struct nlmsgerr e;

	if (len < sizeof e.error)
		return -EBADMSG;
	memcpy(&e.error, p, sizeof e.error);
	if (e.error > 0 || e.error < -4095)
		return -EBADMSG;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len >= sizeof e) {
		memcpy(&e.msg, p + sizeof e.error, sizeof e.msg);
		if (nlh->nlmsg_flags & NLM_F_CAPPED)
			off = sizeof e;
		else if (e.msg.nlmsg_len < NLMSG_HDRLEN)
			off = len;	/* lying echo: skip the TLVs */
		else
			off = sizeof e.error + NLMSG_ALIGN((size_t)e.msg.nlmsg_len);
		if (off < len)
			take_extack(r, p + off, len - off);
	}
	return e.error ? e.error : 1;
}

/* NLMSG_DONE: an int (0 or -errno of a failed dump), then TLVs. */
static int on_done(struct nl_reply *r, const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh + NLMSG_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
	int err = 0;

	if (len >= sizeof err) {
		memcpy(&err, p, sizeof err);
		if (err > 0 || err < -4095)
			err = -EBADMSG;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > NLMSG_ALIGN(sizeof err))
			take_extack(r, p + NLMSG_ALIGN(sizeof err), len - NLMSG_ALIGN(sizeof err));
	}
	if (err)
		return err;
	return r->dump_intr ? -EINTR : 1;
}

int nl_reply_feed(struct nl_reply *r, const void *buf, size_t len,
		  uint32_t from_portid, nl_reply_cb cb, void *arg)
{
	struct nl_msg_iter it;
	const struct nlmsghdr *nlh;
	int ret;

	if (from_portid != 0) {
		/* a userspace process, not the kernel: ignore it entirely */
		r->dropped++;
		return 0;
	}
	nl_msg_iter_init(&it, buf, len);
	while ((nlh = nl_msg_next(&it))) {
		if (nlh->nlmsg_seq != r->seq || nlh->nlmsg_pid != r->portid) {
			r->dropped++;
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			r->dump_intr = 1;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			ret = on_error(r, nlh);
			if (ret == 1 && r->dump_intr)
				ret = -EINTR;
			return ret;
		case NLMSG_DONE:
			return on_done(r, nlh);
		}
		r->msgs++;
		if (cb && (ret = cb(nlh, arg)) < 0)
			return ret;
		/* a single (non-multipart) reply ends a non-dump request
		 * unless it also asked for an ACK */
		if (!(nlh->nlmsg_flags & NLM_F_MULTI) && !r->dump && !r->want_ack)
			return r->dump_intr ? -EINTR : 1;
	}
	return it.err;
}

int nl_req_setup(struct nl_sock *s)
{
	int on = 1;

	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) < 0)
		return -errno;
	/* errors then echo only the header of our request, not all of it */
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on) < 0)
		return -errno;
	return 0;
}

int nl_request(struct nl_sock *s, void *req, void *rbuf, size_t rlen,
	       int timeout_ms, struct nl_reply *r, nl_reply_cb cb, void *arg)
{
	struct nlmsghdr *nlh = req;
	struct nl_reply local;
	struct nl_from from;
	struct pollfd pfd;
	ssize_t n;
	int ret;

	if (!r)
		r = &local;
	nlh->nlmsg_seq = s->seq++;
	nlh->nlmsg_pid = 0;
	nl_reply_init(r, nlh, s->portid);
	n = nl_send(s, req, nlh->nlmsg_len, 0, 0);
	if (n < 0)
		return (int)n;
	for (;;) {
		n = nl_recv(s, rbuf, rlen, &from);
		if (n == -EAGAIN) {
			/* non-blocking socket: wait, bounded */
			pfd.fd = s->fd;
			pfd.events = POLLIN;
			ret = poll(&pfd, 1, timeout_ms);
			if (ret < 0 && errno != EINTR)
				return -errno;
			if (ret == 0)
				return -ETIMEDOUT;
			continue;
		}
		if (n < 0)
			return (int)n;	/* -ENOBUFS: part of the reply is lost */
		ret = nl_reply_feed(r, rbuf, (size_t)n, from.portid, cb, arg);
		if (ret)
			return ret;
	}
}
