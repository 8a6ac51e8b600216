/* rt_sched.h — when netwatch looks at the state again, and with which
 * REASON it reports a change.  Pure: no syscalls, caller-supplied
 * monotonic milliseconds.  Owns the debounce of change hints, the
 * strongest reason since the last reported change, and the "one look
 * pending" flag that coalesces everything that happens during a COMMAND
 * run into one look after it.
 *
 * Use: rt_sched_mark for every hint; when rt_sched_wait says 0, call
 * rt_sched_due (busy = a run is in progress); if it says look, re-dump;
 * a dump that must be redone calls rt_sched_retry; a change found takes
 * its reason with rt_sched_reason; a finished run calls rt_sched_run_over.
 */
#ifndef UEVBOX_RT_SCHED_H
#define UEVBOX_RT_SCHED_H

#include <stdint.h>

#include "rt_debounce.h"

/* Why the state is looked at; a stronger reason wins over a weaker one. */
enum { RT_R_NONE = -1, RT_R_CHANGE, RT_R_RESUME, RT_R_RESYNC };

struct rt_sched {
	struct rt_debounce deb;
	int reason;	/* strongest hint since the last reported change */
	int pending;	/* a look fell due during a run: look after it */
};

void rt_sched_init(struct rt_sched *s, unsigned quiet_ms, unsigned max_ms);
/* A hint (an event, lost events, a resume, SIGHUP) at now. */
void rt_sched_mark(struct rt_sched *s, int reason, int64_t now);
/* Milliseconds until a look is due (0: now), -1 when nothing is dirty. */
int64_t rt_sched_wait(const struct rt_sched *s, int64_t now);
/* The look is due.  1: look now; 0: a run is in progress (busy), the look
 * is deferred until rt_sched_run_over — however many fall due meanwhile. */
int rt_sched_due(struct rt_sched *s, int busy);
/* The look could not be completed (the dump lost replies): again soon. */
void rt_sched_retry(struct rt_sched *s, int64_t now);
/* A look found a change: its reason (RT_R_CHANGE if no hint said more);
 * the next change starts from nothing again.  A look that found nothing
 * keeps the reason, so a resync reported by the kernel is not forgotten. */
int rt_sched_reason(struct rt_sched *s);
/* The run is over: a deferred look falls due after the quiet time. */
void rt_sched_run_over(struct rt_sched *s, int64_t now);

/* "change", "resume", "resync" — the REASON values. */
const char *rt_reason_name(int reason);

#endif
