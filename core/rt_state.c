/* rt_state.c — parse rtnetlink messages, keep the compact state, reduce it
 * to the interesting summary and compare summaries (contract in
 * rt_state.h).  Pure: no syscalls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl_msg.h"
#include "rt_state.h"

/* copy a string attribute into a fixed field, -EBADMSG if absent/bad */
static int take_name(const struct nlattr *a, char *dst, size_t size)
{
	const char *s = nl_attr_get_str(a);

	if (!s || !*s || strlen(s) >= size)
		return -EBADMSG;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int take_ip(const struct nlattr *a, uint8_t family, uint8_t *dst)
{
	size_t n = family == AF_INET ? 4 : 16;

	if (!a || nl_attr_len(a) < n)
		return -EBADMSG;
	memset(dst, 0, 16);
	memcpy(dst, nl_attr_data(a), n);
	return 0;
}

/* A RTM_NEW<x> or RTM_DEL<x> message (new = RTM_NEW<x>): its family
 * header and attributes; -EBADMSG if malformed, then with inet set
 * -EAFNOSUPPORT unless the header's leading family byte is AF_INET or
 * AF_INET6.  kernel: include/uapi/linux/rtnetlink.h — each object's types
 * come as NEW, DEL, GET, SET in a row. */
static int rt_msg(const struct nlmsghdr *nlh, unsigned new, size_t hdrlen, const void **hdr,
		  const struct nlattr **tb, unsigned max, int inet)
{
	unsigned char family;

	if (nlh->nlmsg_type != new && nlh->nlmsg_type != new + 1)
		return -EBADMSG;
	if (nl_msg_parse(nlh, hdrlen, hdr, tb, max) < 0)
		return -EBADMSG;
	family = *(const unsigned char *)*hdr;
	if (inet && family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	return 0;
}

int rt_parse_link(const struct nlmsghdr *nlh, struct rt_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	const void *hdr;

	if (rt_msg(nlh, RTM_NEWLINK, sizeof *ifi, &hdr, tb, IFLA_MAX, 0) < 0)
		return -EBADMSG;
	ifi = hdr;
	memset(l, 0, sizeof *l);
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU])
		nl_attr_get_u32(tb[IFLA_MTU], &l->mtu);
	if (tb[IFLA_OPERSTATE])
		nl_attr_get_u8(tb[IFLA_OPERSTATE], &l->operstate);
	return take_name(tb[IFLA_IFNAME], l->name, sizeof l->name);
}

int rt_parse_addr(const struct nlmsghdr *nlh, struct rt_addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	const void *hdr;
	int ret = rt_msg(nlh, RTM_NEWADDR, sizeof *ifa, &hdr, tb, IFA_MAX, 1);

	if (ret < 0)
		return ret;
	ifa = hdr;
	memset(a, 0, sizeof *a);
	a->ifindex = (int32_t)ifa->ifa_index;
	a->family = ifa->ifa_family;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	if (tb[IFA_FLAGS])	/* the 8-bit field cannot hold the newer flags */
		nl_attr_get_u32(tb[IFA_FLAGS], &a->flags);
	if (tb[IFA_LABEL])
		take_name(tb[IFA_LABEL], a->label, sizeof a->label);
	/* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on
	 * point-to-point links (IPv6 sends only IFA_ADDRESS).
	 * kernel: net/ipv4/devinet.c:inet_fill_ifaddr */
	return take_ip(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], a->family, a->addr);
}

/* RTA_MULTIPATH: struct rtnexthop records, each with its own attributes;
 * we take the first one's interface and gateway. */
static int first_nexthop(const struct nlattr *mp, struct rt_route *r)
{
	const struct rtnexthop *nh = nl_attr_data(mp);
	const struct nlattr *tb[RTA_MAX + 1];
	size_t len = nl_attr_len(mp);

	if (len < sizeof *nh || nh->rtnh_len < sizeof *nh || nh->rtnh_len > len)
		return -EBADMSG;
	r->oif = nh->rtnh_ifindex;
	if (nl_attr_parse((const unsigned char *)nh + RTNH_ALIGN(sizeof *nh),
			  nh->rtnh_len > RTNH_ALIGN(sizeof *nh) ?
			  nh->rtnh_len - RTNH_ALIGN(sizeof *nh) : 0, tb, RTA_MAX) < 0)
		return -EBADMSG;
	if (tb[RTA_GATEWAY] && take_ip(tb[RTA_GATEWAY], r->family, r->gw) == 0)
		r->has_gw = 1;
	return 0;
}

