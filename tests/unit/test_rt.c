/* test_rt.c — rtnetlink parsing, the interesting summary and its diff on
 * byte-exact messages; monitor formatting and filtering; the debounce
 * arithmetic and the look scheduling (pending coalescing, reasons). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nl_msg.h"
#include "rt_debounce.h"
#include "rt_dump.h"
#include "rt_fmt.h"
#include "rt_mon.h"
#include "rt_sched.h"
#include "rt_state.h"
#include "unit.h"

static uint32_t mbuf[4][256];	/* aligned copies of literal messages */
static const struct nlmsghdr *M(int slot, const char *p, size_t n)
{
	memset(mbuf[slot], 0, sizeof mbuf[slot]);
	memcpy(mbuf[slot], p, n);
	return (const struct nlmsghdr *)mbuf[slot];
}
#define MSG(slot, lit) M((slot), (lit), sizeof(lit) - 1)

/* RTM_NEWLINK eth0, index 3, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP, mtu 1500 */
#define LINK_ETH0_UP \
	"\x34\0\0\0" "\x10\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\0\0\x01\0" "\x03\0\0\0" "\x43\x10\x01\0" "\0\0\0\0" \
	"\x09\0\x03\0" "eth0\0\0\0\0" \
	"\x08\0\x04\0" "\xdc\x05\0\0"
/* RTM_NEWLINK lo, index 1, UP|LOOPBACK|RUNNING|LOWER_UP */
#define LINK_LO \
	"\x28\0\0\0" "\x10\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\0\0\x04\x03" "\x01\0\0\0" "\x49\0\x01\0" "\0\0\0\0" \
	"\x07\0\x03\0" "lo\0\0"
/* RTM_NEWADDR 10.9.0.1/24 on index 3, permanent */
#define ADDR_V4 \
	"\x28\0\0\0" "\x14\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\x02\x18\x80\0" "\x03\0\0\0" \
	"\x08\0\x01\0" "\x0a\x09\0\x01" \
	"\x08\0\x02\0" "\x0a\x09\0\x01"
/* RTM_NEWADDR 169.254.3.3/16 on index 3 */
#define ADDR_V4LL \
	"\x28\0\0\0" "\x14\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\x02\x10\x80\0" "\x03\0\0\0" \
	"\x08\0\x01\0" "\xa9\xfe\x03\x03" \
	"\x08\0\x02\0" "\xa9\xfe\x03\x03"
/* RTM_NEWROUTE default via 10.9.0.2 dev index 3, main table */
#define ROUTE_DEF4 \
	"\x34\0\0\0" "\x18\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\x02\0\0\0" "\xfe\x03\0\x01" "\0\0\0\0" \
	"\x08\0\x0f\0" "\xfe\0\0\0" \
	"\x08\0\x05\0" "\x0a\x09\0\x02" \
	"\x08\0\x04\0" "\x03\0\0\0"
/* RTM_NEWROUTE 10.9.0.0/24 dev 3 proto kernel scope link src 10.9.0.1 */
#define ROUTE_NET4 \
	"\x3c\0\0\0" "\x18\0" "\x02\0" "\0\0\0\0" "\0\0\0\0" \
	"\x02\x18\0\0" "\xfe\x02\xfd\x01" "\0\0\0\0" \
	"\x08\0\x0f\0" "\xfe\0\0\0" \
	"\x08\0\x01\0" "\x0a\x09\0\0" \
	"\x08\0\x07\0" "\x0a\x09\0\x01" \
	"\x08\0\x04\0" "\x03\0\0\0"

/* addresses built field by field for the classification table */
static struct rt_addr A(uint8_t family, const char *bytes, uint32_t flags)
{
	struct rt_addr a;

	memset(&a, 0, sizeof a);
	a.family = family;
	a.flags = flags;
	memcpy(a.addr, bytes, family == AF_INET ? 4 : 16);
	return a;
}

