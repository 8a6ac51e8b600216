/* rt_debounce.h — when to act on a burst of change events: after `quiet`
 * ms without a new event, but never later than `max` ms after the first
 * event of the burst, so a storm that never goes quiet still acts.  Pure
 * arithmetic on caller-supplied monotonic milliseconds. */
#ifndef UEVBOX_RT_DEBOUNCE_H
#define UEVBOX_RT_DEBOUNCE_H

#include <stdint.h>

struct rt_debounce {
	unsigned quiet_ms, max_ms;
	int dirty;
	int64_t first_ms, last_ms;	/* of the current burst */
};

void rt_debounce_init(struct rt_debounce *d, unsigned quiet_ms, unsigned max_ms);
/* An event happened at now. */
void rt_debounce_event(struct rt_debounce *d, int64_t now);
/* Milliseconds until the burst is due (0 = act now), -1 when not dirty. */
int64_t rt_debounce_wait(const struct rt_debounce *d, int64_t now);
/* The caller acted: the burst is over. */
void rt_debounce_done(struct rt_debounce *d);

/* Did the machine sleep between two samples of (MONOTONIC, BOOTTIME)?
 * BOOTTIME keeps counting while suspended, MONOTONIC stops: a difference
 * of more than gap_ms between their advances means a suspend/resume.
 * kernel: kernel/time/timekeeping.c (offs_boot grows on resume) */
int rt_slept(int64_t mono0, int64_t boot0, int64_t mono1, int64_t boot1, int64_t gap_ms);

#endif
