/* dev_modules.c — MODALIAS → module loading, behind a small interface
 * (see dev_modules.h).  No backend is linked yet: the module index lives
 * on another branch (core/kmod.h).  Wiring it means setting m->load and
 * m->ctx in dev_modules_open(); nothing else in the daemon changes. */
#include <errno.h>
#include <stddef.h>

#include "dev_modules.h"

int dev_modules_open(struct dev_modules *m, const char *moddir)
{
	m->moddir = moddir;
	m->load = NULL;		/* kmod backend: not built in on this branch */
	m->ctx = NULL;
	return -ENOSYS;
}

void dev_modules_close(struct dev_modules *m)
{
	m->load = NULL;
	m->ctx = NULL;
}

int dev_modules_load(struct dev_modules *m, const char *modalias)
{
	if (!modalias || !*modalias)
		return -EINVAL;
	if (!m || !m->load)
		return -ENOSYS;
	return m->load(m->ctx, modalias);
}
