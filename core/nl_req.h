/* nl_req.h — rtnetlink-style request/reply over a struct nl_sock.
 *
 * One request at a time per socket: nl_request() stamps the message with
 * the socket's next sequence number, sends it to the kernel and reads the
 * replies until the exchange is complete.  Only replies that come from the
 * kernel (sender portid 0) AND carry exactly our seq AND our portid are
 * accepted; everything else (stale replies of an earlier request that was
 * abandoned, multicast) is dropped and counted in r->dropped.
 *
 * The validation is a pure function, nl_reply_feed(): datagram bytes +
 * sender portid in, verdict out — unit tests drive it without a socket.
 *
 * Results (nl_reply_feed returns 0 = need more datagrams, otherwise):
 *   1          complete: NLMSG_DONE of a dump, the ACK (NLMSG_ERROR with
 *              error 0), or the single reply of a non-dump request
 *   -EINTR     complete, but some reply carried NLM_F_DUMP_INTR: the dump
 *              raced with a change and may be inconsistent — retry it
 *   -errno     the kernel's error (NLMSG_ERROR, or a negative NLMSG_DONE
 *              payload); r->extack holds its extended-ack message if any
 *   -EBADMSG   malformed reply (bad framing, short NLMSG_ERROR)
 *   other <0   returned by the per-message callback, which stops the walk
 *
 * kernel: net/netlink/af_netlink.c:netlink_ack, netlink_dump_done.
 */
#ifndef UEVBOX_NL_REQ_H
#define UEVBOX_NL_REQ_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "nl_sock.h"

#define NL_EXTACK_MAX 128

struct nl_reply {
	uint32_t seq;		/* expected nlmsg_seq */
	uint32_t portid;	/* expected nlmsg_pid: our socket's portid */
	int dump;		/* request had NLM_F_DUMP: wait for NLMSG_DONE */
	int want_ack;		/* request had NLM_F_ACK (non-dump): wait for ACK */
	int dump_intr;		/* NLM_F_DUMP_INTR seen */
	unsigned dropped;	/* datagrams/messages not ours */
	unsigned msgs;		/* data messages handed to the callback */
	char extack[NL_EXTACK_MAX];	/* NLMSGERR_ATTR_MSG, "" if none */
};

/* Called for each accepted data message (not NOOP/ERROR/DONE); a negative
 * return aborts the exchange with that value. */
typedef int (*nl_reply_cb)(const struct nlmsghdr *nlh, void *arg);

/* Prepare r for a request whose header is req (seq, flags are read). */
void nl_reply_init(struct nl_reply *r, const struct nlmsghdr *req, uint32_t portid);

/* Feed one received datagram (pure; see the results above). */
int nl_reply_feed(struct nl_reply *r, const void *buf, size_t len,
		  uint32_t from_portid, nl_reply_cb cb, void *arg);

/* Ask the kernel for extended acks (NETLINK_EXT_ACK) and capped error
 * replies (NETLINK_CAP_ACK).  0 or -errno. */
int nl_req_setup(struct nl_sock *s);

/* Send the request in req (nlmsg_len already set, e.g. from nl_mb_end),
 * with seq = s->seq++ and pid 0, and process replies with cb until
 * complete, reading into rbuf (4-byte aligned, >= 8 KiB recommended; a
 * truncated datagram is -EMSGSIZE).  On a non-blocking socket it waits at
 * most timeout_ms for each datagram (-ETIMEDOUT); a blocking socket waits
 * in recvmsg without a limit.  -ENOBUFS: replies were lost, ask again.  Returns as nl_reply_feed, never 0; r may be NULL
 * when the caller needs neither extack nor counters. */
int nl_request(struct nl_sock *s, void *req, void *rbuf, size_t rlen,
	       int timeout_ms, struct nl_reply *r, nl_reply_cb cb, void *arg);

#endif
