/* eng_replay.h — applying events in process, synchronously: coldplug -R,
 * mdev -s (every device in sysfs) and mdev's hotplug mode (one event).
 * Same engine as the daemon; commands and module loads (MODALIAS) are
 * waited for one by one, in the caller's thread: a replay waits for all
 * of it anyway, and busybox `mdev -s` runs commands in this order.  Only
 * the daemon (eng_daemon.h) loads modules on worker threads.
 * Never prints: lines go to the callbacks. */
#ifndef UEVBOX_ENG_REPLAY_H
#define UEVBOX_ENG_REPLAY_H

#include "eng.h"

struct eng_apply {
	const struct engine *eng;
	int dry;		/* describe steps through out(), change nothing */
	int dev_only;		/* only devices with MAJOR/MINOR (mdev -s) */
	int verbose;
	void (*out)(void *arg, const char *line);
	void (*log)(void *arg, const char *line);
	void *arg;
	/* counters */
	unsigned events, steps, failed, unsafe, skipped;
	int modules_missing;	/* a MODALIAS step found no backend */
	/* eng_apply_follow: devpaths the walk applied (NULL: not kept) */
	struct eng_seen *seen;
	unsigned followed;	/* events handled after the walk */
};

/* Apply one event.  0, or -ENOMEM. */
int eng_apply_event(struct eng_apply *a, const struct uevent *ev);

/* Replay every device below SYSFS/devices, parents first; with
 * a->dev_only, only devices with a number, through SYSFS/dev (the whole
 * tree when that is missing).  0 or -errno. */
int eng_apply_sysfs(struct eng_apply *a, const char *sysfs);

/* A complete replay: the walk makes devices appear (its module loads,
 * and the drivers those bind), which no walk that already passed them
 * sees.  So: open a kernel uevent socket (s, from cold_watch_open) before
 * the walk, call eng_apply_follow_begin() before eng_apply_sysfs(), and
 * eng_apply_follow() after it: it handles every kernel event that arrived
 * since, until none has come for idle_ms — skipping, once, the "add" of a
 * device the walk already applied; on a receive overflow it walks again
 * for the devices not yet applied.  Then eng_apply_follow_end().
 * 0 or -errno. */
int eng_apply_follow_begin(struct eng_apply *a);
int eng_apply_follow(struct eng_apply *a, struct nl_sock *s, int idle_ms);
void eng_apply_follow_end(struct eng_apply *a);

#endif
