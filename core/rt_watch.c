/* rt_watch.c — netwatch's event loop: hints, debounced re-dumps, change
 * detection, COMMAND runs, monitor lines, wait-online (contract in
 * rt_watch.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>

#include "nl_msg.h"
#include "nl_req.h"
#include "rt_dump.h"
#include "rt_watch.h"

static int64_t now_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tell(struct rt_watch *w, struct rt_watch_note *n)
{
	if (w->note)
		w->note(w->note_arg, n);
}

static void tell_kind(struct rt_watch *w, enum rt_watch_kind kind, int err, int num)
{
	struct rt_watch_note n = { .kind = kind, .err = err, .num = num };

	tell(w, &n);
}

static int fail(struct rt_watch *w, enum rt_watch_fail step, int err)
{
	w->fail = step;
	return err;
}

static void mark(struct rt_watch *w, int reason)
{
	if (w->need_state)	/* monitor only: nothing to re-dump */
		rt_sched_mark(&w->sch, reason, now_ms(CLOCK_MONOTONIC));
}

/* COMMAND with the five variables on top of the inherited environment. */
static void run_command(struct rt_watch *w, const char *reason, const char *ifaces)
{
	int ret;

	/* a huge inherited environment is cut, as before: not a reason to
	 * skip the run; the five variables always fit (PROC_ENV_BUF) */
	proc_env_init(&w->cenv, w->env);
	proc_env_set(&w->cenv, "REASON", reason);
	proc_env_set(&w->cenv, "IFACES", ifaces);
	proc_env_set(&w->cenv, "DEFAULT_IF", rt_summary_default_if(&w->cur));
	proc_env_set(&w->cenv, "HAVE_V4", w->cur.have_v4 ? "1" : "0");
	proc_env_set(&w->cenv, "HAVE_V6", w->cur.have_v6 ? "1" : "0");
	ret = proc_start(&w->pool, w->cmd, w->cenv.v, now_ms(CLOCK_MONOTONIC), w->run_timeout_ms,
			 NULL);
	if (ret < 0)
		tell_kind(w, RT_WN_SPAWN_FAILED, ret, 0);
}

/* A look is due: re-dump, compare with what was last reported, act if it
 * changed.  1 when waiting and online, 0 to go on, -errno if fatal. */
static int look(struct rt_watch *w)
{
	char ifaces[RT_WATCH_IFACES];
	const char *reason;
	int ret;

	if (!rt_sched_due(&w->sch, w->pool.busy > 0))
		return 0;
	ret = rt_dump(&w->req, &w->st, w->f.groups, w->f.families, w->rbuf, sizeof w->rbuf, NULL);
	if (ret == -ENOBUFS || ret == -EINTR) {
		/* the dump itself lost replies or kept racing: try again soon */
		rt_sched_retry(&w->sch, now_ms(CLOCK_MONOTONIC));
		return 0;
	}
	if (ret < 0)
		return ret;
	rt_summarize(&w->st, &w->f, &w->cur);
	if (w->wait)
		return w->cur.have_v4 || w->cur.have_v6;
	if (!rt_summary_diff(&w->last, &w->cur, ifaces, sizeof ifaces))
		return 0;
	reason = rt_reason_name(rt_sched_reason(&w->sch));
	w->last = w->cur;
	if (w->cmd) {
		run_command(w, reason, ifaces);
	} else {
		struct rt_watch_note n = { .kind = RT_WN_CHANGE, .reason = reason, .ifaces = ifaces,
					   .sum = &w->cur };

		tell(w, &n);
	}
	return 0;
}

