/* rt_debounce.c — quiet/max-delay debounce (contract in rt_debounce.h). */
#include "rt_debounce.h"

void rt_debounce_init(struct rt_debounce *d, unsigned quiet_ms, unsigned max_ms)
{
	d->quiet_ms = quiet_ms;
	d->max_ms = max_ms < quiet_ms ? quiet_ms : max_ms;
	d->dirty = 0;
	d->first_ms = d->last_ms = 0;
}

void rt_debounce_event(struct rt_debounce *d, int64_t now)
{
	if (!d->dirty) {
		d->dirty = 1;
		d->first_ms = now;
	}
	d->last_ms = now;
}

int64_t rt_debounce_wait(const struct rt_debounce *d, int64_t now)
{
	int64_t due_quiet, due_max, due;

	if (!d->dirty)
		return -1;
	due_quiet = d->last_ms + d->quiet_ms;
	due_max = d->first_ms + d->max_ms;
	due = due_quiet < due_max ? due_quiet : due_max;
	return due > now ? due - now : 0;
}

void rt_debounce_done(struct rt_debounce *d)
{
	d->dirty = 0;
}

int rt_slept(int64_t mono0, int64_t boot0, int64_t mono1, int64_t boot1, int64_t gap_ms)
{
	return (boot1 - boot0) - (mono1 - mono0) > gap_ms;
}