int rt_parse_route(const struct nlmsghdr *nlh, struct rt_route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	const void *hdr;
	int ret = rt_msg(nlh, RTM_NEWROUTE, sizeof *rtm, &hdr, tb, RTA_MAX, 1);

	if (ret < 0)
		return ret;
	rtm = hdr;
	memset(r, 0, sizeof *r);
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->src_len = rtm->rtm_src_len;
	r->tos = rtm->rtm_tos;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->flags = rtm->rtm_flags;
	r->table = rtm->rtm_table;
	if (tb[RTA_TABLE])	/* tables > 255 only fit here */
		nl_attr_get_u32(tb[RTA_TABLE], &r->table);
	if (r->dst_len > (r->family == AF_INET ? 32 : 128))
		return -EBADMSG;
	if (tb[RTA_DST]) {
		if (take_ip(tb[RTA_DST], r->family, r->dst) < 0)
			return -EBADMSG;
		r->has_dst = 1;
	}
	if (tb[RTA_GATEWAY]) {
		if (take_ip(tb[RTA_GATEWAY], r->family, r->gw) < 0)
			return -EBADMSG;
		r->has_gw = 1;
	}
	if (tb[RTA_PREFSRC]) {
		if (take_ip(tb[RTA_PREFSRC], r->family, r->prefsrc) < 0)
			return -EBADMSG;
		r->has_prefsrc = 1;
	}
	if (tb[RTA_PRIORITY] && nl_attr_get_u32(tb[RTA_PRIORITY], &r->metric) == 0)
		r->has_metric = 1;
	r->pref = 0xff;
	if (tb[RTA_PREF])
		nl_attr_get_u8(tb[RTA_PREF], &r->pref);
	if (tb[RTA_OIF])
		nl_attr_get_u32(tb[RTA_OIF], (uint32_t *)&r->oif);
	else if (tb[RTA_MULTIPATH] && first_nexthop(tb[RTA_MULTIPATH], r) < 0)
		return -EBADMSG;
	return 0;
}

void rt_state_clear(struct rt_state *st)
{
	st->n_links = st->n_addrs = st->n_defs = 0;
	st->overflow = 0;
	st->bad = 0;
	st->n_rules = 0;
	st->rules_hash = 0;
}

int rt_route_is_default(const struct rt_route *r)
{
	/* kernel: RTNH_F_DEAD / RTNH_F_LINKDOWN mark routes that cannot
	 * carry traffic now (device down, no carrier) */
	return r->dst_len == 0 && r->type == RTN_UNICAST && r->table == RT_TABLE_MAIN &&
	       r->oif > 0 && !(r->flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN));
}

/* FNV-1a over a rule's bytes; rules combine by addition so the order of
 * the dump does not matter. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* Room for one more in an array holding n of max?  If not, counted. */
static int room(struct rt_state *st, unsigned n, unsigned max)
{
	if (n < max)
		return 1;
	st->overflow++;
	return 0;
}

/* A parse into the next free entry of an array holding *n: kept (1), a
 * family we do not keep (0), or malformed (-EBADMSG). */
static int keep(unsigned *n, int ret)
{
	if (ret == -EAFNOSUPPORT)
		return 0;
	if (ret < 0)
		return ret;
	(*n)++;
	return 1;
}

int rt_state_add(struct rt_state *st, const struct nlmsghdr *nlh)
{
	struct rt_route r;
	int ret;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
		if (!room(st, st->n_links, RT_MAX_LINKS))
			return 0;
		return keep(&st->n_links, rt_parse_link(nlh, &st->links[st->n_links]));
	case RTM_NEWADDR:
		if (!room(st, st->n_addrs, RT_MAX_ADDRS))
			return 0;
		return keep(&st->n_addrs, rt_parse_addr(nlh, &st->addrs[st->n_addrs]));
	case RTM_NEWROUTE:
		ret = rt_parse_route(nlh, &r);
		if (ret < 0)
			return ret == -EAFNOSUPPORT ? 0 : ret;
		if (!rt_route_is_default(&r) || !room(st, st->n_defs, RT_MAX_DEFS))
			return 0;
		st->defs[st->n_defs++] = r;
		return 1;
	case RTM_NEWRULE:
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct fib_rule_hdr))
			return -EBADMSG;
		st->n_rules++;
		st->rules_hash += fnv1a((const unsigned char *)nlh + NLMSG_HDRLEN,
					nlh->nlmsg_len - NLMSG_HDRLEN);
		return 1;
	}
	return 0;
}

const struct rt_link *rt_state_link(const struct rt_state *st, int32_t ifindex)
{
	unsigned i;

	for (i = 0; i < st->n_links; i++)
		if (st->links[i].ifindex == ifindex)
			return &st->links[i];
	return NULL;
}

