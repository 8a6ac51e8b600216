/* kmod_once.c — one insert of a module at a time within this process.
 *
 * uevd's workers load side by side, and two devices often need the same
 * module at once (a shared dependency: scsi_mod, usbcore, virtio_pci).
 * The kernel sorts that out itself, but late: before it finds the twin
 * (add_unformed_module) it has read the whole file again and checked its
 * signature, which under emulation is tens of milliseconds each; a
 * coldplug made ~30 such twins.  So the second thread waits here for the
 * first's answer.  Other processes (the kernel's own modprobe calls) are
 * still left to the kernel.  The table is small: when it is full a load
 * just goes ahead, as before.
 */
#include <errno.h>
#include <string.h>

#include "kmod_int.h"

enum { FREE, INSERTING, ANSWERED };

void kmod_once_init(struct kmod_ctx *c)
{
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	memset(c->busy, 0, sizeof c->busy);
	c->insert = kmod_insert_file;
}

void kmod_once_fini(struct kmod_ctx *c)
{
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

static struct kmod_busy *find(struct kmod_ctx *c, const char *name, int state)
{
	int i;

	for (i = 0; i < KMOD_BUSY; i++)
		if (c->busy[i].state == state && (state == FREE || !strcmp(c->busy[i].name, name)))
			return &c->busy[i];
	return NULL;
}

int kmod_insert_once(struct kmod_ctx *c, const char *name, const char *path, const char *options)
{
	struct kmod_busy *b;
	int err;

	if (strlen(name) >= sizeof b->name)
		return c->insert(path, options);
	pthread_mutex_lock(&c->mu);
	if ((b = find(c, name, INSERTING))) {
		b->waiters++;
		while (b->state == INSERTING)
			pthread_cond_wait(&c->cv, &c->mu);
		err = b->err ? b->err : -EEXIST;
		if (--b->waiters == 0)
			b->state = FREE;
		pthread_mutex_unlock(&c->mu);
		return err;
	}
	if ((b = find(c, name, FREE))) {
		strcpy(b->name, name);
		b->state = INSERTING;
		b->waiters = 0;
	}
	pthread_mutex_unlock(&c->mu);
	err = c->insert(path, options);
	if (b) {
		pthread_mutex_lock(&c->mu);
		b->err = err;
		b->state = b->waiters ? ANSWERED : FREE;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	return err;
}
