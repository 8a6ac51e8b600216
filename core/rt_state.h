/* rt_state.h — rtnetlink state for netwatch: parse link/address/route/rule
 * messages into a compact state, reduce it to the "interesting" summary,
 * compare two summaries.  Everything here is pure (bytes in, structs out):
 * the dump syscalls live in rt_dump.c, formatting for monitor output in
 * rt_fmt.c.  Never prints, never exits.
 *
 * Interesting (what a network bring-up script cares about):
 *   - links that are administratively up (IFF_UP), not loopback, and
 *     whether they have carrier (IFF_LOWER_UP);
 *   - routable addresses: not loopback (127/8, ::1), not IPv4 link-local
 *     (169.254/16), IPv6 only global unicast (2000::/3) or ULA (fc00::/7),
 *     never fe80::/10, multicast or unspecified; IPv6 addresses still
 *     tentative or with failed DAD do not count yet;
 *   - the interface of the default route of each family (main table,
 *     unicast, lowest metric);
 *   - have_v4 / have_v6: a routable address of that family and, when
 *     routes are watched, a default route of that family;
 *   - with rules watched: the number of rules and a hash of their content.
 *
 * kernel: include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h.
 */
#ifndef UEVBOX_RT_STATE_H
#define UEVBOX_RT_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/if.h>	/* IFNAMSIZ; not <net/if.h>: the two clash */
#include <linux/netlink.h>

#define RT_MAX_LINKS 256
#define RT_MAX_ADDRS 512
#define RT_MAX_DEFS 32

/* Groups of state (the -l -a -r -R options) and families (-4 -6). */
#define RT_G_LINK  1u
#define RT_G_ADDR  2u
#define RT_G_ROUTE 4u
#define RT_G_RULE  8u
#define RT_FAM_4   1u
#define RT_FAM_6   2u

struct rt_link {
	int32_t ifindex;
	uint32_t flags;		/* IFF_* */
	uint32_t mtu;
	uint8_t operstate;	/* IF_OPER_* */
	char name[IFNAMSIZ];
};

struct rt_addr {
	int32_t ifindex;
	uint8_t family, prefixlen, scope;
	uint32_t flags;		/* IFA_F_*, from IFA_FLAGS when present */
	uint8_t addr[16];	/* IFA_LOCAL (v4) / IFA_ADDRESS */
	char label[IFNAMSIZ];	/* IFA_LABEL, "" if none */
};

struct rt_route {
	uint8_t family, dst_len, src_len, tos;
	uint8_t protocol, scope, type;
	uint32_t table;		/* RTA_TABLE, else rtm_table */
	uint32_t flags;		/* rtm_flags */
	int32_t oif;		/* RTA_OIF or the first nexthop's */
	uint32_t metric;	/* RTA_PRIORITY */
	uint8_t has_dst, has_gw, has_prefsrc, has_metric;
	uint8_t pref;		/* RTA_PREF (IPv6), 0xff if absent */
	uint8_t dst[16], gw[16], prefsrc[16];
};

struct rt_state {
	unsigned n_links, n_addrs, n_defs;
	unsigned overflow;	/* entries that did not fit the arrays */
	unsigned bad;		/* malformed messages skipped (rt_dump) */
	unsigned n_rules;
	uint64_t rules_hash;
	struct rt_link links[RT_MAX_LINKS];
	struct rt_addr addrs[RT_MAX_ADDRS];
	struct rt_route defs[RT_MAX_DEFS];	/* default routes only */
};

/* Parse one RTM_{NEW,DEL}{LINK,ADDR,ROUTE} message.  0 or -EBADMSG
 * (wrong type, short header, bad attributes, missing name/address). */
int rt_parse_link(const struct nlmsghdr *nlh, struct rt_link *l);
int rt_parse_addr(const struct nlmsghdr *nlh, struct rt_addr *a);
int rt_parse_route(const struct nlmsghdr *nlh, struct rt_route *r);

void rt_state_clear(struct rt_state *st);
/* Add one dumped RTM_NEW* message to the state.  Returns 1 if recorded,
 * 0 if not relevant (e.g. a non-default route), -EBADMSG if malformed;
 * entries beyond the fixed limits are counted in st->overflow. */
int rt_state_add(struct rt_state *st, const struct nlmsghdr *nlh);
const struct rt_link *rt_state_link(const struct rt_state *st, int32_t ifindex);

/* Is this address routable in the sense above? */
int rt_addr_routable(const struct rt_addr *a);
/* A default route of the main table that sends packets somewhere? */
int rt_route_is_default(const struct rt_route *r);

/* Which interfaces, groups and families count. */
struct rt_filter {
	unsigned groups;		/* RT_G_* */
	unsigned families;		/* RT_FAM_* */
	const char *const *incl;	/* -i globs; none = all */
	unsigned n_incl;
	const char *const *excl;	/* -x globs, win over -i */
	unsigned n_excl;
};
int rt_filter_ifname(const struct rt_filter *f, const char *name);
/* Shell-style glob for interface names: * ? [a-z] [!x] (bytes, no escapes,
 * no locale) — what fnmatch(3) would say for ASCII names, without the
 * wide-character tables it drags into a static binary. */
int rt_glob_match(const char *pat, const char *s);

struct rt_sum_if {
	char name[IFNAMSIZ];
	uint8_t carrier;
};
struct rt_sum_addr {
	char ifname[IFNAMSIZ];
	uint8_t family, prefixlen;
	uint8_t addr[16];
};
struct rt_summary {
	unsigned n_ifs, n_addrs;
	struct rt_sum_if ifs[RT_MAX_LINKS];	/* up links, sorted by name */
	struct rt_sum_addr addrs[RT_MAX_ADDRS];	/* sorted */
	char def4[IFNAMSIZ], def6[IFNAMSIZ];	/* "" = no default route */
	uint8_t have_v4, have_v6;
	unsigned n_rules;
	uint64_t rules_hash;
};

void rt_summarize(const struct rt_state *st, const struct rt_filter *f,
		  struct rt_summary *s);

/* What changed from a to b (0 = nothing). */
#define RT_CH_LINK  1u
#define RT_CH_ADDR  2u
#define RT_CH_ROUTE 4u
#define RT_CH_RULE  8u
#define RT_CH_HAVE  16u
/* Also writes the names of the interfaces involved (link or address
 * changes, old and new default interface), sorted, space-separated,
 * NUL-terminated and truncated to size. */
unsigned rt_summary_diff(const struct rt_summary *a, const struct rt_summary *b,
			 char *ifaces, size_t size);
/* The DEFAULT_IF of a summary: the IPv4 default's interface, else IPv6's. */
const char *rt_summary_default_if(const struct rt_summary *s);

#endif