int rt_addr_routable(const struct rt_addr *a)
{
	const uint8_t *p = a->addr;
	static const uint8_t zero[16];

	if (a->family == AF_INET) {
		if (p[0] == 127 || p[0] == 0 || p[0] >= 224)	/* loopback, "this", mcast */
			return 0;
		if (p[0] == 169 && p[1] == 254)		/* link-local */
			return 0;
		return 1;
	}
	if (a->family != AF_INET6)
		return 0;
	if (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return 0;	/* not usable (yet) */
	if (!memcmp(p, zero, 15))
		return 0;	/* :: and ::1 */
	if ((p[0] & 0xfe) == 0xfc)			/* ULA fc00::/7 */
		return 1;
	return (p[0] & 0xe0) == 0x20;			/* global 2000::/3 */
}

/* One bracket expression at p ('[' already consumed) against c: returns
 * the pattern after ']' and sets *hit, or NULL if unterminated. */
static const char *bracket(const char *p, unsigned char c, int *hit)
{
	int neg = *p == '!' || *p == '^', first = 1;

	p += neg;
	*hit = 0;
	for (; *p && (*p != ']' || first); p++, first = 0) {
		unsigned char lo = (unsigned char)*p, hi = lo;

		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			*hit = 1;
	}
	if (!*p)
		return NULL;
	*hit ^= neg;
	return p + 1;
}

int rt_glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL, *next;
	int hit;

	/* iterative with one backtrack point: the last '*' seen */
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
			continue;
		}
		if (*pat == '[' && (next = bracket(pat + 1, (unsigned char)*s, &hit))) {
			if (hit) {
				pat = next;
				s++;
				continue;
			}
		} else if (*pat == '?' || (*pat && *pat == *s)) {
			pat++;
			s++;
			continue;
		}
		if (!star)
			return 0;
		pat = star;
		s = ++resume;
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

int rt_filter_ifname(const struct rt_filter *f, const char *name)
{
	unsigned i;
	int in = f->n_incl == 0;

	for (i = 0; i < f->n_excl; i++)
		if (rt_glob_match(f->excl[i], name))
			return 0;
	for (i = 0; !in && i < f->n_incl; i++)
		if (rt_glob_match(f->incl[i], name))
			in = 1;
	return in;
}

static int fam_ok(const struct rt_filter *f, uint8_t family)
{
	return (family == AF_INET && (f->families & RT_FAM_4)) ||
	       (family == AF_INET6 && (f->families & RT_FAM_6));
}

static int cmp_if(const void *x, const void *y)
{
	return strcmp(((const struct rt_sum_if *)x)->name, ((const struct rt_sum_if *)y)->name);
}

static int cmp_addr(const void *x, const void *y)
{
	const struct rt_sum_addr *a = x, *b = y;
	int c = strcmp(a->ifname, b->ifname);

	if (!c)
		c = (int)a->family - (int)b->family;
	if (!c)
		c = memcmp(a->addr, b->addr, 16);
	if (!c)
		c = (int)a->prefixlen - (int)b->prefixlen;
	return c;
}

/* name of an interface that passes the filter, or NULL */
static const char *ifname_ok(const struct rt_state *st, const struct rt_filter *f, int32_t ifindex)
{
	const struct rt_link *l = rt_state_link(st, ifindex);

	return l && rt_filter_ifname(f, l->name) ? l->name : NULL;
}

void rt_summarize(const struct rt_state *st, const struct rt_filter *f, struct rt_summary *s)
{
	const struct rt_route *best4 = NULL, *best6 = NULL;
	int addr4 = 0, addr6 = 0;
	const char *name;
	unsigned i;

	memset(s, 0, offsetof(struct rt_summary, ifs));
	s->def4[0] = s->def6[0] = 0;
	s->have_v4 = s->have_v6 = 0;
	s->n_rules = 0;
	s->rules_hash = 0;
	for (i = 0; (f->groups & RT_G_LINK) && i < st->n_links; i++) {
		const struct rt_link *l = &st->links[i];

		if ((l->flags & IFF_LOOPBACK) || !(l->flags & IFF_UP) ||
		    !rt_filter_ifname(f, l->name))
			continue;
		memcpy(s->ifs[s->n_ifs].name, l->name, IFNAMSIZ);
		s->ifs[s->n_ifs].carrier = !!(l->flags & IFF_LOWER_UP);
		s->n_ifs++;
	}
	for (i = 0; (f->groups & RT_G_ADDR) && i < st->n_addrs; i++) {
		const struct rt_addr *a = &st->addrs[i];
		struct rt_sum_addr *o = &s->addrs[s->n_addrs];

		if (!fam_ok(f, a->family) || !rt_addr_routable(a) ||
		    !(name = ifname_ok(st, f, a->ifindex)))
			continue;
		memcpy(o->ifname, name, IFNAMSIZ);
		o->family = a->family;
		o->prefixlen = a->prefixlen;
		memcpy(o->addr, a->addr, 16);
		s->n_addrs++;
		if (a->family == AF_INET)
			addr4 = 1;
		else
			addr6 = 1;
	}
	for (i = 0; (f->groups & RT_G_ROUTE) && i < st->n_defs; i++) {
		const struct rt_route *r = &st->defs[i];
		const struct rt_route **best = r->family == AF_INET ? &best4 : &best6;

		if (!fam_ok(f, r->family) || !ifname_ok(st, f, r->oif))
			continue;
		if (!*best || r->metric < (*best)->metric)
			*best = r;
	}
	if (best4)
		memcpy(s->def4, ifname_ok(st, f, best4->oif), IFNAMSIZ);
	if (best6)
		memcpy(s->def6, ifname_ok(st, f, best6->oif), IFNAMSIZ);
	if (f->groups & (RT_G_ADDR | RT_G_ROUTE)) {
		s->have_v4 = (f->families & RT_FAM_4) &&
			     (!(f->groups & RT_G_ADDR) || addr4) &&
			     (!(f->groups & RT_G_ROUTE) || best4);
		s->have_v6 = (f->families & RT_FAM_6) &&
			     (!(f->groups & RT_G_ADDR) || addr6) &&
			     (!(f->groups & RT_G_ROUTE) || best6);
	}
	if (f->groups & RT_G_RULE) {
		s->n_rules = st->n_rules;
		s->rules_hash = st->rules_hash;
	}
	qsort(s->ifs, s->n_ifs, sizeof *s->ifs, cmp_if);
	qsort(s->addrs, s->n_addrs, sizeof *s->addrs, cmp_addr);
}