TEST(rt_routable_table)
{
	struct rt_addr a;

	a = A(AF_INET, "\x0a\0\0\x01", 0);                 CHECK(rt_addr_routable(&a));
	a = A(AF_INET, "\x7f\0\0\x01", 0);                 CHECK(!rt_addr_routable(&a));
	a = A(AF_INET, "\xa9\xfe\x01\x01", 0);             CHECK(!rt_addr_routable(&a));
	a = A(AF_INET, "\xa9\xfd\x01\x01", 0);             CHECK(rt_addr_routable(&a));
	a = A(AF_INET, "\xc0\xa8\x01\x01", 0);             CHECK(rt_addr_routable(&a));
	a = A(AF_INET6, "\x20\x01\x0d\xb8" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0);
	CHECK(rt_addr_routable(&a));
	a = A(AF_INET6, "\x20\x01\x0d\xb8" "\0\0\0\0\0\0\0\0\0\0\0\x01", IFA_F_TENTATIVE);
	CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\x20\x01\x0d\xb8" "\0\0\0\0\0\0\0\0\0\0\0\x01", IFA_F_DADFAILED);
	CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\xfd\0\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0);   CHECK(rt_addr_routable(&a));
	a = A(AF_INET6, "\xfc\0\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0);   CHECK(rt_addr_routable(&a));
	a = A(AF_INET6, "\xfe\x80\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0); CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\xfe\xbf\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0); CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\xff\x02\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0); CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\0\0\0\0" "\0\0\0\0\0\0\0\0\0\0\0\x01", 0);     CHECK(!rt_addr_routable(&a));
	a = A(AF_INET6, "\0\0\0\0" "\0\0\0\0\0\0\0\0\0\0\0\0", 0);       CHECK(!rt_addr_routable(&a));
}

TEST(rt_parse_bytes)
{
	struct rt_link l;
	struct rt_addr a;
	struct rt_route r;

	CHECK_INT(rt_parse_link(MSG(0, LINK_ETH0_UP), &l), 0);
	CHECK_STR(l.name, "eth0");
	CHECK_INT(l.ifindex, 3);
	CHECK_INT(l.mtu, 1500);
	CHECK(l.flags & IFF_LOWER_UP);
	CHECK_INT(rt_parse_addr(MSG(0, ADDR_V4), &a), 0);
	CHECK_INT(a.prefixlen, 24);
	CHECK(!memcmp(a.addr, "\x0a\x09\0\x01", 4));
	CHECK_INT(rt_parse_route(MSG(0, ROUTE_DEF4), &r), 0);
	CHECK_INT(r.oif, 3);
	CHECK(r.has_gw && !memcmp(r.gw, "\x0a\x09\0\x02", 4));
	CHECK(rt_route_is_default(&r));
	CHECK_INT(rt_parse_route(MSG(0, ROUTE_NET4), &r), 0);
	CHECK(!rt_route_is_default(&r));
	/* wrong type for the parser */
	CHECK_INT(rt_parse_link(MSG(0, ADDR_V4), &l), -EBADMSG);
}

TEST(rt_parse_malformed)
{
	struct rt_link l;
	struct rt_addr a;
	struct rt_route r;
	uint32_t *w;

	/* link without IFLA_IFNAME: cut the message after ifinfomsg */
	w = (uint32_t *)MSG(0, LINK_ETH0_UP);
	w[0] = 32;
	CHECK_INT(rt_parse_link((const struct nlmsghdr *)w, &l), -EBADMSG);
	/* name attribute whose nla_len runs past the message */
	w = (uint32_t *)MSG(0, LINK_ETH0_UP);
	((unsigned char *)w)[32] = 0x40;
	CHECK_INT(rt_parse_link((const struct nlmsghdr *)w, &l), -EBADMSG);
	/* address attribute of 2 bytes for an IPv4 address */
	w = (uint32_t *)MSG(0, ADDR_V4);
	((unsigned char *)w)[24] = 6;
	((unsigned char *)w)[32] = 6;
	CHECK_INT(rt_parse_addr((const struct nlmsghdr *)w, &a), -EBADMSG);
	/* addr message shorter than ifaddrmsg */
	w = (uint32_t *)MSG(0, ADDR_V4);
	w[0] = 20;
	CHECK_INT(rt_parse_addr((const struct nlmsghdr *)w, &a), -EBADMSG);
	/* route with dst_len 33 */
	w = (uint32_t *)MSG(0, ROUTE_NET4);
	((unsigned char *)w)[17] = 33;
	CHECK_INT(rt_parse_route((const struct nlmsghdr *)w, &r), -EBADMSG);
}

