/* dev_modules.c — MODALIAS → modules for the engine (see dev_modules.h).
 * A thin adapter over kmod.h: the engine stays ignorant of indexes,
 * modprobe.d and loading; kmod stays ignorant of events. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "dev_modules.h"
#include "kmod.h"

/* alias lookups are blacklisted by kmod anyway; -b extends it to names,
 * which is what `modprobe -b $MODALIAS` rules ask for */
#define LOAD_FLAGS (KMOD_F_CHECK_LOADED | KMOD_F_BLACKLIST)

int dev_modules_open(struct dev_modules *m, const char *moddir)
{
	struct kmod_opts o = { 0 };
	char dflt[sizeof "/lib/modules/" + sizeof ((struct utsname *)0)->release];
	char why[256];
	struct utsname u;
	int r;

	m->ctx = NULL;
	m->test_load = NULL;
	m->test_arg = NULL;
	if (!moddir) {
		if (uname(&u) < 0) {
			r = -errno;
			snprintf(m->why, sizeof m->why, "uname: %s", strerror(errno));
			return r;
		}
		snprintf(dflt, sizeof dflt, "/lib/modules/%s", u.release);
		moddir = dflt;
	}
	o.moddir = moddir;
	why[0] = '\0';
	r = kmod_ctx_open(&m->ctx, &o, why, sizeof why);
	if (r < 0) {
		m->ctx = NULL;
		snprintf(m->why, sizeof m->why, "%s", why[0] ? why : strerror(-r));
		return r;
	}
	m->why[0] = '\0';
	return 0;
}

void dev_modules_close(struct dev_modules *m)
{
	if (m->ctx)
		kmod_ctx_close(m->ctx);
	m->ctx = NULL;
}

const char *dev_modules_why(const struct dev_modules *m)
{
	return m->ctx ? "" : m->why[0] ? m->why : "no module index";
}

int dev_modules_load(struct dev_modules *m, const char *modalias)
{
	if (!modalias || !*modalias)
		return -EINVAL;
	if (m && m->test_load)
		return m->test_load(m->test_arg, modalias);
	if (!m || !m->ctx)
		return -ENOSYS;
	return kmod_load_alias(m->ctx, modalias, NULL, LOAD_FLAGS, NULL, NULL);
}

struct names {
	char *buf;
	size_t size, len;
};

static int add_name(const struct kmod_action *a, void *arg)
{
	struct names *n = arg;
	const char *what = a->kind == KMOD_ACT_INSTALL ? "install:" : "";
	int w;

	if (a->kind != KMOD_ACT_INSMOD && a->kind != KMOD_ACT_INSTALL)
		return 0;
	if (n->len >= n->size)
		return 0;
	w = snprintf(n->buf + n->len, n->size - n->len, "%s%s%s", n->len ? " " : "", what, a->name);
	if (w > 0)
		n->len += (size_t)w < n->size - n->len ? (size_t)w : n->size - n->len - 1;
	return 0;
}

int dev_modules_describe(struct dev_modules *m, const char *modalias, char *buf, size_t size)
{
	struct names n = { buf, size, 0 };

	if (!size)
		return -EINVAL;
	buf[0] = '\0';
	if (!modalias || !*modalias)
		return -EINVAL;
	if (!m || !m->ctx)
		return -ENOSYS;
	return kmod_resolve(m->ctx, modalias, NULL, LOAD_FLAGS, add_name, &n);
}

struct tops {
	char *buf;
	size_t size, len;
	int n, full;
};

static int add_top(const struct kmod_action *a, void *arg)
{
	struct tops *t = arg;
	size_t l = strlen(a->name) + 1;

	if (!a->top || a->kind == KMOD_ACT_PRESENT || a->kind == KMOD_ACT_BUILTIN)
		return 0;
	if (t->len + l > t->size) {
		t->full = 1;
		return 0;
	}
	memcpy(t->buf + t->len, a->name, l);
	t->len += l;
	t->n++;
	return 0;
}

int dev_modules_tops(struct dev_modules *m, const char *modalias, char *buf, size_t size)
{
	struct tops t = { buf, size, 0, 0, 0 };
	int r;

	if (!modalias || !*modalias)
		return -EINVAL;
	if (!m || !m->ctx || m->test_load)
		return -ENOSYS;
	r = kmod_resolve(m->ctx, modalias, NULL, LOAD_FLAGS, add_top, &t);
	if (r < 0)
		return r;
	return t.full ? -ENOSPC : t.n;
}

int dev_modules_load_one(struct dev_modules *m, const char *modalias, const char *name)
{
	if (!m || !m->ctx)
		return -ENOSYS;
	return kmod_load_alias_one(m->ctx, modalias, name, LOAD_FLAGS);
}
