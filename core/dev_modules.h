/* dev_modules.h — the one place where device events ask for modules.
 *
 * MODALIAS handling goes through dev_modules_load().  The module index and
 * loader (core/kmod.h, another branch) plug in here: dev_modules_open()
 * is where the lead wires kmod's index for MODDIR.  Until then loading is
 * not built in and every call returns -ENOSYS — callers say so once, they
 * never count it as a success.
 */
#ifndef UEVBOX_DEV_MODULES_H
#define UEVBOX_DEV_MODULES_H

struct dev_modules {
	const char *moddir;	/* NULL: /lib/modules/$(uname -r) */
	/* backend: load every module matching modalias; >= 0 = number
	 * loaded (0 = nothing matched), -errno.  NULL = not built in. */
	int (*load)(void *ctx, const char *modalias);
	void *ctx;
};

/* Set up m for moddir.  Returns 0 with a backend, -ENOSYS without. */
int dev_modules_open(struct dev_modules *m, const char *moddir);
void dev_modules_close(struct dev_modules *m);

/* Load the modules for modalias: the backend's result, -ENOSYS when no
 * backend is built in, -EINVAL for an empty alias. */
int dev_modules_load(struct dev_modules *m, const char *modalias);

#endif