static const struct rt_filter ALL = { RT_G_LINK | RT_G_ADDR | RT_G_ROUTE, RT_FAM_4 | RT_FAM_6,
				      NULL, 0, NULL, 0 };

static struct rt_state st;
static struct rt_summary s1, s2;

static void base_state(void)
{
	rt_state_clear(&st);
	CHECK_INT(rt_state_add(&st, MSG(0, LINK_LO)), 1);
	CHECK_INT(rt_state_add(&st, MSG(0, LINK_ETH0_UP)), 1);
}

TEST(rt_summary_basic)
{
	char ifs[64];

	base_state();
	rt_summarize(&st, &ALL, &s1);
	CHECK_INT(s1.n_ifs, 1);		/* lo left out */
	CHECK_STR(s1.ifs[0].name, "eth0");
	CHECK_INT(s1.ifs[0].carrier, 1);
	CHECK_INT(s1.have_v4, 0);
	/* + address: changed, eth0 */
	CHECK_INT(rt_state_add(&st, MSG(0, ADDR_V4)), 1);
	rt_summarize(&st, &ALL, &s2);
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), RT_CH_ADDR);
	CHECK_STR(ifs, "eth0");
	CHECK_INT(s2.have_v4, 0);	/* no default route yet */
	/* + non-default route: nothing; + default: route, have_v4 */
	s1 = s2;
	CHECK_INT(rt_state_add(&st, MSG(0, ROUTE_NET4)), 0);
	CHECK_INT(rt_state_add(&st, MSG(0, ROUTE_DEF4)), 1);
	rt_summarize(&st, &ALL, &s2);
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), RT_CH_ROUTE | RT_CH_HAVE);
	CHECK_STR(rt_summary_default_if(&s2), "eth0");
	CHECK_INT(s2.have_v4, 1);
	CHECK_INT(s2.have_v6, 0);
	/* same state again: no change */
	CHECK_INT(rt_summary_diff(&s2, &s2, ifs, sizeof ifs), 0);
	CHECK_STR(ifs, "");
}

TEST(rt_summary_linklocal_not_interesting)
{
	char ifs[64];

	base_state();
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_summarize(&st, &ALL, &s1);
	CHECK_INT(rt_state_add(&st, MSG(0, ADDR_V4LL)), 1);	/* recorded... */
	rt_summarize(&st, &ALL, &s2);
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), 0);	/* ...but dull */
	CHECK_INT(s2.n_addrs, 1);
}

TEST(rt_summary_order_independent)
{
	char ifs[64];

	base_state();
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_state_add(&st, MSG(0, ROUTE_DEF4));
	rt_summarize(&st, &ALL, &s1);
	rt_state_clear(&st);
	rt_state_add(&st, MSG(0, ROUTE_DEF4));
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_state_add(&st, MSG(0, LINK_ETH0_UP));
	rt_state_add(&st, MSG(0, LINK_LO));
	rt_summarize(&st, &ALL, &s2);
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), 0);
}

