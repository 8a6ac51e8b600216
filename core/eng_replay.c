/* eng_replay.c — synchronous application of events (see eng_replay.h). */
#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cold.h"
#include "eng_replay.h"

/* Say once, with the reason, that MODALIAS steps load nothing. */
static void note_no_modules(struct eng_apply *a)
{
	char why[400];

	if (a->modules_missing || !a->log)
		return;
	a->modules_missing = 1;
	snprintf(why, sizeof why, "module loading unavailable (%s): MODALIAS events load nothing",
		 dev_modules_why(a->eng->mods));
	a->log(a->arg, why);
}

static void fail_cb(void *arg, const struct eng_plan *p, const struct eng_step *s, int err)
{
	struct eng_apply *a = arg;
	char line[PATH_MAX + 256], out[PATH_MAX + 512];

	if (s->kind == ES_MODALIAS && err == -ENOSYS) {
		note_no_modules(a);
		return;
	}
	a->failed++;
	if (!a->log)
		return;
	eng_step_str(s, line, sizeof line);
	if (err < 0)
		snprintf(out, sizeof out, "%s %s: %s: %s", p->action, p->devpath, line, strerror(-err));
	else
		snprintf(out, sizeof out, "%s %s: %s: exit status %d", p->action, p->devpath, line,
			 err - 256);
	a->log(a->arg, out);
}

int eng_apply_event(struct eng_apply *a, const struct uevent *ev)
{
	char line[PATH_MAX + 256], out[PATH_MAX + 512];
	struct eng_plan *p;
	unsigned unsafe = 0, i;
	int r;

	if (a->dev_only && (!uev_get(ev, "MAJOR") || !uev_get(ev, "MINOR"))) {
		a->skipped++;
		return 0;
	}
	a->events++;
	r = eng_plan(a->eng, ev, &p, &unsafe);
	if (r < 0)
		return r;
	a->unsafe += unsafe;
	if (unsafe && a->log) {
		snprintf(out, sizeof out, "%s %s: %u unsafe name(s) refused", ev->action, ev->devpath,
			 unsafe);
		a->log(a->arg, out);
	}
	a->steps += p->nsteps;
	if (a->dry || a->verbose) {
		for (i = 0; i < p->nsteps && a->out; i++) {
			if (p->steps[i].kind == ES_MODALIAS && !a->eng->mods->ctx)
				note_no_modules(a);
			eng_step_describe(a->eng, &p->steps[i], line, sizeof line);
			snprintf(out, sizeof out, "%s %s: %s", ev->action, ev->devpath, line);
			a->out(a->arg, out);
		}
	}
	if (!a->dry)
		eng_run_all(a->eng, p, fail_cb, a);
	eng_plan_free(p);
	return 0;
}

static int replay_cb(void *arg, const struct uevent *ev, const char *buf, size_t len)
{
	return eng_apply_event(arg, ev);
}

int eng_apply_sysfs(struct eng_apply *a, const char *sysfs)
{
	unsigned skipped = 0;
	int r = -ENOENT;

	if (a->dev_only)
		r = cold_replay_dev(sysfs, replay_cb, a, &skipped);
	if (r == -ENOENT)
		r = cold_replay(sysfs, replay_cb, a, &skipped);

	a->skipped += skipped;
	return r;
}
