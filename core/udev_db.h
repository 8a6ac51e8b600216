/* udev_db.h — the udev database as libudev / sd-device clients read it,
 * below a run directory (/run/udev; clients hard-code that path, tests
 * mount a tmpfs there in a private mount namespace):
 *   control             exists while the publisher runs; sd-device's
 *                       monitor refuses group 2 without it (device-monitor.c:
 *                       device_monitor_new_full, access(F_OK)) unless /dev
 *                       is a devtmpfs.  A plain empty file here.
 *   data/<id>           one per initialized device.  Its mere existence
 *                       makes udev_device_get_is_initialized() 1
 *                       (sd-device.c: device_read_db_internal_filename).
 *   tags/<tag>/<id>     empty 0444 file per tag (device-private.c:
 *                       device_tag), what udev_enumerate_add_match_tag reads.
 * data/<id> lines, in the order sd-device writes them (device-private.c:
 * device_update_db):  S:<link below /dev>  (only with a device number)
 *   L:<link priority> (only when != 0)   I:<usec CLOCK_MONOTONIC>
 *   E:KEY=VAL  (the properties not derived from sysfs: ID_* and rules')
 *   G:<tag> (every tag)   Q:<tag> (current tags)   V:1 (database version)
 * A device with no links, properties or tags gets an empty file (sd-device
 * writes nothing, not even I: or V:, when device_has_info() is false).
 * Every file is written to a temporary name in the same directory and
 * renamed, so a reader sees the old or the new file, never half of one.
 * Never prints, never exits; >= 0 or -errno. */
#ifndef UEVBOX_UDEV_DB_H
#define UEVBOX_UDEV_DB_H

#include <stddef.h>
#include <stdint.h>

#include "udev_props.h"

struct udev_db {
	int dirfd;		/* the run directory */
	char *scratch;		/* 2 * UDEV_DB_FILE_MAX: the new and the old
				   file of one write, allocated once by
				   udev_db_open (a daemon writes per event) */
};

/* The device id, sd-device's device_get_device_id():
 *   has_devnum     "b<maj>:<min>" (SUBSYSTEM=block) or "c<maj>:<min>"
 *   ifindex > 0    "n<ifindex>"
 *   otherwise      "+<subsystem>:<last DEVPATH component>", and for the
 *                  "drivers" pseudo-subsystem "+drivers:<bus>:<name>" with
 *                  <bus> the component before "drivers" in DEVPATH.
 * Returns the length, -EINVAL (no usable sysname / not a valid file
 * name), -ENAMETOOLONG. */
int udev_db_id(char *buf, size_t size, const char *subsystem, const char *devpath,
	       int has_devnum, unsigned major, unsigned minor, int ifindex);

struct udev_db_entry {
	const char *id;			/* from udev_db_id() */
	int has_devnum;			/* S:/L: lines only for device nodes */
	const char *const *links;	/* below /dev: "disk/by-uuid/…" */
	size_t nlinks;
	int link_priority;
	uint64_t usec_initialized;	/* 0: no I: line */
	const struct uprops *props;	/* E: lines; may be NULL */
	const char *const *tags;	/* G: lines and tags/<tag>/<id> */
	size_t ntags;
	const char *const *cur_tags;	/* Q: lines (subset of tags) */
	size_t ncur;
};

/* Open (creating, mode 0755) the run directory and its data/ and tags/.
 * udev_db_close frees what it allocated. */
int udev_db_open(struct udev_db *db, const char *rundir);
void udev_db_close(struct udev_db *db);

/* Create (on) or remove (off) the control file. */
int udev_db_set_running(struct udev_db *db, int on);

/* Render the data file for e into buf; returns its length or -ENOSPC. */
int udev_db_format(char *buf, size_t size, const struct udev_db_entry *e);

/* Write data/<id> atomically, create tags/<tag>/<id> for e's tags and
 * remove the tag entries of tags the old data file had and e has not.
 * Returns 0 or -errno. */
int udev_db_write(struct udev_db *db, const struct udev_db_entry *e);

/* Read data/<id> into buf (NUL-terminated, cut at size - 1): "" when
 * there is none.  0 or -errno.  UDEV_DB_FILE_MAX holds any file
 * udev_db_write makes. */
#define UDEV_DB_FILE_MAX 16384
int udev_db_read(struct udev_db *db, const char *id, char *buf, size_t size);

/* On remove: unlink the tags/<tag>/<id> named by data/<id>'s G: lines,
 * then data/<id>.  A missing file is not an error. */
int udev_db_remove(struct udev_db *db, const char *id);

#endif
