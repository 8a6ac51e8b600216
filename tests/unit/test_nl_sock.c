/* test_nl_sock.c — netlink socket plumbing on NETLINK_USERSOCK, where two
 * of our own sockets can talk unicast without root: sender address,
 * truncation, the "resync needed" overflow result, and BPF filters. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "unit.h"
#include "nl_sock.h"

static int pair(struct nl_sock *a, struct nl_sock *b)
{
	if (nl_open(a, NETLINK_USERSOCK, 0, NL_NONBLOCK) < 0)
		return -1;
	if (nl_open(b, NETLINK_USERSOCK, 0, NL_NONBLOCK) < 0) {
		nl_close(a);
		return -1;
	}
	return 0;
}

TEST(nl_sock_send_recv_from)
{
	struct nl_sock a, b;
	struct nl_from from;
	char buf[64];

	if (!CHECK(pair(&a, &b) == 0))
		return;
	CHECK(a.portid != 0 && b.portid != 0 && a.portid != b.portid);
	CHECK_INT(nl_send(&a, "hello", 5, b.portid, 0), 5);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, &from), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_INT(from.portid, a.portid);
	CHECK_INT(from.groups, 0);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, &from), -EAGAIN);
	nl_close(&a);
	nl_close(&b);
	CHECK_INT(a.fd, -1);
}

TEST(nl_sock_credentials)
{
	struct nl_sock a, b;
	struct nl_from from;
	char buf[64];

	if (!CHECK(pair(&a, &b) == 0))
		return;
	CHECK_INT(nl_set_passcred(&b, 1), 0);
	CHECK_INT(nl_send(&a, "x", 1, b.portid, 0), 1);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, &from), 1);
	CHECK(from.has_cred);
	CHECK_INT(from.uid, getuid());
	nl_close(&a);
	nl_close(&b);
}

TEST(nl_sock_truncated_is_error)
{
	struct nl_sock a, b;
	char buf[4];

	if (!CHECK(pair(&a, &b) == 0))
		return;
	CHECK_INT(nl_send(&a, "too long", 8, b.portid, 0), 8);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), -EMSGSIZE);
	/* the datagram was consumed, not left half-read */
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), -EAGAIN);
	nl_close(&a);
	nl_close(&b);
}

/* Multicast is where the kernel reports overruns to the reader (for
 * unicast it makes the sender wait or fail instead): as for uevents.
 * kernel: net/netlink/af_netlink.c:netlink_broadcast_deliver */
TEST(nl_sock_overflow_is_enobufs)
{
	struct nl_sock a, b;
	static char big[2048], buf[4096];
	int i;

	if (getuid() != 0)
		SKIP("multicast on NETLINK_USERSOCK needs root");
	if (!CHECK(nl_open(&b, NETLINK_USERSOCK, 1, NL_NONBLOCK) == 0))
		return;
	if (!CHECK(nl_open(&a, NETLINK_USERSOCK, 0, NL_NONBLOCK) == 0))
		return;
	CHECK(nl_set_rcvbuf(&b, 4096) > 0);
	for (i = 0; i < 16; i++)
		nl_send(&a, big, sizeof big, 0, 1);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), -ENOBUFS);
	/* after the report, what was queued is still readable */
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), sizeof big);
	nl_close(&a);
	nl_close(&b);
}

TEST(nl_sock_rcvbuf_reports_size)
{
	struct nl_sock a;
	int got;

	if (!CHECK(nl_open(&a, NETLINK_USERSOCK, 0, 0) == 0))
		return;
	got = nl_set_rcvbuf(&a, 1 << 20);
	/* the kernel doubles the request; without privilege it may cap it */
	CHECK(got >= 4096);
	nl_close(&a);
}

TEST(nl_sock_bpf_filter)
{
	struct nl_sock a, b;
	char buf[64];
	/* accept only datagrams whose first byte is 'k' */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 'k', 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter bad[] = { BPF_STMT(BPF_JMP | BPF_JA, 5) };

	if (!CHECK(pair(&a, &b) == 0))
		return;
	CHECK_INT(nl_attach_filter(&b, prog, 4), 0);
	nl_send(&a, "drop me", 7, b.portid, 0);
	nl_send(&a, "keep me", 7, b.portid, 0);
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), 7);
	CHECK(!memcmp(buf, "keep me", 7));
	CHECK_INT(nl_recv(&b, buf, sizeof buf, NULL), -EAGAIN);
	CHECK_INT(nl_attach_filter(&b, bad, 1), -EINVAL);
	nl_close(&a);
	nl_close(&b);
}

TEST(nl_sock_groups)
{
	struct nl_sock a;

	CHECK(nl_open(&a, 9999, 0, 0) < 0);	/* no such protocol */
	if (getuid() != 0)
		SKIP("joining NETLINK_USERSOCK groups needs root");
	if (!CHECK(nl_open(&a, NETLINK_USERSOCK, 0, 0) == 0))
		return;
	CHECK_INT(nl_join(&a, 2), 0);
	CHECK_INT(nl_leave(&a, 2), 0);
	CHECK_INT(nl_join(&a, 40), -EINVAL);	/* usersock has 32 groups */
	nl_close(&a);
}
