/* uevdump — print uevents as they arrive, like `udevadm monitor`. */
#include "applet.h"

APPLET(uevdump, "uevdump",
"[-k] [-u] [-p] [-v] [-s SUBSYSTEM[/DEVTYPE]]... [-f text|env|json] [-n COUNT] [-t SECONDS] [-b BYTES]",
"Print uevents as they arrive.\n"
"\n"
"  -k         kernel events (netlink group 1; the default)\n"
"  -u         events republished by a device manager in libudev format (group 2)\n"
"  -p         text format: also print each event's properties\n"
"  -s SUB[/DEVTYPE]  only events of this subsystem (and devtype); repeatable\n"
"  -f FORMAT  text (default): SOURCE[timestamp] action devpath (subsystem)\n"
"             env: KEY=VALUE lines, a blank line after each event\n"
"             json: one JSON object per line\n"
"  -n COUNT   exit 0 after printing COUNT events\n"
"  -t SECONDS exit 0 after SECONDS\n"
"  -b BYTES   socket receive buffer (default 8 MiB)\n"
"  -v         report each rejected message and its reason on stderr\n"
"\n"
"Only kernel messages from the kernel (portid 0, group 1) and libudev messages\n"
"from uid 0 are printed; others are rejected, counted and summarised on exit.\n"
"A receive overflow (ENOBUFS) is reported with how many events were lost.\n");

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nl_sock.h"
#include "uev.h"
#include "utf8.h"

#define MAX_FILTERS 16
#define RECV_BUF (64 * 1024)	/* > a kernel uevent (2 KiB) or a libudev one */

enum format { F_TEXT, F_ENV, F_JSON };

struct filter {
	const char *subsystem;
	const char *devtype;	/* NULL: any */
};

struct dump {
	enum format fmt;
	int props;
	int verbose;
	int both;		/* -k and -u: say the source in env format too */
	struct filter filters[MAX_FILTERS];
	unsigned nfilters;
	unsigned long long rejected[UEV_NREASONS];
	unsigned long long nrejected;
	uint64_t last_seqnum;	/* last kernel SEQNUM seen, 0 = none yet */
	int overflowed;		/* ENOBUFS seen, its gap not yet found */
};

static int wanted(const struct dump *d, const struct uevent *ev)
{
	unsigned i;

	if (!d->nfilters)
		return 1;
	for (i = 0; i < d->nfilters; i++) {
		const struct filter *f = &d->filters[i];

		if (strcmp(f->subsystem, ev->subsystem))
			continue;
		if (!f->devtype || (ev->devtype && !strcmp(f->devtype, ev->devtype)))
			return 1;
	}
	return 0;
}

static void json_str(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	putchar('"');
	while (p < end) {
		unsigned char c = *p;
		int len = utf8_char_len(p, (size_t)(end - p));

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f || !len)
			/* control characters, and stray bytes as code points, so
			 * the output stays valid JSON whatever a driver put in a
			 * value */
			printf("\\u%04x", c);
		else {
			fwrite(p, 1, (size_t)len, stdout);
			p += len;
			continue;
		}
		p++;
	}
	putchar('"');
}

static void print_event(const struct dump *d, const struct uevent *ev, const struct timespec *ts)
{
	const char *src = ev->source == UEV_SRC_KERNEL ? "KERNEL" : "UDEV";
	unsigned i;

	switch (d->fmt) {
	case F_TEXT:
		printf("%-6s[%ld.%06ld] %-8s %s (%s)\n", src, (long)ts->tv_sec,
		       ts->tv_nsec / 1000, ev->action, ev->devpath, ev->subsystem);
		if (!d->props)
			break;
		for (i = 0; i < ev->nvars; i++)
			printf("%.*s=%s\n", (int)ev->vars[i].klen, ev->vars[i].key, ev->vars[i].val);
		putchar('\n');
		break;
	case F_ENV:
		if (d->both)
			printf("UEVDUMP_SOURCE=%s\n", ev->source == UEV_SRC_KERNEL ? "kernel" : "udev");
		for (i = 0; i < ev->nvars; i++)
			printf("%.*s=%s\n", (int)ev->vars[i].klen, ev->vars[i].key, ev->vars[i].val);
		putchar('\n');
		break;
	case F_JSON:
		printf("{\"source\":\"%s\",\"timestamp\":%ld.%06ld,\"env\":{",
		       ev->source == UEV_SRC_KERNEL ? "kernel" : "udev", (long)ts->tv_sec,
		       ts->tv_nsec / 1000);
		for (i = 0; i < ev->nvars; i++) {
			if (i)
				putchar(',');
			json_str(ev->vars[i].key, ev->vars[i].klen);
			putchar(':');
			json_str(ev->vars[i].val, strlen(ev->vars[i].val));
		}
		printf("}}\n");
		break;
	}
	fflush(stdout);
}

/* Kernel SEQNUMs are global across network namespaces, so a gap alone is
 * not loss (events for other namespaces never reach us).  After ENOBUFS
 * the socket still holds the messages queued before the drop, so the loss
 * shows as the first gap after it; that gap bounds what was lost. */