/* a small set of interface names for IFACES */
struct nameset {
	unsigned n;
	const char *v[2 * RT_MAX_LINKS + RT_MAX_ADDRS * 2 + 4];
};

static void ns_add(struct nameset *ns, const char *name)
{
	unsigned i;

	if (!name || !*name)
		return;
	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return;
	if (ns->n < sizeof ns->v / sizeof *ns->v)
		ns->v[ns->n++] = name;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

unsigned rt_summary_diff(const struct rt_summary *a, const struct rt_summary *b,
			 char *ifaces, size_t size)
{
	struct nameset ns;	/* ~12 KiB of pointers on the stack */
	unsigned ch = 0, i = 0, j = 0;
	size_t len = 0;
	int c;

	ns.n = 0;
	/* merge-walk the sorted lists: one side only, or different carrier */
	while (i < a->n_ifs || j < b->n_ifs) {
		c = i == a->n_ifs ? 1 : j == b->n_ifs ? -1 : cmp_if(&a->ifs[i], &b->ifs[j]);
		if (c < 0) {
			ns_add(&ns, a->ifs[i++].name);
			ch |= RT_CH_LINK;
		} else if (c > 0) {
			ns_add(&ns, b->ifs[j++].name);
			ch |= RT_CH_LINK;
		} else {
			if (a->ifs[i].carrier != b->ifs[j].carrier) {
				ns_add(&ns, a->ifs[i].name);
				ch |= RT_CH_LINK;
			}
			i++, j++;
		}
	}
	for (i = j = 0; i < a->n_addrs || j < b->n_addrs;) {
		c = i == a->n_addrs ? 1 : j == b->n_addrs ? -1 : cmp_addr(&a->addrs[i], &b->addrs[j]);
		if (c < 0) {
			ns_add(&ns, a->addrs[i++].ifname);
			ch |= RT_CH_ADDR;
		} else if (c > 0) {
			ns_add(&ns, b->addrs[j++].ifname);
			ch |= RT_CH_ADDR;
		} else {
			i++, j++;
		}
	}
	if (strcmp(a->def4, b->def4) || strcmp(a->def6, b->def6)) {
		ch |= RT_CH_ROUTE;
		ns_add(&ns, a->def4);
		ns_add(&ns, b->def4);
		ns_add(&ns, a->def6);
		ns_add(&ns, b->def6);
	}
	if (a->n_rules != b->n_rules || a->rules_hash != b->rules_hash)
		ch |= RT_CH_RULE;
	if (a->have_v4 != b->have_v4 || a->have_v6 != b->have_v6)
		ch |= RT_CH_HAVE;
	if (size) {
		qsort(ns.v, ns.n, sizeof *ns.v, cmp_str);
		ifaces[0] = 0;
		for (i = 0; i < ns.n; i++) {
			size_t n = strlen(ns.v[i]) + (i > 0);

			if (len + n >= size)
				break;
			if (i > 0)
				ifaces[len++] = ' ';
			memcpy(ifaces + len, ns.v[i], strlen(ns.v[i]) + 1);
			len += strlen(ns.v[i]);
		}
	}
	return ch;
}

const char *rt_summary_default_if(const struct rt_summary *s)
{
	return s->def4[0] ? s->def4 : s->def6;
}
