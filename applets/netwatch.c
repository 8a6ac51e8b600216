/* netwatch — watch rtnetlink, act only when the interesting network state
 * really changed.  Events are a hint: they start a debounced re-dump whose
 * summary (core/rt_state.h) is compared with the last one.  Options are
 * parsed here; dumps, parsing, comparison and formatting live in core/. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>

#include "applet.h"
#include "nl_msg.h"
#include "nl_req.h"
#include "nl_sock.h"
#include "rt_debounce.h"
#include "rt_dump.h"
#include "rt_fmt.h"
#include "rt_state.h"

APPLET(netwatch, "netwatch",
"[-l] [-a] [-r] [-R] [-4|-6] [-i GLOB]... [-x GLOB]... [-d MS] [-M MS] [-m [-t] [-j]] [-w [-T SECONDS]] [-N NETNS] [-b BYTES] [-k SECONDS] [-- COMMAND ARGS...]",
"Watch links, addresses and routes over rtnetlink.  Events only start a\n"
"debounced re-dump; COMMAND runs when the interesting state changed: up\n"
"links and their carrier, routable addresses (not loopback, not 169.254/16,\n"
"IPv6 global or ULA only), the default route's interface, HAVE_V4/HAVE_V6.\n"
"Without COMMAND, each change is printed as one line of those variables.\n"
"\n"
"  -l -a -r -R   watch links / addresses / routes / rules (default -l -a -r)\n"
"  -4 | -6       IPv4 or IPv6 only (default both)\n"
"  -i GLOB       only interfaces matching GLOB (repeatable)\n"
"  -x GLOB       never interfaces matching GLOB (repeatable, wins over -i)\n"
"  -d MS         act after MS ms without events (default 250)\n"
"  -M MS         but at most MS ms after a burst's first event (default 2000)\n"
"  -m            monitor: print every event like `ip monitor`; -t adds a\n"
"                timestamp, -j prints one JSON object per line instead\n"
"  -w            wait online: exit 0 once a default route and a routable\n"
"                address exist; with -T, exit 1 after SECONDS (not with\n"
"                -m or COMMAND)\n"
"  -N NETNS      enter the network namespace /run/netns/NETNS first\n"
"  -b BYTES      event socket receive buffer size\n"
"  -k SECONDS    kill COMMAND's process group after SECONDS (default 60)\n"
"\n"
"COMMAND runs with REASON (change, resync after lost events, resume after\n"
"a suspend), IFACES (interfaces that changed), DEFAULT_IF, HAVE_V4 and\n"
"HAVE_V6 (1 = routable address and default route of that family) set.\n"
"One run at a time; changes during a run cause one more run after it.\n"
"COMMAND does not run for the state found at start.  SIGHUP: look again now.\n");

#define MAX_GLOBS 16
#define NAME_CACHE 64		/* ifindex -> name entries for monitor lines */
#define DRAIN_MAX 256		/* datagrams per wakeup: timers stay on time */
#define RESUME_CHECK_MS 10000	/* how often to look for a suspend gap */
#define RESUME_GAP_MS 2000	/* BOOTTIME ran ahead of MONOTONIC by this */

enum { R_CHANGE, R_RESUME, R_RESYNC };	/* strongest wins */
static const char *const reason_str[] = { "change", "resume", "resync" };

struct nw {
	struct rt_filter f;
	const char *incl[MAX_GLOBS], *excl[MAX_GLOBS];
	int monitor, stamp, json, wait;
	int need_state;		/* dumps and summaries are in use */
	long long wait_ms, run_timeout_ms;
	int rcvbuf;
	char **cmd;

	struct nl_sock mon, req;
	int sigfd;
	struct rt_debounce deb;
	struct rt_state st;
	struct rt_summary last, cur;
	int reason;		/* -1: none since the last run */
	pid_t child;
	int64_t child_deadline;
	int pending;
	int64_t mono0, boot0;	/* last suspend check */
	struct name_slot { int32_t idx; char name[IF_NAMESIZE]; } names[NAME_CACHE];
	unsigned name_next;
	uint32_t rbuf[32768 / 4];	/* aligned receive buffer */
};

static int64_t now_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ifindex -> name for monitor lines: learnt from link events (kept after
 * RTM_DELLINK, so the deletions that follow still get a name), else asked
 * of the kernel once (if_indextoname costs a socket and an ioctl). */