static void account_seqnum(struct dump *d, const struct uevent *ev)
{
	if (ev->source != UEV_SRC_KERNEL)
		return;
	if (d->overflowed && d->last_seqnum && ev->seqnum > d->last_seqnum + 1) {
		msg("lost up to %llu events in the overflow (SEQNUM %llu to %llu)",
		    (unsigned long long)(ev->seqnum - d->last_seqnum - 1),
		    (unsigned long long)d->last_seqnum + 1, (unsigned long long)ev->seqnum - 1);
		d->overflowed = 0;
	}
	d->last_seqnum = ev->seqnum;
}

static void reject(struct dump *d, int reason, const struct nl_from *from)
{
	d->rejected[reason]++;
	d->nrejected++;
	if (d->verbose)
		msg("rejected a message from portid %u (groups %#x): %s",
		    from->portid, from->groups, uev_reason_str(reason));
}

static void summary(const struct dump *d)
{
	int r;

	if (!d->nrejected)
		return;
	msg("rejected %llu message%s:", d->nrejected, d->nrejected == 1 ? "" : "s");
	for (r = 1; r < UEV_NREASONS; r++)
		if (d->rejected[r])
			fprintf(stderr, "  %llu %s\n", d->rejected[r], uev_reason_str(r));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run(struct dump *d, struct nl_sock *s, unsigned long long count, long long deadline)
{
	static char buf[RECV_BUF];
	unsigned long long printed = 0;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	while (!count || printed < count) {
		int timeout = -1;
		struct nl_from from;
		struct uevent ev;
		struct timespec ts;
		ssize_t n;
		int r;

		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				break;
			timeout = left > 60000 ? 60000 : (int)left;
		}
		r = poll(&pfd, 1, timeout);
		if (r < 0 && errno != EINTR)
			return msg_errno(errno, "poll");
		if (r <= 0)
			continue;
		n = nl_recv(s, buf, sizeof buf, &from);
		if (n == -EAGAIN)
			continue;
		if (n == -ENOBUFS) {
			msg("receive buffer overflowed (ENOBUFS): the kernel dropped events");
			d->overflowed = 1;
			continue;
		}
		if (n == -EMSGSIZE) {
			reject(d, UEV_E_TRUNCATED, &from);
			continue;
		}
		if (n < 0)
			return msg_errno((int)n, "receive");
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = uev_classify(&ev, buf, (size_t)n, &from);
		if (r) {
			reject(d, r, &from);
			continue;
		}
		account_seqnum(d, &ev);
		if (!wanted(d, &ev))
			continue;
		print_event(d, &ev, &ts);
		printed++;
	}
	return 0;
}

static int uevdump_main(int argc, char **argv)
{
	struct dump d;
	struct nl_sock s;
	unsigned long long count = 0, secs, bytes = 8 << 20;
	long long deadline = -1;
	uint32_t groups = 0;
	int c, r;

	memset(&d, 0, sizeof d);
	while ((c = getopt(argc, argv, ":kupvs:f:n:t:b:")) != -1) {
		switch (c) {
		case 'k':
			groups |= 1u << (UEV_GROUP_KERNEL - 1);
			break;
		case 'u':
			groups |= 1u << (UEV_GROUP_LIBUDEV - 1);
			break;
		case 'p':
			d.props = 1;
			break;
		case 'v':
			d.verbose = 1;
			break;
		case 's': {
			char *slash = strchr(optarg, '/');

			if (d.nfilters == MAX_FILTERS)
				return usage_error("at most %d -s filters", MAX_FILTERS);
			if (slash)
				*slash++ = '\0';
			if (!*optarg || (slash && !*slash))
				return usage_error("-s %s: want SUBSYSTEM or SUBSYSTEM/DEVTYPE", optarg);
			d.filters[d.nfilters].subsystem = optarg;
			d.filters[d.nfilters++].devtype = slash;
			break;
		}
		case 'f':
			if (!strcmp(optarg, "text"))
				d.fmt = F_TEXT;
			else if (!strcmp(optarg, "env"))
				d.fmt = F_ENV;
			else if (!strcmp(optarg, "json"))
				d.fmt = F_JSON;
			else
				return usage_error("-f %s: format is text, env or json", optarg);
			break;
		case 'n':
			if (parse_uint(optarg, ~0ULL, &count) || !count)
				return usage_error("-n %s: want a count of 1 or more", optarg);
			break;
		case 't':
			if (parse_uint(optarg, 86400ULL * 365, &secs))
				return usage_error("-t %s: want whole seconds", optarg);
			deadline = now_ms() + (long long)secs * 1000;
			break;
		case 'b':
			if (parse_uint(optarg, 1ULL << 30, &bytes) || bytes < 4096)
				return usage_error("-b %s: want bytes, 4096 to 1 GiB", optarg);
			break;
		default:
			return bad_option(c);
		}
	}
	if (optind != argc)
		return usage_error("unexpected argument: %s", argv[optind]);
	if (!groups)
		groups = 1u << (UEV_GROUP_KERNEL - 1);
	d.both = groups == 3;

	r = nl_open(&s, NETLINK_KOBJECT_UEVENT, groups, NL_NONBLOCK);
	if (r < 0)
		return msg_errno(r, "netlink uevent socket");
	r = nl_set_passcred(&s, 1);
	if (r < 0)
		return msg_errno(r, "SO_PASSCRED");
	r = nl_set_rcvbuf(&s, (int)bytes);
	if (r < 0)
		return msg_errno(r, "receive buffer of %llu bytes", bytes);
	r = run(&d, &s, count, deadline);
	summary(&d);
	nl_close(&s);
	return r;
}