/* Read what the event socket holds (bounded), show and mark dirty. */
static int drain(struct rt_watch *w)
{
	struct rt_watch_note ev = { .kind = RT_WN_EVENT, .line = w->line };
	struct nl_msg_iter it;
	const struct nlmsghdr *nlh;
	struct nl_from from;
	ssize_t n;
	int i, len;

	for (i = 0; i < RT_WATCH_DRAIN_MAX; i++) {
		n = nl_recv(&w->mon, w->rbuf, sizeof w->rbuf, &from);
		if (n == -EAGAIN)
			break;
		if (n == -ENOBUFS || n == -EMSGSIZE) {
			/* events were lost: only a full re-dump can tell */
			if (w->monitor)
				tell_kind(w, RT_WN_LOST, (int)n, w->need_state);
			mark(w, RT_R_RESYNC);
			continue;
		}
		if (n < 0)
			return (int)n;
		if (from.portid != 0)
			continue;	/* only the kernel speaks for the kernel */
		nl_msg_iter_init(&it, w->rbuf, (size_t)n);
		while ((nlh = nl_msg_next(&it))) {
			if (w->monitor) {
				len = rt_mon_line(&w->mn, nlh, w->line, sizeof w->line);
				if (len == -EBADMSG)
					tell_kind(w, RT_WN_BAD_EVENT, len, nlh->nlmsg_type);
				else if (len > 0)
					tell(w, &ev);
			}
			mark(w, RT_R_CHANGE);
		}
	}
	if (w->monitor)
		tell_kind(w, RT_WN_FLUSH, 0, 0);
	return 0;
}

static void reap(struct rt_watch *w)
{
	struct proc_done d;
	int ret, ours = 0;

	while ((ret = proc_reap(&w->pool, &d)) != 0) {
		ours = 1;
		if (ret < 0)
			continue;	/* cannot be waited for: the slot is free again */
		if (d.exec_err)
			tell_kind(w, RT_WN_EXEC_FAILED, -d.exec_err, 0);
		if (!WIFEXITED(d.status) || WEXITSTATUS(d.status))
			tell_kind(w, RT_WN_RUN_EXIT, 0, d.status);
	}
	if (ours && !w->pool.busy)
		rt_sched_run_over(&w->sch, now_ms(CLOCK_MONOTONIC));
}

/* One signal: 1 to stop, 0 to go on. */
static int on_signal(struct rt_watch *w)
{
	struct signalfd_siginfo si;

	if (read(w->sigfd, &si, sizeof si) != sizeof si)
		return 0;
	if (si.ssi_signo == SIGHUP) {
		mark(w, RT_R_RESYNC);	/* look again now, as after lost events */
		return 0;
	}
	if (si.ssi_signo != SIGCHLD) {
		proc_signal_all(&w->pool, SIGTERM);
		return 1;
	}
	reap(w);
	return 0;
}

static int open_sockets(struct rt_watch *w)
{
	unsigned grp[8], n, i;
	int ret;

	if (w->netns && (ret = rt_netns_enter(w->netns)) < 0)
		return fail(w, RT_WF_NETNS, ret);
	if ((ret = nl_open(&w->mon, NETLINK_ROUTE, 0, NL_NONBLOCK)) < 0)
		return fail(w, RT_WF_SOCKET, ret);
	n = rt_mcast_groups(w->f.groups, w->f.families, grp, 8);
	for (i = 0; i < n; i++) {
		if ((ret = nl_join(&w->mon, grp[i])) < 0) {
			w->fail_group = grp[i];
			return fail(w, RT_WF_JOIN, ret);
		}
	}
	if (w->rcvbuf && (ret = nl_set_rcvbuf(&w->mon, w->rcvbuf)) < 0)
		return fail(w, RT_WF_RCVBUF, ret);
	if ((ret = nl_open(&w->req, NETLINK_ROUTE, 0, NL_NONBLOCK)) < 0)
		return fail(w, RT_WF_SOCKET, ret);
	if ((ret = nl_req_setup(&w->req)) < 0)
		return fail(w, RT_WF_EXTACK, ret);
	return 0;
}