TEST(rt_summary_carrier_and_filters)
{
	struct rt_filter f = ALL;
	const char *ex[] = { "eth*" }, *in[] = { "wlan?" };
	char ifs[64];
	uint32_t *w;

	base_state();
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_state_add(&st, MSG(0, ROUTE_DEF4));
	rt_summarize(&st, &ALL, &s1);
	/* eth0 loses carrier: flags without LOWER_UP/RUNNING */
	rt_state_clear(&st);
	rt_state_add(&st, MSG(0, LINK_LO));
	w = (uint32_t *)MSG(1, LINK_ETH0_UP);
	w[6] = IFF_UP | IFF_BROADCAST | IFF_MULTICAST;
	rt_state_add(&st, (const struct nlmsghdr *)w);
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_state_add(&st, MSG(0, ROUTE_DEF4));
	rt_summarize(&st, &ALL, &s2);
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), RT_CH_LINK);
	CHECK_STR(ifs, "eth0");
	/* -x eth*: nothing left of eth0 */
	f.excl = ex;
	f.n_excl = 1;
	rt_summarize(&st, &f, &s2);
	CHECK_INT(s2.n_ifs, 0);
	CHECK_INT(s2.n_addrs, 0);
	CHECK_STR(s2.def4, "");
	CHECK_INT(s2.have_v4, 0);
	/* -i wlan?: eth0 not included either */
	f.excl = NULL;
	f.n_excl = 0;
	f.incl = in;
	f.n_incl = 1;
	CHECK(!rt_filter_ifname(&f, "eth0"));
	CHECK(rt_filter_ifname(&f, "wlan0"));
	/* -6 only: the IPv4 address and default do not count */
	f = ALL;
	f.families = RT_FAM_6;
	rt_summarize(&st, &f, &s2);
	CHECK_INT(s2.n_addrs, 0);
	CHECK_STR(s2.def4, "");
	CHECK_INT(s2.n_ifs, 1);
	/* -l only: links but no addresses, no have_* */
	f = ALL;
	f.groups = RT_G_LINK;
	rt_summarize(&st, &f, &s2);
	CHECK_INT(s2.n_addrs, 0);
	CHECK_INT(s2.have_v4, 0);
}

TEST(rt_default_moves)
{
	char ifs[64];
	uint32_t *w;

	base_state();
	/* eth1 (index 4), up */
	w = (uint32_t *)MSG(1, LINK_ETH0_UP);
	w[5] = 4;
	((char *)w)[32 + 4 + 3] = '1';
	rt_state_add(&st, (const struct nlmsghdr *)w);
	rt_state_add(&st, MSG(0, ADDR_V4));
	rt_state_add(&st, MSG(0, ROUTE_DEF4));		/* eth0, no metric (0) */
	rt_summarize(&st, &ALL, &s1);
	CHECK_STR(s1.def4, "eth0");
	/* the default now leaves through eth1 instead */
	rt_state_clear(&st);
	rt_state_add(&st, MSG(0, LINK_LO));
	rt_state_add(&st, MSG(0, LINK_ETH0_UP));
	rt_state_add(&st, (const struct nlmsghdr *)w);
	rt_state_add(&st, MSG(0, ADDR_V4));
	w = (uint32_t *)MSG(2, ROUTE_DEF4);
	w[12] = 4;	/* RTA_OIF value -> eth1 */
	rt_state_add(&st, (const struct nlmsghdr *)w);
	rt_summarize(&st, &ALL, &s2);
	CHECK_STR(s2.def4, "eth1");
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, sizeof ifs), RT_CH_ROUTE);
	CHECK_STR(ifs, "eth0 eth1");
	/* truncated IFACES never overflows */
	CHECK_INT(rt_summary_diff(&s1, &s2, ifs, 6), RT_CH_ROUTE);
	CHECK_STR(ifs, "eth0");
}

static const char *names(int32_t idx, void *arg)
{
	(void)arg;
	return idx == 3 ? "eth0" : NULL;
}

