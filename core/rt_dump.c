/* rt_dump.c — dumps through nl_request() into rt_state, the multicast
 * groups matching a selection, and entering a named netns (contract in
 * rt_dump.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "nl_msg.h"
#include "rt_dump.h"

#define DUMP_TIMEOUT_MS 5000

static int add_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rt_state *st = arg;

	if (rt_state_add(st, nlh) < 0)
		st->bad++;	/* one bad message must not hide the rest */
	return 0;
}

/* One dump request: type with a family header whose first byte is the
 * family (true of ifinfomsg, ifaddrmsg, rtmsg, fib_rule_hdr). */
static int dump_one(struct nl_sock *s, struct rt_state *st, uint16_t type, size_t hdrlen,
		    uint8_t family, void *rbuf, size_t rlen, struct nl_reply *r)
{
	uint32_t req[64];	/* aligned request buffer */
	unsigned char hdr[32] = { 0 };
	struct nl_mb b;

	hdr[0] = family;
	nl_mb_init(&b, req, sizeof req, type, NLM_F_REQUEST | NLM_F_DUMP);
	nl_mb_put(&b, hdr, hdrlen);
	if (nl_mb_end(&b) < 0)
		return -EMSGSIZE;
	return nl_request(s, req, rbuf, rlen, DUMP_TIMEOUT_MS, r, add_cb, st);
}

/* What each group dumps, in this order; per_family: once for each of
 * RT_FAM_4, RT_FAM_6 that is asked for (links and addresses come in one
 * dump of all families).  Links always: addresses and routes need names. */
static const struct {
	unsigned group;		/* RT_G_*, 0 = always */
	uint16_t type;
	uint8_t hdrlen, per_family;
} dumps[] = {
	{ 0, RTM_GETLINK, sizeof(struct ifinfomsg), 0 },
	{ RT_G_ADDR, RTM_GETADDR, sizeof(struct ifaddrmsg), 0 },
	{ RT_G_ROUTE, RTM_GETROUTE, sizeof(struct rtmsg), 1 },
	{ RT_G_RULE, RTM_GETRULE, sizeof(struct fib_rule_hdr), 1 },
};

static int dump_all(struct nl_sock *s, struct rt_state *st, unsigned groups,
		    unsigned families, void *rbuf, size_t rlen, struct nl_reply *r)
{
	static const uint8_t fams[2] = { AF_INET, AF_INET6 };
	unsigned d, i;
	int ret;

	rt_state_clear(st);
	for (d = 0; d < sizeof dumps / sizeof *dumps; d++) {
		if (dumps[d].group && !(groups & dumps[d].group))
			continue;
		for (i = 0; i < 2; i++) {
			if (dumps[d].per_family && !(families & (1u << i)))
				continue;
			ret = dump_one(s, st, dumps[d].type, dumps[d].hdrlen,
				       dumps[d].per_family ? fams[i] : AF_UNSPEC, rbuf, rlen, r);
			if (ret < 0)
				return ret;
			if (!dumps[d].per_family)
				break;
		}
	}
	return 0;
}

int rt_dump(struct nl_sock *s, struct rt_state *st, unsigned groups, unsigned families,
	    void *rbuf, size_t rlen, struct nl_reply *r)
{
	int ret = -EINTR, tries;

	/* an interrupted dump mixes before and after: start over */
	for (tries = 0; tries < RT_DUMP_RETRIES && ret == -EINTR; tries++)
		ret = dump_all(s, st, groups, families, rbuf, rlen, r);
	return ret;
}

unsigned rt_mcast_groups(unsigned groups, unsigned families, unsigned *out, unsigned max)
{
	static const struct { uint8_t group, family, nlgrp; } map[] = {
		{ RT_G_ADDR, RT_FAM_4, RTNLGRP_IPV4_IFADDR },
		{ RT_G_ADDR, RT_FAM_6, RTNLGRP_IPV6_IFADDR },
		{ RT_G_ROUTE, RT_FAM_4, RTNLGRP_IPV4_ROUTE },
		{ RT_G_ROUTE, RT_FAM_6, RTNLGRP_IPV6_ROUTE },
		{ RT_G_RULE, RT_FAM_4, RTNLGRP_IPV4_RULE },
		{ RT_G_RULE, RT_FAM_6, RTNLGRP_IPV6_RULE },
	};
	unsigned n = 0, i;

	/* links always: an interface going away takes its addresses and
	 * routes with it, and renames change what -i/-x match */
	if (n < max)
		out[n++] = RTNLGRP_LINK;
	for (i = 0; i < sizeof map / sizeof *map && n < max; i++)
		if ((groups & map[i].group) && (families & map[i].family))
			out[n++] = map[i].nlgrp;
	return n;
}

int rt_netns_enter(const char *name)
{
	char path[256];
	int fd, ret = 0;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	if ((size_t)snprintf(path, sizeof path, "/run/netns/%s", name) >= sizeof path)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* kernel: kernel/nsproxy.c:setns — needs CAP_SYS_ADMIN */
	if (setns(fd, CLONE_NEWNET) < 0)
		ret = -errno;
	close(fd);
	return ret;
}
