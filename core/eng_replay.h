/* eng_replay.h — applying events in process, synchronously: mdev -s
 * (every device in sysfs), mdev's hotplug mode (one event) and the dry
 * run of coldplug -R (coldplug -R itself is the daemon's engine with an
 * idle exit, eng_daemon.h).  Same engine as the daemon; commands and
 * module loads (MODALIAS) are waited for one by one, in the caller's
 * thread, in the order busybox `mdev -s` runs commands.  Only the daemon
 * loads modules on worker threads.
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
};

/* Apply one event.  0, or -ENOMEM. */
int eng_apply_event(struct eng_apply *a, const struct uevent *ev);

/* Replay every device below SYSFS/devices, parents first; with
 * a->dev_only, only devices with a number, through SYSFS/dev (the whole
 * tree when that is missing).  0 or -errno. */
int eng_apply_sysfs(struct eng_apply *a, const char *sysfs);

#endif