int rt_watch_open(struct rt_watch *w)
{
	sigset_t set;
	int ret, tries = 0;

	w->mon.fd = w->req.fd = w->sigfd = -1;
	w->fail = RT_WF_NONE;
	proc_pool_init(&w->pool, w->slot, 1);
	rt_sched_init(&w->sch, w->quiet_ms, w->max_ms);
	if (w->monitor)		/* its name cache is a page of its own otherwise idle */
		rt_mon_init(&w->mn, &w->f, w->json, w->stamp);
	if (w->wait)	/* online needs addresses and routes whatever was asked */
		w->f.groups |= RT_G_ADDR | RT_G_ROUTE;
	w->need_state = !w->monitor || w->cmd;

	/* signals arrive through a descriptor polled with the socket */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return fail(w, RT_WF_SIGMASK, -errno);
	w->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w->sigfd < 0)
		return fail(w, RT_WF_SIGNALFD, -errno);
	if ((ret = open_sockets(w)) < 0)
		return ret;
	w->mono0 = now_ms(CLOCK_MONOTONIC);
	w->boot0 = now_ms(CLOCK_BOOTTIME);
	if (!w->need_state)
		return 0;
	/* a reply lost to a full buffer is asked for again */
	do
		ret = rt_dump(&w->req, &w->st, w->f.groups, w->f.families, w->rbuf, sizeof w->rbuf,
			      NULL);
	while (ret == -ENOBUFS && ++tries < 3);
	if (ret < 0)
		return fail(w, RT_WF_DUMP, ret);
	rt_summarize(&w->st, &w->f, &w->last);
	return w->wait && (w->last.have_v4 || w->last.have_v6) ? RT_WATCH_ONLINE : 0;
}

int rt_watch_run(struct rt_watch *w)
{
	int64_t start = now_ms(CLOCK_MONOTONIC), now, t, wait;
	struct pollfd p[2];
	void *tag;
	int ret;

	for (;;) {
		now = now_ms(CLOCK_MONOTONIC);
		/* a suspend stops MONOTONIC but not BOOTTIME */
		t = now_ms(CLOCK_BOOTTIME);
		if (rt_slept(w->mono0, w->boot0, now, t, RT_WATCH_RESUME_GAP_MS))
			mark(w, RT_R_RESUME);
		w->boot0 = t;
		w->mono0 = now;

		while (proc_expire(&w->pool, now, &tag) > 0)
			tell_kind(w, RT_WN_RUN_TIMEOUT, 0, 0);
		wait = rt_sched_wait(&w->sch, now);
		if (wait == 0) {
			ret = look(w);
			if (ret < 0)
				return fail(w, RT_WF_DUMP, ret);
			if (ret > 0)
				return RT_WATCH_ONLINE;
			continue;
		}
		if (wait < 0 || wait > RT_WATCH_RESUME_CHECK_MS)
			wait = RT_WATCH_RESUME_CHECK_MS;
		t = proc_next_deadline(&w->pool, now);
		if (t >= 0 && t < wait)
			wait = t;
		if (w->wait && w->wait_ms) {
			if (now - start >= w->wait_ms)
				return RT_WATCH_OFFLINE;
			if (start + w->wait_ms - now < wait)
				wait = start + w->wait_ms - now;
		}
		p[0].fd = w->mon.fd;
		p[0].events = POLLIN;
		p[1].fd = w->sigfd;
		p[1].events = POLLIN;
		ret = poll(p, 2, (int)wait);
		if (ret < 0 && errno != EINTR)
			return fail(w, RT_WF_POLL, -errno);
		if (ret <= 0)
			continue;
		if ((p[1].revents & POLLIN) && on_signal(w))
			return RT_WATCH_STOPPED;
		if (p[0].revents & (POLLIN | POLLERR) && (ret = drain(w)) < 0)
			return fail(w, RT_WF_RECV, ret);
	}
}

void rt_watch_close(struct rt_watch *w)
{
	nl_close(&w->mon);
	nl_close(&w->req);
	if (w->sigfd >= 0)
		close(w->sigfd);
	w->sigfd = -1;
}
