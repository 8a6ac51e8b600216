/* rt_sched.c — debounced looks, reasons, one pending look (contract in
 * rt_sched.h). */
#include "rt_sched.h"

void rt_sched_init(struct rt_sched *s, unsigned quiet_ms, unsigned max_ms)
{
	rt_debounce_init(&s->deb, quiet_ms, max_ms);
	s->reason = RT_R_NONE;
	s->pending = 0;
}

void rt_sched_mark(struct rt_sched *s, int reason, int64_t now)
{
	if (reason > s->reason)
		s->reason = reason;
	rt_debounce_event(&s->deb, now);
}

int64_t rt_sched_wait(const struct rt_sched *s, int64_t now)
{
	return rt_debounce_wait(&s->deb, now);
}

int rt_sched_due(struct rt_sched *s, int busy)
{
	rt_debounce_done(&s->deb);
	s->pending = busy;
	return !busy;
}

void rt_sched_retry(struct rt_sched *s, int64_t now)
{
	rt_debounce_event(&s->deb, now);
}

int rt_sched_reason(struct rt_sched *s)
{
	int r = s->reason < 0 ? RT_R_CHANGE : s->reason;

	s->reason = RT_R_NONE;
	return r;
}

void rt_sched_run_over(struct rt_sched *s, int64_t now)
{
	if (s->pending)
		rt_sched_mark(s, RT_R_CHANGE, now);
}

const char *rt_reason_name(int reason)
{
	static const char *const name[] = { "change", "resume", "resync" };

	return reason >= 0 && reason <= RT_R_RESYNC ? name[reason] : "change";
}
