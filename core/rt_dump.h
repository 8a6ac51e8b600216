/* rt_dump.h — the syscall side of rt_state: dump links, addresses, default
 * routes and rules from the kernel into a struct rt_state, and enter a
 * named network namespace.  Never prints, never exits; returns 0 or -errno.
 */
#ifndef UEVBOX_RT_DUMP_H
#define UEVBOX_RT_DUMP_H

#include <stddef.h>

#include "nl_req.h"
#include "nl_sock.h"
#include "rt_state.h"

/* How many times a dump that came back with NLM_F_DUMP_INTR is restarted
 * before rt_dump gives up with -EINTR. */
#define RT_DUMP_RETRIES 8

/* Replace st with a fresh dump of `groups` (RT_G_*; links are always
 * dumped, addresses and routes need their names) for `families`
 * (RT_FAM_*) over the request socket s (NETLINK_ROUTE, no groups).
 * rbuf (4-byte aligned, 32 KiB is enough for any dump datagram) receives
 * the replies.  r, if not NULL, gets the last exchange's extack/counters.
 * Malformed messages are skipped and counted in st->bad.  Returns 0,
 * -EINTR after RT_DUMP_RETRIES inconsistent dumps, or -errno. */
int rt_dump(struct nl_sock *s, struct rt_state *st, unsigned groups, unsigned families,
	    void *rbuf, size_t rlen, struct nl_reply *r);

/* The multicast groups (RTNLGRP_*) to join for these groups/families;
 * writes at most max numbers to out and returns how many. */
unsigned rt_mcast_groups(unsigned groups, unsigned families, unsigned *out, unsigned max);

/* setns() into /run/netns/NAME (as `ip netns add` creates it).  -EINVAL
 * for a name with '/' or "."/"..", else 0 or -errno. */
int rt_netns_enter(const char *name);

#endif
