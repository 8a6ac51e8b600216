/* eng_replay.c — synchronous application of events (see eng_replay.h). */
#include <errno.h>
#include <poll.h>
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

/* The set of devpaths a walk applied: open addressing, strings owned.
 * `dup` marks one whose "add" has since come from the kernel and been
 * skipped: a later one is a real new add. */
struct seen_slot {
	char *path;
	int dup;
};

struct eng_seen {
	struct seen_slot *slot;
	size_t size, used;	/* size is a power of two */
	int only_new;		/* walking again: apply unseen devices only */
};

static size_t seen_hash(const char *s, size_t size)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h & (size - 1);
}

/* The slot holding devpath, or the empty one where it would go. */
static struct seen_slot *seen_find(const struct eng_seen *t, const char *devpath)
{
	size_t i = seen_hash(devpath, t->size);

	while (t->slot[i].path && strcmp(t->slot[i].path, devpath))
		i = (i + 1) & (t->size - 1);
	return &t->slot[i];
}

/* 1 added, 0 already there, -ENOMEM. */
static int seen_add(struct eng_seen *t, const char *devpath)
{
	struct seen_slot *p;

	if ((t->used + 1) * 2 > t->size) {
		struct eng_seen g = { calloc(t->size * 2, sizeof *g.slot), t->size * 2, 0, 0 };
		size_t i;

		if (!g.slot)
			return -ENOMEM;
		for (i = 0; i < t->size; i++)
			if (t->slot[i].path)
				*seen_find(&g, t->slot[i].path) = t->slot[i];
		free(t->slot);
		t->slot = g.slot;
		t->size = g.size;
	}
	p = seen_find(t, devpath);
	if (p->path)
		return 0;
	if (!(p->path = strdup(devpath)))
		return -ENOMEM;
	t->used++;
	return 1;
}

static int replay_cb(void *arg, const struct uevent *ev, const char *buf, size_t len)
{
	struct eng_apply *a = arg;
	int r;

	if (a->seen) {
		r = seen_add(a->seen, ev->devpath);
		if (r < 0)
			return r;
		if (r == 0 && a->seen->only_new)
			return 0;
	}
	return eng_apply_event(a, ev);
}

int eng_apply_follow_begin(struct eng_apply *a)
{
	struct eng_seen *t = calloc(1, sizeof *t);

	if (!t || !(t->slot = calloc(1024, sizeof *t->slot))) {
		free(t);
		return -ENOMEM;
	}
	t->size = 1024;
	a->seen = t;
	return 0;
}

void eng_apply_follow_end(struct eng_apply *a)
{
	size_t i;

	if (!a->seen)
		return;
	for (i = 0; i < a->seen->size; i++)
		free(a->seen->slot[i].path);
	free(a->seen->slot);
	free(a->seen);
	a->seen = NULL;
}

int eng_apply_follow(struct eng_apply *a, struct nl_sock *s, int idle_ms)
{
	static char buf[8192];	/* a kernel uevent is at most 2 KiB */
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	struct nl_from from;
	struct uevent ev;
	ssize_t n;
	int r;

	if (!a->seen)
		return -EINVAL;
	for (;;) {
		r = poll(&pfd, 1, idle_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;	/* quiet for idle_ms: done */
		n = nl_recv(s, buf, sizeof buf, &from);
		if (n == -EAGAIN || n == -EMSGSIZE)
			continue;
		if (n == -ENOBUFS) {
			/* events were lost: the tree itself says what is new */
			a->seen->only_new = 1;
			r = eng_apply_sysfs(a, a->eng->sysfs);
			a->seen->only_new = 0;
			if (r < 0)
				return r;
			continue;
		}
		if (n < 0)
			return (int)n;
		if (uev_classify(&ev, buf, (size_t)n, &from) != UEV_OK)
			continue;
		if (!strcmp(ev.action, "add")) {
			struct seen_slot *p = seen_find(a->seen, ev.devpath);

			if (p->path && !p->dup) {	/* the walk applied it */
				p->dup = 1;
				continue;
			}
		}
		a->followed++;
		r = eng_apply_event(a, &ev);
		if (r < 0)
			return r;
	}
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