static const char *ifname_cb(int32_t idx, void *arg)
{
	struct nw *w = arg;
	struct name_slot *e;
	char name[IF_NAMESIZE];
	unsigned i;

	if (idx <= 0)
		return NULL;
	for (i = 0; i < NAME_CACHE; i++)
		if (w->names[i].idx == idx)
			return w->names[i].name;
	if (!if_indextoname((unsigned)idx, name))
		return NULL;
	e = &w->names[w->name_next++ % NAME_CACHE];
	e->idx = idx;
	memcpy(e->name, name, sizeof e->name);
	return e->name;
}

static void learn_name(struct nw *w, const struct rt_link *l)
{
	struct name_slot *e = NULL;
	unsigned i;

	for (i = 0; i < NAME_CACHE && !e; i++)
		if (w->names[i].idx == l->ifindex)
			e = &w->names[i];
	if (!e)
		e = &w->names[w->name_next++ % NAME_CACHE];
	e->idx = l->ifindex;
	memcpy(e->name, l->name, sizeof e->name);
}

/* -- monitor output --------------------------------------------------- */

/* Wall-clock time as 2026-01-02T03:04:05.123456Z.  UTC by hand: the
 * time-zone machinery of localtime() would double this applet's size. */
static void utc_stamp(char *buf, size_t size)
{
	struct timespec t;
	long long days, z, era, doe, yoe, y, doy, mp, d, m;
	long secs;

	clock_gettime(CLOCK_REALTIME, &t);
	days = t.tv_sec / 86400;
	secs = (long)(t.tv_sec % 86400);
	/* days since 1970-01-01 to a civil date (proleptic Gregorian) */
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
		 (int)(t.tv_nsec / 1000));
}

static void print_event(struct nw *w, const struct nlmsghdr *nlh)
{
	char line[1024], ts[64] = "";
	unsigned type = nlh->nlmsg_type, want;
	int32_t idx;
	const char *name;
	struct rt_link l;
	int n;

	want = type == RTM_NEWLINK || type == RTM_DELLINK ? RT_G_LINK :
	       type == RTM_NEWADDR || type == RTM_DELADDR ? RT_G_ADDR :
	       type == RTM_NEWROUTE || type == RTM_DELROUTE ? RT_G_ROUTE :
	       type == RTM_NEWRULE || type == RTM_DELRULE ? RT_G_RULE : 0;
	if (!(w->f.groups & want))
		return;
	/* family byte leads ifaddrmsg, rtmsg and fib_rule_hdr */
	if (want != RT_G_LINK && nlh->nlmsg_len > NLMSG_HDRLEN) {
		unsigned char fam = *((const unsigned char *)nlh + NLMSG_HDRLEN);

		if ((fam == AF_INET && !(w->f.families & RT_FAM_4)) ||
		    (fam == AF_INET6 && !(w->f.families & RT_FAM_6)))
			return;
	}
	if (want == RT_G_LINK && rt_parse_link(nlh, &l) == 0)
		learn_name(w, &l);
	if (w->f.n_incl || w->f.n_excl) {
		if (want == RT_G_LINK)
			name = rt_parse_link(nlh, &l) == 0 ? l.name : NULL;
		else
			name = (idx = rt_event_ifindex(nlh)) > 0 ? ifname_cb(idx, w) : NULL;
		if (!name || !rt_filter_ifname(&w->f, name))
			return;
	}
	n = rt_fmt_event(nlh, w->json, ifname_cb, w, line, sizeof line);
	if (n == -EBADMSG) {
		msg("malformed event (type %u) ignored", type);
		return;
	}
	if (n <= 0 && n != -ENOSPC)
		return;
	if (w->stamp)
		utc_stamp(ts, sizeof ts);
	if (w->json && w->stamp)
		printf("{\"time\":\"%s\",%s\n", ts, line + 1);
	else if (w->stamp)
		printf("[%s] %s\n", ts, line);
	else
		printf("%s\n", line);
	/* flushed by drain() once the socket is empty: one write per batch */
}

/* -- running COMMAND --------------------------------------------------- */

/* COMMAND's environment: ours minus any old values of the five, plus them.
 * Built in the forked child in static storage (no malloc there). */
#define ENV_MAX 512
static char *child_env[ENV_MAX + 6];
static char env_buf[5][640];