TEST(rt_fmt_text_like_ip)
{
	char line[256];

	CHECK(rt_fmt_event(MSG(0, LINK_ETH0_UP), 0, names, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UNKNOWN");
	CHECK(rt_fmt_event(MSG(0, ADDR_V4), 0, names, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "3: eth0    inet 10.9.0.1/24 scope global");
	CHECK(rt_fmt_event(MSG(0, ROUTE_DEF4), 0, names, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "default via 10.9.0.2 dev eth0");
	CHECK(rt_fmt_event(MSG(0, ROUTE_NET4), 0, NULL, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "10.9.0.0/24 dev if3 proto kernel scope link src 10.9.0.1");
	/* deletions */
	{
		uint32_t *w = (uint32_t *)MSG(1, ADDR_V4);

		((uint16_t *)w)[2] = RTM_DELADDR;
		CHECK(rt_fmt_event((const struct nlmsghdr *)w, 0, names, NULL, line, sizeof line) > 0);
		CHECK_STR(line, "Deleted 3: eth0    inet 10.9.0.1/24 scope global");
	}
	/* too small a buffer: -ENOSPC, still terminated */
	CHECK_INT(rt_fmt_event(MSG(0, ROUTE_DEF4), 0, names, NULL, line, 10), -ENOSPC);
	CHECK(strlen(line) < 10);
	/* not an event type */
	CHECK_INT(rt_fmt_event(MSG(0, "\x10\0\0\0\x03\0\0\0\0\0\0\0\0\0\0\0"), 0, NULL, NULL, line,
			       sizeof line), 0);
}

static const char *evil(int32_t idx, void *arg)
{
	(void)idx;
	(void)arg;
	return "a\"b\\c\x01";
}

TEST(rt_fmt_json)
{
	char line[512];

	CHECK(rt_fmt_event(MSG(0, ROUTE_DEF4), 1, names, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "{\"event\":\"route\",\"action\":\"new\",\"family\":\"inet\",\"type\":\"unicast\","
		  "\"dst\":\"default\",\"gateway\":\"10.9.0.2\",\"dev\":\"eth0\",\"table\":\"main\","
		  "\"protocol\":\"boot\",\"scope\":\"global\"}");
	CHECK(rt_fmt_event(MSG(0, ADDR_V4), 1, evil, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "{\"event\":\"addr\",\"action\":\"new\",\"ifindex\":3,\"ifname\":\"a\\\"b\\\\c\\u0001\","
		  "\"family\":\"inet\",\"local\":\"10.9.0.1\",\"prefixlen\":24,\"scope\":\"global\",\"flags\":[]}");
}

TEST(rt_debounce_quiet_and_max)
{
	struct rt_debounce d;
	int64_t t;

	rt_debounce_init(&d, 250, 1000);
	CHECK_INT(rt_debounce_wait(&d, 0), -1);
	rt_debounce_event(&d, 100);
	CHECK_INT(rt_debounce_wait(&d, 100), 250);
	CHECK_INT(rt_debounce_wait(&d, 349), 1);
	CHECK_INT(rt_debounce_wait(&d, 350), 0);
	/* a storm: an event every 100 ms never goes quiet, max still fires */
	rt_debounce_done(&d);
	for (t = 1000; t < 1900; t += 100) {
		rt_debounce_event(&d, t);
		CHECK(rt_debounce_wait(&d, t) > 0);
	}
	rt_debounce_event(&d, 1990);
	CHECK_INT(rt_debounce_wait(&d, 1990), 10);	/* 1000 + 1000 - 1990 */
	CHECK_INT(rt_debounce_wait(&d, 2000), 0);
	/* max below quiet is raised to quiet */
	rt_debounce_init(&d, 500, 100);
	rt_debounce_event(&d, 0);
	CHECK_INT(rt_debounce_wait(&d, 0), 500);
}

/* a default route built with the request builder: metric and either a
 * plain RTA_OIF or a one-hop RTA_MULTIPATH */
static const struct nlmsghdr *def_route(int slot, int32_t oif, uint32_t metric, int multipath)
{
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN,
			     .rtm_protocol = RTPROT_STATIC, .rtm_type = RTN_UNICAST };
	struct rtnexthop nh = { .rtnh_len = sizeof nh + 8, .rtnh_ifindex = oif };
	unsigned char mp[sizeof nh + 8];
	struct nl_mb b;

	nl_mb_init(&b, mbuf[slot], sizeof mbuf[slot], RTM_NEWROUTE, 0);
	nl_mb_put(&b, &rtm, sizeof rtm);
	nl_mb_attr_u32(&b, RTA_PRIORITY, metric);
	if (multipath) {
		memcpy(mp, &nh, sizeof nh);
		memcpy(mp + sizeof nh, "\x08\0\x05\0\x0a\x09\0\x02", 8);	/* RTA_GATEWAY */
		nl_mb_attr(&b, RTA_MULTIPATH, mp, sizeof mp);
	} else {
		nl_mb_attr_u32(&b, RTA_OIF, (uint32_t)oif);
	}
	nl_mb_end(&b);
	return (const struct nlmsghdr *)mbuf[slot];
}

TEST(rt_default_metric_multipath)
{
	struct rt_route r;
	uint32_t *w;

	base_state();
	w = (uint32_t *)MSG(1, LINK_ETH0_UP);
	w[5] = 4;
	((char *)w)[32 + 4 + 3] = '1';
	rt_state_add(&st, (const struct nlmsghdr *)w);
	rt_state_add(&st, MSG(0, ADDR_V4));
	CHECK_INT(rt_state_add(&st, def_route(2, 3, 100, 0)), 1);
	CHECK_INT(rt_state_add(&st, def_route(3, 4, 50, 1)), 1);
	rt_summarize(&st, &ALL, &s1);
	CHECK_STR(s1.def4, "eth1");	/* metric 50 beats 100 */
	CHECK_INT(rt_parse_route(def_route(3, 4, 50, 1), &r), 0);
	CHECK_INT(r.oif, 4);
	CHECK(r.has_gw && !memcmp(r.gw, "\x0a\x09\0\x02", 4));
	/* a nexthop record that lies about its length */
	w = (uint32_t *)def_route(3, 4, 50, 1);
	((unsigned char *)w)[16 + 12 + 8 + 4] = 0xff;	/* rtnh_len */
	CHECK_INT(rt_parse_route((const struct nlmsghdr *)w, &r), -EBADMSG);
}

TEST(rt_slept_gap)
{
	/* 10 s of both clocks: awake */
	CHECK(!rt_slept(1000, 5000, 11000, 15000, 2000));
	/* BOOTTIME ran 60 s ahead: slept */
	CHECK(rt_slept(1000, 5000, 11000, 75000, 2000));
	/* 1.9 s of scheduling jitter is not a suspend */
	CHECK(!rt_slept(1000, 5000, 11000, 16900, 2000));
}

TEST(rt_glob)
{
	CHECK(rt_glob_match("eth*", "eth0"));
	CHECK(rt_glob_match("eth*", "eth"));
	CHECK(!rt_glob_match("eth*", "veth0"));
	CHECK(rt_glob_match("*eth*", "veth0"));
	CHECK(rt_glob_match("wlan?", "wlan1"));
	CHECK(!rt_glob_match("wlan?", "wlan10"));
	CHECK(rt_glob_match("en[op]*", "enp3s0"));
	CHECK(!rt_glob_match("en[!op]*", "enp3s0"));
	CHECK(rt_glob_match("en[^op]*", "ens3"));
	CHECK(rt_glob_match("eth[0-3]", "eth2"));
	CHECK(!rt_glob_match("eth[0-3]", "eth7"));
	CHECK(rt_glob_match("a[]]b", "a]b"));
	CHECK(!rt_glob_match("eth[0", "eth0"));	/* unterminated: literal '[' */
	CHECK(rt_glob_match("eth[0", "eth[0"));
	CHECK(rt_glob_match("*a*b*c", "xaybzc"));
	CHECK(!rt_glob_match("*a*b*c", "xaybz"));
	CHECK(rt_glob_match("", ""));
	CHECK(!rt_glob_match("", "x"));
	CHECK(rt_glob_match("**", "x"));
}

TEST(rt_fmt_utc_dates)
{
	static const struct { long long sec; long nsec; const char *want; } t[] = {
		{ 0, 0, "1970-01-01T00:00:00.000000Z" },
		{ 951782400, 123456789, "2000-02-29T00:00:00.123456Z" },
		{ 1709164800, 999999, "2024-02-29T00:00:00.000999Z" },
		{ 4102444799LL, 0, "2099-12-31T23:59:59.000000Z" },
		{ 253402300799LL, 0, "9999-12-31T23:59:59.000000Z" },
		{ -1, 0, "1969-12-31T23:59:59.000000Z" },
	};
	struct timespec ts;
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof t / sizeof *t; i++) {
		ts.tv_sec = (time_t)t[i].sec;
		ts.tv_nsec = t[i].nsec;
		rt_fmt_utc(&ts, buf, sizeof buf);
		CHECK_STR(buf, t[i].want);
	}
}

TEST(rt_mon_filters_and_names)
{
	const char *incl[] = { "eth*" }, *excl[] = { "eth0" };
	struct rt_filter f = { RT_G_LINK | RT_G_ADDR | RT_G_ROUTE, RT_FAM_4 | RT_FAM_6,
			       incl, 1, NULL, 0 };
	static struct rt_mon m;
	char buf[RT_MON_BUF];

	rt_mon_init(&m, &f, 0, 0);
	/* the link event teaches index 3's name; the address then uses it */
	CHECK(rt_mon_line(&m, MSG(0, LINK_ETH0_UP), buf, sizeof buf) > 0);
	CHECK_STR(buf, "3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UNKNOWN");
	CHECK(rt_mon_line(&m, MSG(0, ADDR_V4), buf, sizeof buf) > 0);
	CHECK_STR(buf, "3: eth0    inet 10.9.0.1/24 scope global");
	/* -x wins over -i */
	f.excl = excl;
	f.n_excl = 1;
	CHECK_INT(rt_mon_line(&m, MSG(0, ADDR_V4), buf, sizeof buf), 0);
	CHECK_INT(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, sizeof buf), 0);
	f.n_excl = 0;
	/* families and groups */
	f.families = RT_FAM_6;
	CHECK_INT(rt_mon_line(&m, MSG(0, ADDR_V4), buf, sizeof buf), 0);
	f.families = RT_FAM_4;
	f.groups = RT_G_LINK;
	CHECK_INT(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, sizeof buf), 0);
	f.groups |= RT_G_ROUTE;
	CHECK(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, sizeof buf) > 0);
	CHECK_STR(buf, "default via 10.9.0.2 dev eth0");
	/* malformed: said, not shown (with -i it has no name: filtered) */
	{
		uint32_t *w = (uint32_t *)MSG(1, ROUTE_DEF4);

		w[0] = 20;	/* shorter than struct rtmsg needs */
		CHECK_INT(rt_mon_line(&m, (const struct nlmsghdr *)w, buf, sizeof buf), 0);
		f.n_incl = 0;
		CHECK_INT(rt_mon_line(&m, (const struct nlmsghdr *)w, buf, sizeof buf), -EBADMSG);
	}
	/* stamps: "[STAMP] line" in text, the first member in JSON; index 3
	 * is not learnt here, so its name (if any) is this machine's */
	rt_mon_init(&m, &f, 0, 1);
	CHECK(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, sizeof buf) > 0);
	CHECK(buf[0] == '[' && buf[5] == '-' && buf[11] == 'T' && buf[27] == 'Z' && buf[28] == ']');
	CHECK(!strncmp(buf + 29, " default via 10.9.0.2 dev ", 26));
	rt_mon_init(&m, &f, 1, 1);
	CHECK(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, sizeof buf) > 0);
	CHECK(!strncmp(buf, "{\"time\":\"", 9) && !strncmp(buf + 36, "\",\"event\":\"route\"", 17));
	/* a small buffer cuts the line, still terminated */
	CHECK_INT(rt_mon_line(&m, MSG(0, ROUTE_DEF4), buf, 12), 11);
	CHECK_INT(strlen(buf), 11);
}

