/* gather.h — the data gatherer's one entry: given a device event, run the
 * built-in parts that apply (GATHER line of the config) and return the
 * properties, /dev links and tags udev's builtins and stock rules would
 * give it.  Rules may add more properties afterwards (they go in the same
 * uprops).  Never prints; >= 0 or -errno.
 *   block  probe_* (ID_FS_*, ID_PART_TABLE_*, ID_PART_ENTRY_* from the
 *          disk's table), disk_links (by-*, ID_PATH, ID_SERIAL)
 *   input  input_id (ID_INPUT*), tags seat / uaccess
 *   net    net_id (ID_NET_DRIVER, ID_NET_NAME_MAC)
 * Devices are opened read-only below devdir by their DEVNAME; sysfs is
 * read below the sysfs root.  "remove" events gather nothing (the
 * publisher removes what the database said). */
#ifndef UEVBOX_GATHER_H
#define UEVBOX_GATHER_H

#include <stddef.h>

#include "udev_props.h"
#include "uev.h"

#define GATHER_LINKS_MAX 8
#define GATHER_TAGS_MAX 4

struct gather_ctx {
	const char *sysfs;	/* "/sys" */
	const char *devdir;	/* "/dev", or a scratch device directory */
};

struct gather_out {
	struct uprops props;
	size_t nlinks;
	char links[GATHER_LINKS_MAX][256];	/* below /dev */
	const char *link_ptr[GATHER_LINKS_MAX];	/* links[i], for udev_pub */
	size_t ntags;
	const char *tags[GATHER_TAGS_MAX];	/* static strings */
};

int gather_event(const struct gather_ctx *g, const struct uevent *ev, struct gather_out *out);

#endif