static void make_env(struct nw *w, const char *reason, const char *ifaces)
{
	static const char *const ours[] = { "REASON=", "IFACES=", "DEFAULT_IF=", "HAVE_V4=",
					    "HAVE_V6=" };
	extern char **environ;
	size_t i, j, n = 0;

	for (i = 0; environ[i] && n < ENV_MAX; i++) {
		for (j = 0; j < 5; j++)
			if (!strncmp(environ[i], ours[j], strlen(ours[j])))
				break;
		if (j == 5)
			child_env[n++] = environ[i];
	}
	snprintf(env_buf[0], sizeof env_buf[0], "REASON=%s", reason);
	snprintf(env_buf[1], sizeof env_buf[1], "IFACES=%s", ifaces);
	snprintf(env_buf[2], sizeof env_buf[2], "DEFAULT_IF=%s", rt_summary_default_if(&w->cur));
	snprintf(env_buf[3], sizeof env_buf[3], "HAVE_V4=%d", w->cur.have_v4);
	snprintf(env_buf[4], sizeof env_buf[4], "HAVE_V6=%d", w->cur.have_v6);
	for (j = 0; j < 5; j++)
		child_env[n++] = env_buf[j];
	child_env[n] = NULL;
}

static void run_command(struct nw *w, const char *reason, const char *ifaces)
{
	sigset_t all;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		msg_errno(errno, "fork");
		return;
	}
	if (pid == 0) {
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setpgid(0, 0);	/* own group: a timeout kills all of it */
		make_env(w, reason, ifaces);
		execvpe(w->cmd[0], w->cmd, child_env);
		msg_errno(errno, "%s", w->cmd[0]);
		_exit(127);
	}
	setpgid(pid, pid);	/* also here: no race with the kill below */
	w->child = pid;
	w->child_deadline = now_ms(CLOCK_MONOTONIC) + w->run_timeout_ms;
}

/* Re-dump, compare with what was last reported, act if it changed.
 * Returns 1 when -w is satisfied, 0 to go on, -errno on a fatal error. */
static int fire(struct nw *w)
{
	char ifaces[512];
	int ret, reason;

	rt_debounce_done(&w->deb);
	if (w->child) {
		w->pending = 1;	/* one more look once the run is over */
		return 0;
	}
	w->pending = 0;
	ret = rt_dump(&w->req, &w->st, w->f.groups, w->f.families, w->rbuf, sizeof w->rbuf, NULL);
	if (ret == -ENOBUFS || ret == -EINTR) {
		/* the dump itself lost replies or kept racing: try again soon */
		rt_debounce_event(&w->deb, now_ms(CLOCK_MONOTONIC));
		return 0;
	}
	if (ret < 0)
		return ret;
	rt_summarize(&w->st, &w->f, &w->cur);
	if (w->wait)
		return w->cur.have_v4 || w->cur.have_v6;
	if (!rt_summary_diff(&w->last, &w->cur, ifaces, sizeof ifaces))
		return 0;
	reason = w->reason < 0 ? R_CHANGE : w->reason;
	w->reason = -1;
	w->last = w->cur;
	if (w->cmd) {
		run_command(w, reason_str[reason], ifaces);
	} else {
		printf("REASON=%s IFACES='%s' DEFAULT_IF=%s HAVE_V4=%d HAVE_V6=%d\n",
		       reason_str[reason], ifaces, rt_summary_default_if(&w->cur),
		       w->cur.have_v4, w->cur.have_v6);
		fflush(stdout);
	}
	return 0;
}

static void mark(struct nw *w, int reason)
{
	if (!w->need_state)
		return;		/* monitor only: nothing to re-dump */
	if (reason > w->reason)
		w->reason = reason;
	rt_debounce_event(&w->deb, now_ms(CLOCK_MONOTONIC));
}

/* Read what the event socket holds (bounded), print and mark dirty. */
static int drain(struct nw *w)
{
	struct nl_msg_iter it;
	const struct nlmsghdr *nlh;
	struct nl_from from;
	ssize_t n;
	int i;

	for (i = 0; i < DRAIN_MAX; i++) {
		n = nl_recv(&w->mon, w->rbuf, sizeof w->rbuf, &from);
		if (n == -EAGAIN)
			break;
		if (n == -ENOBUFS || n == -EMSGSIZE) {
			/* events were lost: only a full re-dump can tell */
			if (w->monitor)
				msg("events lost (%s)%s", n == -ENOBUFS ? "ENOBUFS" : "truncated",
				    w->need_state ? ", resync" : "");
			mark(w, R_RESYNC);
			continue;
		}
		if (n < 0)
			return (int)n;
		if (from.portid != 0)
			continue;	/* only the kernel speaks for the kernel */
		nl_msg_iter_init(&it, w->rbuf, (size_t)n);
		while ((nlh = nl_msg_next(&it))) {
			if (w->monitor)
				print_event(w, nlh);
			mark(w, R_CHANGE);
		}
	}
	if (w->monitor)
		fflush(stdout);
	return 0;
}

