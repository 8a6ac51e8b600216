/* dev_int.h — shared between core/dev_*.c only. */
#ifndef UEVBOX_DEV_INT_H
#define UEVBOX_DEV_INT_H
#include "dev.h"
int dev_parent(const struct dev_root *r, const char *path, int create, const char **base);
void dev_prune_dirs(const struct dev_root *r, const char *path);
#endif
