/* dev_modules.h — the one place where device events ask for modules:
 * MODALIAS → modules, in process, through the module index (kmod.h).
 *
 * The index of MODDIR is mapped once at open and shared read-only by all
 * later calls.  Without an index (no /lib/modules for this kernel, a
 * kernel without module support, a damaged index with no text fallback)
 * loading is unavailable: every call returns -ENOSYS and
 * dev_modules_why() says why, so callers can say it once — never a
 * silent success.
 */
#ifndef UEVBOX_DEV_MODULES_H
#define UEVBOX_DEV_MODULES_H

#include <stddef.h>

struct kmod_ctx;

struct dev_modules {
	struct kmod_ctx *ctx;	/* NULL: loading unavailable */
	char why[320];		/* why it is unavailable */
	/* Unit tests only (a fake, e.g. slow, backend for the queue's
	 * module workers): when set, dev_modules_load() calls it instead of
	 * the kernel loader, from whatever thread loads.  dev_modules_open
	 * clears it; nothing outside tests/ sets it. */
	int (*test_load)(void *arg, const char *modalias);
	void *test_arg;
};

/* Open the index of moddir (NULL: /lib/modules/$(uname -r)).  0, or -errno
 * with why[] filled (the struct is usable either way). */
int dev_modules_open(struct dev_modules *m, const char *moddir);
void dev_modules_close(struct dev_modules *m);
const char *dev_modules_why(const struct dev_modules *m);

/* Load every module modalias resolves to, dependencies first, skipping
 * what is loaded or built in.  >= 0 (modules it resolved to), -ENOENT
 * (nothing matches: not an error for a device), -ENOSYS (unavailable),
 * -EINVAL (empty alias), or the loader's -errno.  Safe to call from
 * several threads at once (the context is read-only after open). */
int dev_modules_load(struct dev_modules *m, const char *modalias);

/* The modules modalias resolves to that are not loaded yet (not their
 * dependencies), as consecutive NUL-terminated names in buf: so that a
 * caller with several threads can load the matches of a many-module alias
 * (a CPU's features match a dozen) side by side instead of one after the
 * other.  Returns how many (0: nothing to load), -ENOSPC when buf is too
 * small, -ENOSYS without an index, or the resolver's -errno (-ENOENT: no
 * module is for it). */
int dev_modules_tops(struct dev_modules *m, const char *modalias, char *buf, size_t size);

/* Load one module found by dev_modules_tops (with its dependencies), as
 * dev_modules_load(modalias) would take it: options and blacklist entries
 * naming the alias still apply. */
int dev_modules_load_one(struct dev_modules *m, const char *modalias, const char *name);

/* For dry runs: the names of the modules a load would insert, space
 * separated ("" when nothing new), in load order.  Same returns. */
int dev_modules_describe(struct dev_modules *m, const char *modalias, char *buf, size_t size);

#endif