TEST(rt_sched_pending_coalesces)
{
	struct rt_sched s;
	int64_t t;

	rt_sched_init(&s, 100, 1000);
	CHECK_INT(rt_sched_wait(&s, 0), -1);
	rt_sched_mark(&s, RT_R_CHANGE, 0);
	CHECK_INT(rt_sched_wait(&s, 40), 60);
	CHECK_INT(rt_sched_wait(&s, 100), 0);
	CHECK_INT(rt_sched_due(&s, 0), 1);	/* idle: look now */
	CHECK_INT(rt_sched_reason(&s), RT_R_CHANGE);
	/* a run started; five bursts fall due during it: no look at all */
	for (t = 200; t < 700; t += 100) {
		rt_sched_mark(&s, RT_R_CHANGE, t);
		rt_sched_mark(&s, RT_R_CHANGE, t + 10);
		CHECK_INT(rt_sched_wait(&s, t + 110), 0);
		CHECK_INT(rt_sched_due(&s, 1), 0);
		CHECK_INT(rt_sched_wait(&s, t + 110), -1);
	}
	/* the run ends: exactly one look, after the quiet time */
	rt_sched_run_over(&s, 900);
	CHECK_INT(rt_sched_wait(&s, 900), 100);
	CHECK_INT(rt_sched_wait(&s, 1000), 0);
	CHECK_INT(rt_sched_due(&s, 0), 1);
	CHECK_INT(rt_sched_wait(&s, 1000), -1);
	/* a run that ends with nothing pending schedules nothing */
	rt_sched_run_over(&s, 1200);
	CHECK_INT(rt_sched_wait(&s, 1200), -1);
}

