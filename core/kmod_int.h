/* kmod_int.h — the context shared by core/kmod_*.c; not for other areas. */
#ifndef UEVBOX_KMOD_INT_H
#define UEVBOX_KMOD_INT_H

#include "kidx.h"
#include "kmod.h"
#include "modconf.h"

enum { IX_DEP, IX_ALIAS, IX_SYMBOLS, IX_BUILTIN, IX_BUILTIN_ALIAS, IX_N };

struct kmod_ctx {
	struct kidx *ix[IX_N];		/* NULL: absent */
	struct modconf conf;
	char *moddir;
	char *sysfs;
	char *procmodules;
	char *warnings;			/* "file: reason\n"... or NULL */
};

/* PATH ending in ".ko" is missing: the first of PATH.gz, .xz, .zst that
 * exists, malloc'd, or NULL. */
char *kmod_compressed_sibling(const char *path);

#endif
