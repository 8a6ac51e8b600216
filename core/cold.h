/* cold.h — coldplug: the devices that exist before anyone listened.
 *
 * Replay: read every device's sysfs `uevent` file and build the add event
 * the kernel would send (ACTION, DEVPATH, SUBSYSTEM from the `subsystem`
 * link, then the file's KEY=VAL lines), for in-process handling.
 * Trigger: write "add UUID" to every `uevent` file so the kernel sends
 * real events carrying SYNTH_UUID=UUID (kernel: lib/kobject_uevent.c:
 * kobject_synth_uevent).  Both go parents before children; the trigger
 * does devices on a bus before class devices (two passes).
 * Never prints, never exits.
 */
#ifndef UEVBOX_COLD_H
#define UEVBOX_COLD_H

#include <stddef.h>

#include "uev.h"

#define COLD_EVBUF 8192

/* Build ev (pointing into buf, COLD_EVBUF bytes) for the device at dirfd.
 * Returns UEV_OK, a uev reason (malformed file), or -errno (no uevent or
 * subsystem: not a device to replay). */
int cold_event(int dirfd, const char *devpath, const char *action, char *buf, size_t size,
	       size_t *len, struct uevent *ev);

/* Replay: cb for every device, parents first.  Devices whose file cannot
 * be turned into an event are counted in *skipped (may be NULL).  A
 * non-zero cb return stops the walk and is returned. */
typedef int (*cold_cb)(void *arg, const struct uevent *ev, const char *buf, size_t len);
int cold_replay(const char *sysfs, cold_cb cb, void *arg, unsigned *skipped);

/* Replay only devices with a device number, found through SYSFS/dev/block
 * and SYSFS/dev/char (the kernel's links to them; far fewer directories
 * than the whole tree).  No parent-first order.  -ENOENT when SYSFS has no
 * dev/ directory (the caller can fall back to cold_replay). */
int cold_replay_dev(const char *sysfs, cold_cb cb, void *arg, unsigned *skipped);

/* Trigger: write "ACTION UUID" to every uevent file.  Returns the number
 * written, or -errno.  last (PATH_MAX bytes, may be NULL) gets the DEVPATH
 * written last; *failed counts writes that failed (devices that vanished). */
int cold_trigger(const char *sysfs, const char *action, const char *uuid, char *last,
		 unsigned *failed);

/* A random RFC 4122 version 4 UUID string (37 bytes with NUL). */
int cold_uuid(char out[37]);

#endif