TEST(rt_sched_reasons)
{
	struct rt_sched s;

	rt_sched_init(&s, 10, 10);
	CHECK_INT(rt_sched_reason(&s), RT_R_CHANGE);	/* no hint: a change */
	rt_sched_mark(&s, RT_R_CHANGE, 0);
	rt_sched_mark(&s, RT_R_RESYNC, 1);
	rt_sched_mark(&s, RT_R_RESUME, 2);
	CHECK_INT(rt_sched_due(&s, 0), 1);
	/* that look found nothing: the resync is kept for the next change */
	rt_sched_mark(&s, RT_R_CHANGE, 20);
	CHECK_INT(rt_sched_due(&s, 0), 1);
	CHECK_INT(rt_sched_reason(&s), RT_R_RESYNC);
	CHECK_STR(rt_reason_name(RT_R_RESYNC), "resync");
	CHECK_INT(rt_sched_reason(&s), RT_R_CHANGE);
	CHECK_STR(rt_reason_name(RT_R_CHANGE), "change");
	CHECK_STR(rt_reason_name(RT_R_RESUME), "resume");
	/* a dump that must be redone is due again after the quiet time */
	rt_sched_mark(&s, RT_R_CHANGE, 100);
	CHECK_INT(rt_sched_due(&s, 0), 1);
	rt_sched_retry(&s, 105);
	CHECK_INT(rt_sched_wait(&s, 105), 10);
}