static int on_signal(struct nw *w)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	if (read(w->sigfd, &si, sizeof si) != sizeof si)
		return 0;
	if (si.ssi_signo == SIGHUP) {
		mark(w, R_RESYNC);	/* look again now, as after lost events */
		return 0;
	}
	if (si.ssi_signo != SIGCHLD) {
		if (w->child)
			kill(-w->child, SIGTERM);
		return w->wait ? 1 : -EINTR;	/* stop: exit 1 for -w, else 0 */
	}
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != w->child)
			continue;
		w->child = 0;
		if (WIFSIGNALED(status))
			msg("%s: killed by signal %d", w->cmd[0], WTERMSIG(status));
		else if (WEXITSTATUS(status))
			msg("%s: exit status %d", w->cmd[0], WEXITSTATUS(status));
	}
	if (!w->child && w->pending)
		mark(w, R_CHANGE);	/* the pending look, after the quiet time */
	return 0;
}

static int glob_opt(const char **v, unsigned *n, const char *arg)
{
	if (*n == MAX_GLOBS)
		return usage_error("at most %d -i/-x patterns", MAX_GLOBS);
	v[(*n)++] = arg;
	return 0;
}

static int num_opt(const char *arg, unsigned long long max, unsigned long long *v, int c)
{
	if (parse_uint(arg, max, v) < 0)
		return usage_error("-%c: bad number '%s'", c, arg);
	return 0;
}

static int setup(struct nw *w, const char *netns)
{
	unsigned grp[8], n, i;
	int ret;

	if (netns && (ret = rt_netns_enter(netns)) < 0)
		return msg_errno(ret, "netns %s", netns);
	ret = nl_open(&w->mon, NETLINK_ROUTE, 0, NL_NONBLOCK);
	if (ret < 0)
		return msg_errno(ret, "rtnetlink socket");
	n = rt_mcast_groups(w->f.groups, w->f.families, grp, 8);
	for (i = 0; i < n; i++)
		if ((ret = nl_join(&w->mon, grp[i])) < 0)
			return msg_errno(ret, "join group %u", grp[i]);
	if (w->rcvbuf && (ret = nl_set_rcvbuf(&w->mon, w->rcvbuf)) < 0)
		return msg_errno(ret, "receive buffer");
	ret = nl_open(&w->req, NETLINK_ROUTE, 0, NL_NONBLOCK);
	if (ret < 0)
		return msg_errno(ret, "rtnetlink socket");
	if ((ret = nl_req_setup(&w->req)) < 0)
		return msg_errno(ret, "rtnetlink ext ack");
	return 0;
}

static int loop(struct nw *w)
{
	int64_t start = now_ms(CLOCK_MONOTONIC), now, t, wait;
	struct pollfd p[2];
	int ret;

	for (;;) {
		now = now_ms(CLOCK_MONOTONIC);
		/* a suspend stops MONOTONIC but not BOOTTIME */
		t = now_ms(CLOCK_BOOTTIME);
		if (rt_slept(w->mono0, w->boot0, now, t, RESUME_GAP_MS))
			mark(w, R_RESUME);
		w->boot0 = t;
		w->mono0 = now;

		if (w->child && now >= w->child_deadline) {
			msg("%s: timed out, killing it", w->cmd[0]);
			kill(-w->child, SIGKILL);
			w->child_deadline = now + RESUME_CHECK_MS;
		}
		wait = rt_debounce_wait(&w->deb, now);
		if (wait == 0) {
			ret = fire(w);
			if (ret < 0)
				return msg_errno(ret, "dump");
			if (ret > 0)
				return 0;	/* -w: online */
			continue;
		}
		if (wait < 0 || wait > RESUME_CHECK_MS)
			wait = RESUME_CHECK_MS;
		if (w->child && w->child_deadline - now < wait)
			wait = w->child_deadline - now;
		if (w->wait && w->wait_ms) {
			if (now - start >= w->wait_ms)
				return 1;
			if (start + w->wait_ms - now < wait)
				wait = start + w->wait_ms - now;
		}
		p[0].fd = w->mon.fd;
		p[0].events = POLLIN;
		p[1].fd = w->sigfd;
		p[1].events = POLLIN;
		ret = poll(p, 2, (int)wait);
		if (ret < 0 && errno != EINTR)
			return msg_errno(errno, "poll");
		if (ret <= 0)
			continue;
		if ((p[1].revents & POLLIN) && (ret = on_signal(w)) != 0)
			return ret > 0 ? 1 : 0;
		if (p[0].revents & (POLLIN | POLLERR) && (ret = drain(w)) < 0)
			return msg_errno(ret, "receive");
	}
}

