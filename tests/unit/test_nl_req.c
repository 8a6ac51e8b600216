/* test_nl_req.c — reply validation without a socket: wrong seq, wrong
 * portid, foreign senders, multipart, DONE, ERROR/ACK, extended ack
 * messages, DUMP_INTR, truncated and lying replies. */
#include <errno.h>
#include <string.h>

#include "nl_msg.h"
#include "nl_req.h"
#include "unit.h"

#define SEQ 0x1234
#define PORT 777

static uint32_t dg[512];	/* one datagram under construction (aligned) */
static size_t dlen;

/* append one message: header fields + payload bytes, padded */
static void add(uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid,
		const void *payload, size_t plen)
{
	struct nlmsghdr h = { (uint32_t)(NLMSG_HDRLEN + plen), type, flags, seq, pid };
	unsigned char *p = (unsigned char *)dg + dlen;

	memcpy(p, &h, sizeof h);
	memcpy(p + NLMSG_HDRLEN, payload, plen);
	memset(p + NLMSG_HDRLEN + plen, 0, NLMSG_ALIGN(plen) - plen);
	dlen += NLMSG_HDRLEN + NLMSG_ALIGN(plen);
}
#define ADD(t, f, s, p, lit) add((t), (f), (s), (p), (lit), sizeof(lit) - 1)

static void start(void)
{
	memset(dg, 0, sizeof dg);
	dlen = 0;
}

static struct nl_reply dump_reply(void)
{
	struct nlmsghdr req = { 20, 18, NLM_F_REQUEST | NLM_F_DUMP, SEQ, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	return r;
}

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

TEST(req_init_flags)
{
	struct nlmsghdr req = { 20, 18, NLM_F_REQUEST | NLM_F_ACK, 5, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	CHECK_INT(r.seq, 5);
	CHECK_INT(r.portid, PORT);
	CHECK_INT(r.dump, 0);
	CHECK_INT(r.want_ack, 1);
	r = dump_reply();
	CHECK_INT(r.dump, 1);
	CHECK_INT(r.want_ack, 0);
}

TEST(req_multipart_until_done)
{
	struct nl_reply r = dump_reply();
	int n = 0;

	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "aaaa");
	ADD(16, NLM_F_MULTI, SEQ, PORT, "bbbb");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 0);	/* not yet */
	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "cccc");
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 1);
	CHECK_INT(n, 3);
	CHECK_INT(r.msgs, 3);
	CHECK_INT(r.dropped, 0);
}

TEST(req_wrong_seq_and_portid_dropped)
{
	struct nl_reply r = dump_reply();
	int n = 0;

	start();
	ADD(16, NLM_F_MULTI, SEQ - 1, PORT, "old!");	/* an earlier request's */
	ADD(16, NLM_F_MULTI, SEQ, PORT + 1, "them");	/* another socket's */
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ + 1, PORT, "\0\0\0\0");	/* not our DONE */
	ADD(16, NLM_F_MULTI, SEQ, PORT, "ours");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(r.dropped, 3);
	start();
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 1);
}

TEST(req_foreign_sender_dropped)
{
	struct nl_reply r = dump_reply();
	int n = 0;

	/* perfect-looking DONE, but sent by portid 4242, not the kernel */
	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "fake");
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 4242, count_cb, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(r.dropped, 1);
}

