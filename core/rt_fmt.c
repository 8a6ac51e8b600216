/* rt_fmt.c — ip-monitor-like text and JSON lines for rtnetlink events
 * (contract in rt_fmt.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nl_msg.h"
#include "rt_fmt.h"
#include "rt_state.h"

struct out {
	char *buf;
	size_t size, len;
	int full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len) {
		o->full = 1;
		return;
	}
	o->len += (size_t)n;
}

/* a JSON string, escaped (interface names may hold '"', '\\', controls) */
static void put_jstr(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

/* key/value in either format: text "key val", json ,"key":"val" */
static void kv_str(struct out *o, int json, const char *key, const char *val)
{
	if (json) {
		put(o, ",\"%s\":", key);
		put_jstr(o, val);
	} else {
		put(o, " %s %s", key, val);
	}
}

static void kv_num(struct out *o, int json, const char *key, unsigned long v)
{
	if (json)
		put(o, ",\"%s\":%lu", key, v);
	else
		put(o, " %s %lu", key, v);
}

static const char *name_or_index(int32_t idx, rt_ifname_fn fn, void *arg, char *tmp, size_t n)
{
	const char *s = fn ? fn(idx, arg) : NULL;

	if (s)
		return s;
	snprintf(tmp, n, "if%d", (int)idx);
	return tmp;
}

/* a number's name from a table like ip's, else the number */
struct nv {
	unsigned v;
	const char *n;
};
static const char *nv_name(const struct nv *t, size_t n, unsigned v, char *tmp, size_t size)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].n;
	snprintf(tmp, size, "%u", v);
	return tmp;
}
#define NV_NAME(t, v, tmp, size) nv_name((t), sizeof(t) / sizeof *(t), (v), (tmp), (size))

static const struct nv scopes[] = {
	{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_SITE, "site" }, { RT_SCOPE_LINK, "link" },
	{ RT_SCOPE_HOST, "host" }, { RT_SCOPE_NOWHERE, "nowhere" },
};
static const struct nv protos[] = {
	{ RTPROT_UNSPEC, "unspec" }, { RTPROT_REDIRECT, "redirect" }, { RTPROT_KERNEL, "kernel" },
	{ RTPROT_BOOT, "boot" }, { RTPROT_STATIC, "static" }, { RTPROT_RA, "ra" },
	{ RTPROT_DHCP, "dhcp" },
};
static const struct nv tables[] = {
	{ RT_TABLE_DEFAULT, "default" }, { RT_TABLE_MAIN, "main" }, { RT_TABLE_LOCAL, "local" },
};