static int netwatch_main(int argc, char **argv)
{
	static struct nw nw;	/* big (state, summaries, buffer): not on the stack */
	struct nw *w = &nw;
	unsigned long long v, quiet = 250, max = 2000, tmo = 60;
	const char *netns = NULL;
	sigset_t set;
	int c, ret;

	w->f.families = 0;
	w->wait_ms = 0;
	w->reason = -1;
	w->mon.fd = w->req.fd = -1;
	while ((c = getopt(argc, argv, "+laRr46i:x:d:M:mtjwT:N:b:k:")) != -1) {
		switch (c) {
		case 'l': w->f.groups |= RT_G_LINK; break;
		case 'a': w->f.groups |= RT_G_ADDR; break;
		case 'r': w->f.groups |= RT_G_ROUTE; break;
		case 'R': w->f.groups |= RT_G_RULE; break;
		case '4': w->f.families |= RT_FAM_4; break;
		case '6': w->f.families |= RT_FAM_6; break;
		case 'i':
			if ((ret = glob_opt(w->incl, &w->f.n_incl, optarg)))
				return ret;
			break;
		case 'x':
			if ((ret = glob_opt(w->excl, &w->f.n_excl, optarg)))
				return ret;
			break;
		case 'd':
			if ((ret = num_opt(optarg, 3600000, &quiet, c)))
				return ret;
			break;
		case 'M':
			if ((ret = num_opt(optarg, 3600000, &max, c)))
				return ret;
			break;
		case 'm': w->monitor = 1; break;
		case 't': w->stamp = 1; break;
		case 'j': w->json = 1; break;
		case 'w': w->wait = 1; break;
		case 'T':
			if ((ret = num_opt(optarg, 86400 * 365, &v, c)))
				return ret;
			w->wait_ms = v ? (long long)v * 1000 : 1;
			break;
		case 'N': netns = optarg; break;
		case 'b':
			if ((ret = num_opt(optarg, 1u << 30, &v, c)))
				return ret;
			w->rcvbuf = (int)v;
			break;
		case 'k':
			if ((ret = num_opt(optarg, 86400, &tmo, c)))
				return ret;
			break;
		default:
			return usage_error("unknown option");
		}
	}
	if (optind < argc)
		w->cmd = argv + optind;
	if ((w->stamp || w->json) && !w->monitor)
		return usage_error("-t and -j go with -m");
	if (w->wait_ms && !w->wait)
		return usage_error("-T goes with -w");
	if (w->wait && (w->monitor || w->cmd))
		return usage_error("-w takes neither -m nor COMMAND");
	if (w->f.families == (RT_FAM_4 | RT_FAM_6))
		return usage_error("-4 and -6 exclude each other (default is both)");
	if (!w->f.groups)
		w->f.groups = RT_G_LINK | RT_G_ADDR | RT_G_ROUTE;
	if (!w->f.families)
		w->f.families = RT_FAM_4 | RT_FAM_6;
	if (w->wait)	/* online needs addresses and routes whatever -l/-a/-r said */
		w->f.groups |= RT_G_ADDR | RT_G_ROUTE;
	w->f.incl = w->incl;
	w->f.excl = w->excl;
	w->run_timeout_ms = tmo ? (long long)tmo * 1000 : 1;
	rt_debounce_init(&w->deb, (unsigned)quiet, (unsigned)max);

	/* signals arrive through a descriptor polled with the socket */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return msg_errno(errno, "sigprocmask");
	w->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w->sigfd < 0)
		return msg_errno(errno, "signalfd");
	/* subscribe before the first dump: nothing falls between the two */
	if ((ret = setup(w, netns)))
		return ret;
	w->mono0 = now_ms(CLOCK_MONOTONIC);
	w->boot0 = now_ms(CLOCK_BOOTTIME);
	w->need_state = !w->monitor || w->cmd;
	if (w->need_state) {
		int tries = 0;

		/* a reply lost to a full buffer is asked for again */
		do
			ret = rt_dump(&w->req, &w->st, w->f.groups, w->f.families, w->rbuf,
				      sizeof w->rbuf, NULL);
		while (ret == -ENOBUFS && ++tries < 3);
		if (ret < 0)
			return msg_errno(ret, "dump");
		rt_summarize(&w->st, &w->f, &w->last);
		if (w->wait && (w->last.have_v4 || w->last.have_v6))
			return 0;
	}
	ret = loop(w);
	return ret;
}