TEST(rt_mcast_groups_table)
{
	unsigned g[8];

	CHECK_INT(rt_mcast_groups(RT_G_LINK, RT_FAM_4 | RT_FAM_6, g, 8), 1);
	CHECK_INT(g[0], RTNLGRP_LINK);
	CHECK_INT(rt_mcast_groups(RT_G_ADDR | RT_G_ROUTE, RT_FAM_6, g, 8), 3);
	CHECK_INT(g[0], RTNLGRP_LINK);
	CHECK_INT(g[1], RTNLGRP_IPV6_IFADDR);
	CHECK_INT(g[2], RTNLGRP_IPV6_ROUTE);
	CHECK_INT(rt_mcast_groups(RT_G_ADDR | RT_G_ROUTE | RT_G_RULE, RT_FAM_4 | RT_FAM_6, g, 8), 7);
	CHECK_INT(g[5], RTNLGRP_IPV4_RULE);
	CHECK_INT(g[6], RTNLGRP_IPV6_RULE);
	CHECK_INT(rt_mcast_groups(RT_G_ADDR | RT_G_ROUTE, RT_FAM_4 | RT_FAM_6, g, 2), 2);
	CHECK_INT(g[1], RTNLGRP_IPV4_IFADDR);
}

TEST(rt_fmt_numbers_without_names)
{
	char line[256];
	uint32_t *w = (uint32_t *)MSG(0, ROUTE_NET4);

	/* rtm_protocol 99, rtm_scope 77 (rtmsg bytes 4..7 of the header) and
	 * RTA_TABLE 100: no names for those, the numbers are printed */
	((uint8_t *)w)[NLMSG_HDRLEN + 5] = 99;
	((uint8_t *)w)[NLMSG_HDRLEN + 6] = 77;
	w[8] = 100;
	CHECK(rt_fmt_event((const struct nlmsghdr *)w, 0, names, NULL, line, sizeof line) > 0);
	CHECK_STR(line, "10.9.0.0/24 dev eth0 table 100 proto 99 scope 77 src 10.9.0.1");
}