static const char *oper_name(unsigned s)
{
	static const char *const n[] = { "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					 "TESTING", "DORMANT", "UP" };

	return s < sizeof n / sizeof *n ? n[s] : "UNKNOWN";
}

static const char *type_name(unsigned t, char *tmp, size_t n)
{
	static const char *const names[] = { "none", "unicast", "local", "broadcast", "anycast",
					     "multicast", "blackhole", "unreachable", "prohibit",
					     "throw", "nat", "xresolve" };

	if (t < sizeof names / sizeof *names)
		return names[t];
	snprintf(tmp, n, "%u", t);
	return tmp;
}

/* the flag words ip prints, in its order; kernel: include/uapi/linux/if.h */
static void link_flags(struct out *o, int json, uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } fl[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
		{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
		{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" },
		{ IFF_PORTSEL, "PORTSEL" }, { IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_UP, "UP" },
		{ IFF_LOWER_UP, "LOWER_UP" }, { IFF_DORMANT, "DORMANT" }, { IFF_ECHO, "ECHO" },
	};
	const char *sep = "";
	size_t i;

	put(o, json ? ",\"flags\":[" : "<");
	if ((f & IFF_UP) && !(f & IFF_RUNNING)) {
		put(o, json ? "\"NO-CARRIER\"" : "NO-CARRIER");
		sep = ",";
	}
	for (i = 0; i < sizeof fl / sizeof *fl; i++) {
		if (!(f & fl[i].bit))
			continue;
		put(o, json ? "%s\"%s\"" : "%s%s", sep, fl[i].name);
		sep = ",";
	}
	put(o, json ? "]" : ">");
}

static void head(struct out *o, int json, const char *event, int del)
{
	if (json)
		put(o, "{\"event\":\"%s\",\"action\":\"%s\"", event, del ? "del" : "new");
	else if (del)
		put(o, "Deleted ");
}

/* a parse result as fmt_* returns it: 1 for a family we do not print */
static int parsed(int ret)
{
	return ret == -EAFNOSUPPORT ? 1 : ret < 0 ? -EBADMSG : 0;
}

static int fmt_link(struct out *o, const struct nlmsghdr *nlh, int json)
{
	struct rt_link l;

	if (rt_parse_link(nlh, &l) < 0)
		return -EBADMSG;
	head(o, json, "link", nlh->nlmsg_type == RTM_DELLINK);
	if (json) {
		put(o, ",\"ifindex\":%d,\"ifname\":", (int)l.ifindex);
		put_jstr(o, l.name);
	} else {
		put(o, "%d: %s: ", (int)l.ifindex, l.name);
	}
	link_flags(o, json, l.flags);
	kv_num(o, json, "mtu", l.mtu);
	kv_str(o, json, json ? "operstate" : "state", oper_name(l.operstate));
	return 0;
}

static int fmt_addr(struct out *o, const struct nlmsghdr *nlh, int json, rt_ifname_fn fn, void *arg)
{
	static const struct { uint32_t bit; const char *name; } fl[] = {
		{ IFA_F_SECONDARY, "secondary" }, { IFA_F_NODAD, "nodad" },
		{ IFA_F_OPTIMISTIC, "optimistic" }, { IFA_F_DADFAILED, "dadfailed" },
		{ IFA_F_HOMEADDRESS, "home" }, { IFA_F_DEPRECATED, "deprecated" },
		{ IFA_F_TENTATIVE, "tentative" },
	};
	char tmp[24], ip[INET6_ADDRSTRLEN];
	const char *dev, *fam;
	struct rt_addr a;
	size_t i;
	int ret = parsed(rt_parse_addr(nlh, &a));

	if (ret)
		return ret;
	dev = name_or_index(a.ifindex, fn, arg, tmp, sizeof tmp);
	fam = a.family == AF_INET ? "inet" : "inet6";
	inet_ntop(a.family, a.addr, ip, sizeof ip);
	head(o, json, "addr", nlh->nlmsg_type == RTM_DELADDR);
	if (json) {
		put(o, ",\"ifindex\":%d,\"ifname\":", (int)a.ifindex);
		put_jstr(o, dev);
		put(o, ",\"family\":\"%s\",\"local\":\"%s\",\"prefixlen\":%u", fam, ip, a.prefixlen);
		kv_str(o, 1, "scope", NV_NAME(scopes, a.scope, tmp, sizeof tmp));
		put(o, ",\"flags\":[");
	} else {
		put(o, "%d: %s    %s %s/%u", (int)a.ifindex, dev, fam, ip, a.prefixlen);
		kv_str(o, 0, "scope", NV_NAME(scopes, a.scope, tmp, sizeof tmp));
	}
	for (i = 0; i <= sizeof fl / sizeof *fl; i++) {
		/* like ip: "dynamic" for what is not permanent */
		const char *nm = i < sizeof fl / sizeof *fl ? fl[i].name : "dynamic";

		if (i < sizeof fl / sizeof *fl ? !(a.flags & fl[i].bit) : !!(a.flags & IFA_F_PERMANENT))
			continue;
		if (json)
			put(o, "%s\"%s\"", o->buf[o->len - 1] == '[' ? "" : ",", nm);
		else
			put(o, " %s", nm);
	}
	if (json) {
		put(o, "]");
		if (a.label[0]) {
			put(o, ",\"label\":");
			put_jstr(o, a.label);
		}
	} else if (a.label[0]) {
		put(o, " %s", a.label);
	}
	return 0;
}

static int fmt_route(struct out *o, const struct nlmsghdr *nlh, int json, rt_ifname_fn fn, void *arg)
{
	char tmp[24], ip[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN + 8];
	struct rt_route r;
	int ret = parsed(rt_parse_route(nlh, &r));

	if (ret)
		return ret;
	if (r.has_dst) {
		inet_ntop(r.family, r.dst, ip, sizeof ip);
		/* host routes: ip omits /32 and /128 */
		if (r.dst_len == (r.family == AF_INET ? 32 : 128))
			snprintf(dst, sizeof dst, "%s", ip);
		else
			snprintf(dst, sizeof dst, "%s/%u", ip, r.dst_len);
	} else {
		snprintf(dst, sizeof dst, r.dst_len ? "0/%u" : "default", r.dst_len);
	}
	head(o, json, "route", nlh->nlmsg_type == RTM_DELROUTE);
	if (json) {
		put(o, ",\"family\":\"%s\"", r.family == AF_INET ? "inet" : "inet6");
		kv_str(o, 1, "type", type_name(r.type, tmp, sizeof tmp));
		kv_str(o, 1, "dst", dst);
	} else {
		if (r.type != RTN_UNICAST)
			put(o, "%s ", type_name(r.type, tmp, sizeof tmp));
		put(o, "%s", dst);
	}
	if (r.has_gw) {
		inet_ntop(r.family, r.gw, ip, sizeof ip);
		kv_str(o, json, json ? "gateway" : "via", ip);
	}
	if (r.oif > 0)
		kv_str(o, json, "dev", name_or_index(r.oif, fn, arg, tmp, sizeof tmp));
	if (json || r.table != RT_TABLE_MAIN)
		kv_str(o, json, "table", NV_NAME(tables, r.table, tmp, sizeof tmp));
	if (json || r.protocol != RTPROT_BOOT)
		kv_str(o, json, json ? "protocol" : "proto",
		       NV_NAME(protos, r.protocol, tmp, sizeof tmp));
	if (json || r.scope != RT_SCOPE_UNIVERSE)
		kv_str(o, json, "scope", NV_NAME(scopes, r.scope, tmp, sizeof tmp));
	if (r.has_prefsrc) {
		inet_ntop(r.family, r.prefsrc, ip, sizeof ip);
		kv_str(o, json, json ? "prefsrc" : "src", ip);
	}
	if (r.has_metric)
		kv_num(o, json, "metric", r.metric);
	if (r.pref != 0xff)	/* kernel: include/uapi/linux/icmpv6.h ICMPV6_ROUTER_PREF_* */
		kv_str(o, json, "pref", r.pref == 0 ? "medium" : r.pref == 1 ? "high" :
		       r.pref == 3 ? "low" : "invalid");
	return 0;
}

static int fmt_rule(struct out *o, const struct nlmsghdr *nlh, int json)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct fib_rule_hdr *frh;
	const void *hdr;
	uint32_t prio = 0, table;

	if (nl_msg_parse(nlh, sizeof *frh, &hdr, tb, FRA_MAX) < 0)
		return -EBADMSG;
	frh = hdr;
	table = frh->table;
	if (tb[FRA_TABLE])
		nl_attr_get_u32(tb[FRA_TABLE], &table);
	if (tb[FRA_PRIORITY])
		nl_attr_get_u32(tb[FRA_PRIORITY], &prio);
	head(o, json, "rule", nlh->nlmsg_type == RTM_DELRULE);
	if (json)
		put(o, ",\"family\":\"%s\"", frh->family == AF_INET6 ? "inet6" : "inet");
	else
		put(o, "rule %s", frh->family == AF_INET6 ? "inet6" : "inet");
	kv_num(o, json, "priority", prio);
	kv_num(o, json, "table", table);
	return 0;
}

int rt_fmt_event(const struct nlmsghdr *nlh, int json, rt_ifname_fn ifname, void *arg,
		 char *buf, size_t size)
{
	struct out o = { buf, size, 0, 0 };
	int ret;

	if (!size)
		return -ENOSPC;
	buf[0] = 0;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK: case RTM_DELLINK:
		ret = fmt_link(&o, nlh, json);
		break;
	case RTM_NEWADDR: case RTM_DELADDR:
		ret = fmt_addr(&o, nlh, json, ifname, arg);
		break;
	case RTM_NEWROUTE: case RTM_DELROUTE:
		ret = fmt_route(&o, nlh, json, ifname, arg);
		break;
	case RTM_NEWRULE: case RTM_DELRULE:
		ret = fmt_rule(&o, nlh, json);
		break;
	default:
		return 0;
	}
	if (ret == 1) {		/* a family we do not print */
		buf[0] = 0;
		return 0;
	}
	if (ret < 0)
		return ret;
	if (json)
		put(&o, "}");
	return o.full ? -ENOSPC : (int)o.len;
}

