/* rt_watch.h — netwatch's loop: rtnetlink events are a hint that starts a
 * debounced re-dump (rt_sched); the interesting summary (rt_state) is
 * compared with the last one reported, and a change runs COMMAND
 * (proc_run: one run at a time, one look pending, run timeout, REASON
 * IFACES DEFAULT_IF HAVE_V4 HAVE_V6 in its environment) or is handed to
 * the caller.  Also monitor lines (rt_mon), wait-online, suspend/resume
 * detection, and SIGHUP/SIGTERM/SIGINT/SIGCHLD through a signalfd.
 *
 * Owns: both rtnetlink sockets, the signalfd (and the blocked mask of
 * those four signals), the state, the child.  Never prints, never exits:
 * everything the user should see is a struct rt_watch_note handed to the
 * caller's note function; failures are -errno with w->fail naming the
 * step (RT_WF_*).
 *
 * Use: zero the struct (it is big: static storage), fill the "in" part,
 * rt_watch_open, then rt_watch_run, then rt_watch_close.
 */
#ifndef UEVBOX_RT_WATCH_H
#define UEVBOX_RT_WATCH_H

#include <stdint.h>

#include "nl_sock.h"
#include "proc_run.h"
#include "rt_mon.h"
#include "rt_sched.h"
#include "rt_state.h"

#define RT_WATCH_DRAIN_MAX 256		/* datagrams per wakeup: timers stay on time */
#define RT_WATCH_RESUME_CHECK_MS 10000	/* how often to look for a suspend gap */
#define RT_WATCH_RESUME_GAP_MS 2000	/* BOOTTIME ran ahead of MONOTONIC by this */
#define RT_WATCH_IFACES 512		/* IFACES is cut to this */

/* What the caller is told, to print. */
enum rt_watch_kind {
	RT_WN_EVENT,		/* monitor: line = an event's line (no newline) */
	RT_WN_FLUSH,		/* monitor: the socket is drained for now */
	RT_WN_BAD_EVENT,	/* monitor: malformed event ignored, num = type */
	RT_WN_LOST,		/* err = -ENOBUFS (overrun) or -EMSGSIZE (cut);
				 * num = 1 if a resync follows (monitor only) */
	RT_WN_CHANGE,		/* no COMMAND: the state changed; reason,
				 * ifaces, sum */
	RT_WN_SPAWN_FAILED,	/* COMMAND could not start: err */
	RT_WN_EXEC_FAILED,	/* COMMAND's exec failed: err (an RT_WN_RUN_EXIT
				 * with status 127 follows) */
	RT_WN_RUN_EXIT,		/* COMMAND ended badly: num = wait status */
	RT_WN_RUN_TIMEOUT,	/* COMMAND overran: its group got SIGKILL */
};

struct rt_watch_note {
	enum rt_watch_kind kind;
	int err;
	int num;
	const char *line;
	const char *reason, *ifaces;
	const struct rt_summary *sum;
};

typedef void (*rt_watch_note_fn)(void *arg, const struct rt_watch_note *n);

/* Which step failed, after a -errno return. */
enum rt_watch_fail {
	RT_WF_NONE, RT_WF_SIGMASK, RT_WF_SIGNALFD, RT_WF_NETNS, RT_WF_SOCKET, RT_WF_JOIN,
	RT_WF_RCVBUF, RT_WF_EXTACK, RT_WF_DUMP, RT_WF_POLL, RT_WF_RECV,
};

/* rt_watch_open / rt_watch_run results besides 0 and -errno */
#define RT_WATCH_ONLINE  1	/* wait: a default route and a routable address */
#define RT_WATCH_OFFLINE 2	/* wait: wait_ms passed without */
#define RT_WATCH_STOPPED 3	/* SIGTERM or SIGINT (COMMAND's group got SIGTERM) */

struct rt_watch {
	/* in */
	struct rt_filter f;	/* groups and families must not be 0 */
	unsigned quiet_ms, max_ms;	/* debounce (rt_debounce.h) */
	int monitor, stamp, json;	/* monitor lines, -t, -j */
	int wait;		/* wait online (adds addresses and routes) */
	int64_t wait_ms;	/* give up after this (0: never) */
	int rcvbuf;		/* event socket buffer (0: the kernel's) */
	const char *netns;	/* enter /run/netns/NAME first (NULL: no) */
	char *const *cmd;	/* COMMAND argv (NULL: report changes) */
	char *const *env;	/* COMMAND's inherited environment */
	int64_t run_timeout_ms;	/* kill COMMAND's group after this */
	rt_watch_note_fn note;
	void *note_arg;

	/* out */
	enum rt_watch_fail fail;
	unsigned fail_group;	/* RT_WF_JOIN: the group */

	/* private */
	struct nl_sock mon, req;
	int sigfd;
	int need_state;		/* dumps and summaries are in use */
	int64_t mono0, boot0;	/* last suspend check */
	struct rt_sched sch;
	struct proc_pool pool;
	struct proc_slot slot[1];	/* one run at a time */
	struct rt_state st;
	struct rt_summary last, cur;
	uint32_t rbuf[32768 / 4];	/* aligned receive buffer */
	/* last: what only monitor mode or a COMMAND run touches stays off
	 * the pages every mode uses (idle RSS) */
	struct rt_mon mn;
	char line[RT_MON_BUF];
	struct proc_env cenv;
};

/* Signals, namespace, sockets (subscribed before the first dump, so
 * nothing falls between the two), the first dump.  0, RT_WATCH_ONLINE if
 * waiting and already online, or -errno (w->fail set). */
int rt_watch_open(struct rt_watch *w);
/* The loop, until RT_WATCH_ONLINE, RT_WATCH_OFFLINE, RT_WATCH_STOPPED or
 * -errno (w->fail: RT_WF_DUMP, RT_WF_POLL or RT_WF_RECV). */
int rt_watch_run(struct rt_watch *w);
/* Close what open opened (call it after rt_watch_open, even a failed
 * one).  A running COMMAND is left alone, not waited for (after
 * RT_WATCH_STOPPED it already got SIGTERM). */
void rt_watch_close(struct rt_watch *w);

#endif
