/* netwatch — watch rtnetlink, act only when the interesting network state
 * really changed.  Options are parsed and what the loop reports is printed
 * here; the loop itself (events as hints, debounced re-dumps, COMMAND runs,
 * monitor lines, wait-online) is core/rt_watch.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#include "applet.h"
#include "rt_watch.h"

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

struct nw {
	struct rt_watch w;	/* first: big (state, summaries, buffer) */
	const char *incl[MAX_GLOBS], *excl[MAX_GLOBS];
};

/* What the loop reports, as the user sees it. */
static void note(void *arg, const struct rt_watch_note *n)
{
	const struct rt_watch *w = arg;

	switch (n->kind) {
	case RT_WN_EVENT:
		printf("%s\n", n->line);	/* flushed per batch: one write */
		break;
	case RT_WN_FLUSH:
		fflush(stdout);
		break;
	case RT_WN_BAD_EVENT:
		msg("malformed event (type %d) ignored", n->num);
		break;
	case RT_WN_LOST:
		msg("events lost (%s)%s", n->err == -ENOBUFS ? "ENOBUFS" : "truncated",
		    n->num ? ", resync" : "");
		break;
	case RT_WN_CHANGE:
		printf("REASON=%s IFACES='%s' DEFAULT_IF=%s HAVE_V4=%d HAVE_V6=%d\n", n->reason,
		       n->ifaces, rt_summary_default_if(n->sum), n->sum->have_v4, n->sum->have_v6);
		fflush(stdout);
		break;
	case RT_WN_SPAWN_FAILED:
		msg_errno(n->err, "fork");
		break;
	case RT_WN_EXEC_FAILED:
		msg_errno(n->err, "%s", w->cmd[0]);
		break;
	case RT_WN_RUN_EXIT:
		if (WIFSIGNALED(n->num))
			msg("%s: killed by signal %d", w->cmd[0], WTERMSIG(n->num));
		else
			msg("%s: exit status %d", w->cmd[0], WEXITSTATUS(n->num));
		break;
	case RT_WN_RUN_TIMEOUT:
		msg("%s: timed out, killing it", w->cmd[0]);
		break;
	}
}

/* A failed step, as "what: why"; returns the exit code 1. */
static int failed(const struct rt_watch *w, int err)
{
	static const char *const what[] = {
		[RT_WF_NONE] = "netwatch", [RT_WF_SIGMASK] = "sigprocmask",
		[RT_WF_SIGNALFD] = "signalfd", [RT_WF_SOCKET] = "rtnetlink socket",
		[RT_WF_RCVBUF] = "receive buffer", [RT_WF_EXTACK] = "rtnetlink ext ack",
		[RT_WF_DUMP] = "dump", [RT_WF_POLL] = "poll", [RT_WF_RECV] = "receive",
	};

	if (w->fail == RT_WF_NETNS)
		return msg_errno(err, "netns %s", w->netns);
	if (w->fail == RT_WF_JOIN)
		return msg_errno(err, "join group %u", w->fail_group);
	return msg_errno(err, "%s", what[w->fail]);
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

static int netwatch_main(int argc, char **argv)
{
	static struct nw nw;	/* big: not on the stack */
	struct rt_watch *w = &nw.w;
	unsigned long long v, quiet = 250, max = 2000, tmo = 60;
	extern char **environ;
	int c, ret;

	while ((c = getopt(argc, argv, "+laRr46i:x:d:M:mtjwT:N:b:k:")) != -1) {
		switch (c) {
		case 'l': w->f.groups |= RT_G_LINK; break;
		case 'a': w->f.groups |= RT_G_ADDR; break;
		case 'r': w->f.groups |= RT_G_ROUTE; break;
		case 'R': w->f.groups |= RT_G_RULE; break;
		case '4': w->f.families |= RT_FAM_4; break;
		case '6': w->f.families |= RT_FAM_6; break;
		case 'i':
			if ((ret = glob_opt(nw.incl, &w->f.n_incl, optarg)))
				return ret;
			break;
		case 'x':
			if ((ret = glob_opt(nw.excl, &w->f.n_excl, optarg)))
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
			w->wait_ms = v ? (int64_t)v * 1000 : 1;
			break;
		case 'N': w->netns = optarg; break;
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
	w->f.incl = nw.incl;
	w->f.excl = nw.excl;
	w->quiet_ms = (unsigned)quiet;
	w->max_ms = (unsigned)max;
	w->run_timeout_ms = tmo ? (int64_t)tmo * 1000 : 1;
	w->env = environ;
	w->note = note;
	w->note_arg = w;

	ret = rt_watch_open(w);
	if (ret == 0)
		ret = rt_watch_run(w);
	rt_watch_close(w);
	switch (ret) {
	case 0:			/* the loop only ends with one of the others */
	case RT_WATCH_ONLINE:
		return 0;
	case RT_WATCH_OFFLINE:
		return 1;
	case RT_WATCH_STOPPED:
		return w->wait ? 1 : 0;	/* a -w that was stopped did not see online */
	}
	return failed(w, ret);
}