int32_t rt_event_ifindex(const struct nlmsghdr *nlh)
{
	const void *hdr, *attrs;
	struct rt_route r;
	size_t alen;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK: case RTM_DELLINK:
		if (nl_msg_payload(nlh, sizeof(struct ifinfomsg), &hdr, &attrs, &alen) < 0)
			return 0;
		return ((const struct ifinfomsg *)hdr)->ifi_index;
	case RTM_NEWADDR: case RTM_DELADDR:
		if (nl_msg_payload(nlh, sizeof(struct ifaddrmsg), &hdr, &attrs, &alen) < 0)
			return 0;
		return (int32_t)((const struct ifaddrmsg *)hdr)->ifa_index;
	case RTM_NEWROUTE: case RTM_DELROUTE:
		return rt_parse_route(nlh, &r) < 0 ? 0 : r.oif;
	}
	return 0;
}

void rt_fmt_utc(const struct timespec *t, char *buf, size_t size)
{
	long long days, z, era, doe, yoe, y, doy, mp, d, m;
	long secs;

	days = t->tv_sec / 86400;
	secs = (long)(t->tv_sec % 86400);
	if (secs < 0) {		/* before 1970: the day starts earlier */
		secs += 86400;
		days--;
	}
	/* days since 1970-01-01 to a civil date (era = 400 Gregorian years) */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", (int)(y + (m <= 2)), (int)m,
		 (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
		 (int)(t->tv_nsec / 1000));
}
