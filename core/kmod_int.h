/* kmod_int.h — the context shared by core/kmod_*.c; not for other areas. */
#ifndef UEVBOX_KMOD_INT_H
#define UEVBOX_KMOD_INT_H

#include <pthread.h>

#include "kidx.h"
#include "kmod.h"
#include "modconf.h"

enum { IX_DEP, IX_ALIAS, IX_SYMBOLS, IX_BUILTIN, IX_BUILTIN_ALIAS, IX_N };

/* A module this process is inserting (kmod_once.c). */
#define KMOD_BUSY 16
struct kmod_busy {
	char name[64];
	int state;			/* 0 free, 1 inserting, 2 answered */
	int err, waiters;
};

struct kmod_ctx {
	struct kidx *ix[IX_N];		/* NULL: absent */
	struct modconf conf;
	char *moddir;
	char *sysfs;
	char *procmodules;
	char *warnings;			/* "file: reason\n"... or NULL */
	/* the one part that changes after open, under mu: the modules
	 * being inserted right now (kmod_once.c) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kmod_busy busy[KMOD_BUSY];
	int (*insert)(const char *path, const char *options);	/* kmod_insert_file; tests fake it */
};

/* Set up / tear down the busy table of a new context. */
void kmod_once_init(struct kmod_ctx *c);
void kmod_once_fini(struct kmod_ctx *c);

/* Insert module name from path, unless another thread of this process is
 * inserting it now: then wait for that answer instead, and return it
 * (-EEXIST for its success, as the kernel says to a second load).  0 or
 * -errno as kmod_insert_file. */
int kmod_insert_once(struct kmod_ctx *c, const char *name, const char *path, const char *options);

/* PATH ending in ".ko" is missing: the first of PATH.gz, .xz, .zst that
 * exists, malloc'd, or NULL. */
char *kmod_compressed_sibling(const char *path);

#endif
