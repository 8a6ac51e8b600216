/* kmod_scan.c — the coldplug fast path: every modalias under SYSFS, each
 * resolved once, each module loaded once, in one process.
 *
 * Owns: collecting modaliases (the `modalias` attribute and MODALIAS= in
 * `uevent`, which some buses only have there) and counting outcomes per
 * distinct module.  Uses core/sysfs.c's walk (no symlinks followed). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmod_int.h"
#include "sysfs.h"

struct strv {
	char **v;
	size_t n, cap;
};

static int strv_add(struct strv *s, const char *str, size_t len)
{
	char *d;

	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		char **v = realloc(s->v, nc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = nc;
	}
	d = malloc(len + 1);
	if (!d)
		return -ENOMEM;
	memcpy(d, str, len);
	d[len] = '\0';
	s->v[s->n++] = d;
	return 0;
}

static int on_dev(const char *devpath, int dirfd, void *arg)
{
	struct strv *s = arg;
	char buf[4096], *p, *e;
	ssize_t n;
	int r;

	(void)devpath;
	n = sysfs_read_attr(dirfd, "modalias", buf, sizeof(buf));
	if (n > 0 && (r = strv_add(s, buf, (size_t)n)) < 0)
		return r;
	n = sysfs_read_attr(dirfd, "uevent", buf, sizeof(buf));
	if (n <= 0)
		return 0;
	for (p = buf; p && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (!strncmp(p, "MODALIAS=", 9)) {
			size_t l = e ? (size_t)(e - p) - 9 : strlen(p + 9);

			if (l && (r = strv_add(s, p + 9, l)) < 0)
				return r;
		}
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kmod_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int kmod_scan_aliases(const char *sysfs, char ***out, size_t *nout)
{
	struct strv s = { 0 };
	size_t i, n = 0;
	int r;

	r = sysfs_walk_devices(sysfs, on_dev, &s);
	if (r < 0) {
		kmod_strv_free(s.v, s.n);
		return r;
	}
	if (s.n)
		qsort(s.v, s.n, sizeof(*s.v), cmp);
	for (i = 0; i < s.n; i++) {	/* unique */
		if (n && !strcmp(s.v[n - 1], s.v[i]))
			free(s.v[i]);
		else
			s.v[n++] = s.v[i];
	}
	*out = s.v;
	*nout = n;
	return 0;
}

struct scan {
	struct strv seen;		/* "<outcome><name>" already counted */
	struct kmod_scan_stats *st;
	kmod_report_cb report;
	void *arg;
	int err;
};

static void on_report(const struct kmod_action *a, enum kmod_outcome o, int err, void *arg)
{
	struct scan *sc = arg;
	size_t i;

	for (i = 0; i < sc->seen.n; i++)
		if (!strcmp(sc->seen.v[i], a->name))
			return;		/* each module counted (and reported) once */
	if (strv_add(&sc->seen, a->name, strlen(a->name)) < 0)
		sc->err = -ENOMEM;
	switch (o) {
	case KMOD_LOADED: sc->st->loaded++; break;
	case KMOD_PRESENT: sc->st->present++; break;
	case KMOD_RAN_INSTALL: sc->st->installs++; break;
	case KMOD_FAILED: sc->st->failed++; break;
	}
	if (sc->report)
		sc->report(a, o, err, sc->arg);
}

int kmod_scan_sysfs(struct kmod_ctx *ctx, const char *sysfs, unsigned flags,
		    kmod_report_cb report, void *arg, struct kmod_scan_stats *st)
{
	struct scan sc = { { 0 }, st, report, arg, 0 };
	char **al;
	size_t n, i;
	int r, first = 0;

	memset(st, 0, sizeof(*st));
	r = kmod_scan_aliases(sysfs, &al, &n);
	if (r < 0)
		return r;
	st->aliases = (unsigned)n;
	for (i = 0; i < n && !sc.err; i++) {
		r = kmod_load_alias(ctx, al[i], NULL, flags, on_report, &sc);
		if (r != -ENOENT)
			st->matched++;
		if (r < 0 && r != -ENOENT && !first)
			first = r;
	}
	kmod_strv_free(al, n);
	kmod_strv_free(sc.seen.v, sc.seen.n);
	return sc.err ? sc.err : first;
}