TEST(req_ack)
{
	struct nlmsghdr req = { 20, 16, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	start();
	/* error 0 + the echoed request header (capped) */
	ADD(NLMSG_ERROR, NLM_F_CAPPED, SEQ, PORT,
	    "\0\0\0\0" "\x14\0\0\0\x10\0\x05\0\x34\x12\0\0\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), 1);
	CHECK_STR(r.extack, "");
}

TEST(req_error_with_extack_capped)
{
	struct nlmsghdr req = { 20, 20, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	start();
	/* -EEXIST (0xffffffef), echoed header, TLV NLMSGERR_ATTR_MSG */
	ADD(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORT,
	    "\xef\xff\xff\xff" "\x14\0\0\0\x14\0\x05\0\x34\x12\0\0\0\0\0\0"
	    "\x10\0\x01\0" "File exists\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EEXIST);
	CHECK_STR(r.extack, "File exists");
}

TEST(req_error_with_extack_uncapped)
{
	struct nlmsghdr req = { 20, 20, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	start();
	/* -EINVAL, the whole 20-byte request echoed, then the message */
	ADD(NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, PORT,
	    "\xea\xff\xff\xff" "\x14\0\0\0\x14\0\x05\0\x34\x12\0\0\0\0\0\0" "\x02\x18\0\0"
	    "\x0c\0\x01\0" "bad dev\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EINVAL);
	CHECK_STR(r.extack, "bad dev");
}

TEST(req_error_lying_echo)
{
	struct nlmsghdr req = { 20, 20, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0 };
	struct nl_reply r;

	nl_reply_init(&r, &req, PORT);
	/* the echoed request claims 0x7fff bytes: TLVs must not be looked
	 * for past the message, the error still counts */
	start();
	ADD(NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, PORT,
	    "\xea\xff\xff\xff" "\xff\x7f\0\0\x14\0\x05\0\x34\x12\0\0\0\0\0\0" "\x0c\0\x01\0" "bad dev\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EINVAL);
	CHECK_STR(r.extack, "");
	/* a TLV whose nla_len lies: message lost, error kept */
	nl_reply_init(&r, &req, PORT);
	start();
	ADD(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORT,
	    "\xea\xff\xff\xff" "\x14\0\0\0\x14\0\x05\0\x34\x12\0\0\0\0\0\0" "\x40\0\x01\0" "bad dev\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EINVAL);
	CHECK_STR(r.extack, "");
	/* a message attribute without its NUL */
	nl_reply_init(&r, &req, PORT);
	start();
	ADD(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORT,
	    "\xea\xff\xff\xff" "\x14\0\0\0\x14\0\x05\0\x34\x12\0\0\0\0\0\0" "\x08\0\x01\0" "badd");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EINVAL);
	CHECK_STR(r.extack, "");
}

TEST(req_error_short_or_bogus)
{
	struct nl_reply r = dump_reply();

	start();
	ADD(NLMSG_ERROR, 0, SEQ, PORT, "\xea\xff");	/* 2 bytes: no int */
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EBADMSG);
	r = dump_reply();
	start();
	ADD(NLMSG_ERROR, 0, SEQ, PORT, "\x05\0\0\0");	/* positive "error" */
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EBADMSG);
}

TEST(req_dump_intr)
{
	struct nl_reply r = dump_reply();
	int n = 0;

	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "aaaa");
	ADD(16, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, PORT, "bbbb");
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), -EINTR);
	CHECK_INT(r.dump_intr, 1);
	CHECK_INT(n, 2);	/* all delivered; the caller decides to retry */
	/* the flag on DONE itself */
	r = dump_reply();
	start();
	ADD(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -EINTR);
}

TEST(req_done_with_error)
{
	struct nl_reply r = dump_reply();

	/* a dump that failed half way: DONE carries -ENOBUFS + message */
	start();
	ADD(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, SEQ, PORT,
	    "\x97\xff\xff\xff" "\x0c\0\x01\0" "no room\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), -ENOBUFS);
	CHECK_STR(r.extack, "no room");
	/* DONE without payload (old kernels) is a plain end */
	r = dump_reply();
	start();
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, NULL, NULL), 1);
}

TEST(req_truncated)
{
	struct nl_reply r = dump_reply();
	int n = 0;

	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "aaaaaaaa");
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	/* cut in the middle of DONE */
	CHECK_INT(nl_reply_feed(&r, dg, dlen - 6, 0, count_cb, &n), -EBADMSG);
	CHECK_INT(n, 1);
	/* first message claims more than the datagram holds */
	r = dump_reply();
	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "aaaa");
	dg[0] = 0x400;
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), -EBADMSG);
}

static int stop_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return -ECANCELED;
}

TEST(req_callback_stops)
{
	struct nl_reply r = dump_reply();

	start();
	ADD(16, NLM_F_MULTI, SEQ, PORT, "aaaa");
	ADD(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, "\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, stop_cb, NULL), -ECANCELED);
}

TEST(req_single_reply)
{
	struct nlmsghdr req = { 20, 18, NLM_F_REQUEST, SEQ, 0 };
	struct nl_reply r;
	int n = 0;

	/* a GET of one object: one message without NLM_F_MULTI ends it */
	nl_reply_init(&r, &req, PORT);
	start();
	ADD(NLMSG_NOOP, 0, SEQ, PORT, "");
	ADD(16, 0, SEQ, PORT, "link");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 1);
	CHECK_INT(n, 1);
	/* with NLM_F_ACK it waits for the ACK after the reply */
	req.nlmsg_flags |= NLM_F_ACK;
	nl_reply_init(&r, &req, PORT);
	start();
	ADD(16, 0, SEQ, PORT, "link");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 0);
	start();
	ADD(NLMSG_ERROR, NLM_F_CAPPED, SEQ, PORT,
	    "\0\0\0\0" "\x14\0\0\0\x10\0\x05\0\x34\x12\0\0\0\0\0\0");
	CHECK_INT(nl_reply_feed(&r, dg, dlen, 0, count_cb, &n), 1);
}
