/* sysfs.h — reading sysfs safely: bounded attribute reads and a walk over
 * the device tree that never follows symlinks. */
#ifndef UEVBOX_SYSFS_H
#define UEVBOX_SYSFS_H

#include <stddef.h>
#include <sys/types.h>

/* Read DIR/NAME (dirfd may be AT_FDCWD) into buf, at most size-1 bytes,
 * NUL-terminated, one trailing newline removed.  Returns the length, or
 * -errno; -EFBIG if the attribute did not fit. */
ssize_t sysfs_read_attr(int dirfd, const char *name, char *buf, size_t size);

/* Call cb for every device, parents before children, with its DEVPATH
 * ("/devices/…") and an fd of its directory (valid only during the call).
 * The devices are those SYSFS/bus/X/devices/ and SYSFS/class/X/ link to
 * (every device with a subsystem), in DEVPATH order, except that storage,
 * USB, SD and HD audio controllers, PS/2 ports and their parents come
 * before the rest (mod_order.h: their scans run on timers); a tree with neither
 * bus/ nor class/ (a test fixture) is walked from SYSFS/devices instead,
 * every directory with a `uevent` file, never following symlinks.  A
 * non-zero cb return stops the walk and is returned. */
typedef int (*sysfs_walk_cb)(const char *devpath, int dirfd, void *arg);
int sysfs_walk_devices(const char *sysfs, sysfs_walk_cb cb, void *arg);

#endif
