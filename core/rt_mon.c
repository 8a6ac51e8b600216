/* rt_mon.c — filtered, named, stamped monitor lines (contract in
 * rt_mon.h). */
#include <errno.h>
#include <net/if.h>	/* before <linux/if.h> (rt_state.h): that order is the compatible one */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "rt_fmt.h"
#include "rt_mon.h"

void rt_mon_init(struct rt_mon *m, const struct rt_filter *f, int json, int stamp)
{
	m->f = f;
	m->json = json;
	m->stamp = stamp;
	memset(m->names, 0, sizeof m->names);
	m->next = 0;
}

static const char *ifname_cb(int32_t idx, void *arg)
{
	struct rt_mon *m = arg;
	char name[IFNAMSIZ];
	unsigned i;

	if (idx <= 0)
		return NULL;
	for (i = 0; i < RT_MON_NAMES; i++)
		if (m->names[i].idx == idx)
			return m->names[i].name;
	/* costs a socket and an ioctl: asked once, then cached */
	if (!if_indextoname((unsigned)idx, name))
		return NULL;
	i = m->next++ % RT_MON_NAMES;
	m->names[i].idx = idx;
	memcpy(m->names[i].name, name, sizeof name);
	return m->names[i].name;
}

static void learn_name(struct rt_mon *m, const struct rt_link *l)
{
	unsigned i;

	for (i = 0; i < RT_MON_NAMES; i++)
		if (m->names[i].idx == l->ifindex)
			break;
	if (i == RT_MON_NAMES)
		i = m->next++ % RT_MON_NAMES;
	m->names[i].idx = l->ifindex;
	memcpy(m->names[i].name, l->name, sizeof l->name);
}

/* Does the event pass the groups, families and name filters? */
static int wanted(struct rt_mon *m, const struct nlmsghdr *nlh)
{
	unsigned type = nlh->nlmsg_type, want;
	const char *name;
	struct rt_link l;
	int32_t idx;

	want = type == RTM_NEWLINK || type == RTM_DELLINK ? RT_G_LINK :
	       type == RTM_NEWADDR || type == RTM_DELADDR ? RT_G_ADDR :
	       type == RTM_NEWROUTE || type == RTM_DELROUTE ? RT_G_ROUTE :
	       type == RTM_NEWRULE || type == RTM_DELRULE ? RT_G_RULE : 0;
	if (!(m->f->groups & want))
		return 0;
	/* family byte leads ifaddrmsg, rtmsg and fib_rule_hdr */
	if (want != RT_G_LINK && nlh->nlmsg_len > NLMSG_HDRLEN) {
		unsigned char fam = *((const unsigned char *)nlh + NLMSG_HDRLEN);

		if ((fam == AF_INET && !(m->f->families & RT_FAM_4)) ||
		    (fam == AF_INET6 && !(m->f->families & RT_FAM_6)))
			return 0;
	}
	if (want == RT_G_LINK && rt_parse_link(nlh, &l) == 0)
		learn_name(m, &l);
	if (!m->f->n_incl && !m->f->n_excl)
		return 1;
	if (want == RT_G_LINK)
		name = rt_parse_link(nlh, &l) == 0 ? l.name : NULL;
	else
		name = (idx = rt_event_ifindex(nlh)) > 0 ? ifname_cb(idx, m) : NULL;
	return name && rt_filter_ifname(m->f, name);
}

int rt_mon_line(struct rt_mon *m, const struct nlmsghdr *nlh, char *buf, size_t size)
{
	char line[RT_MON_LINE], ts[64];
	struct timespec now;
	int n;

	if (!size)
		return -ENOSPC;
	buf[0] = 0;
	if (!wanted(m, nlh))
		return 0;
	n = rt_fmt_event(nlh, m->json, ifname_cb, m, line, sizeof line);
	if (n == -EBADMSG)
		return n;
	if (n <= 0 && n != -ENOSPC)
		return 0;
	if (!m->stamp)
		n = snprintf(buf, size, "%s", line);
	else {
		clock_gettime(CLOCK_REALTIME, &now);
		rt_fmt_utc(&now, ts, sizeof ts);
		if (m->json)
			n = snprintf(buf, size, "{\"time\":\"%s\",%s", ts, line + 1);
		else
			n = snprintf(buf, size, "[%s] %s", ts, line);
	}
	if (n < 0)
		return -EINVAL;
	return (size_t)n >= size ? (int)size - 1 : n;
}
