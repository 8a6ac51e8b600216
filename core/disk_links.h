/* disk_links.h — the persistent /dev/disk/by-* names udev's stock
 * 60-persistent-storage.rules give a block device, computed from the
 * probe results (ID_FS_*, ID_PART_ENTRY_*) and sysfs, and made or removed
 * as relative symlinks below a device directory.  Optional part
 * (GATHER = ... disk_links).  Never prints; >= 0 or -errno.
 *
 *   by-uuid/<ID_FS_UUID_ENC>       ID_FS_USAGE filesystem|other|crypto
 *   by-label/<ID_FS_LABEL_ENC>     ID_FS_USAGE filesystem|other|crypto
 *   by-partuuid/<ID_PART_ENTRY_UUID>
 *   by-partlabel/<ID_PART_ENTRY_NAME>   (gpt only; already \x-encoded)
 *   by-id/<bus>-<serial>[-part<N>] virtio (serial), nvme (model_serial),
 *                                  mmc (name_serial) from sysfs attributes;
 *                                  SCSI/ATA/USB ids need ioctls, nvme's
 *                                  wwid and _nsid variants: not made
 * (Debian's /usr/lib/udev/rules.d/60-persistent-storage.rules, v252.)
 *   by-path/<ID_PATH>[-part<N>]    pci, platform, acpi, virtio, nvme
 *                                  parents (udev's path_id); other
 *                                  transports (scsi, usb, ata...): none */
#ifndef UEVBOX_DISK_LINKS_H
#define UEVBOX_DISK_LINKS_H

#include <stddef.h>

#include "udev_props.h"

#define DISK_LINKS_MAX 8
#define DISK_LINK_LEN 256

struct disk_links {
	size_t n;
	char name[DISK_LINKS_MAX][DISK_LINK_LEN];	/* relative to /dev */
};

/* udev's treatment of a sysfs attribute turned into part of a name:
 * trailing whitespace dropped, then every byte that is not alnum,
 * "#+-.:=@_", a "\x" escape or valid UTF-8 becomes '_' (whitespace and
 * '/' included). */
void disk_link_escape(char *out, size_t size, const char *in);

/* by-id base for the disk whose sysfs directory is diskdir and kernel
 * name kname ("vda", "nvme0n1", "mmcblk0"): "virtio-…", "nvme-…",
 * "mmc-…".  Also sets ID_SERIAL (and ID_MODEL/ID_SERIAL_SHORT for nvme)
 * in props when not NULL.  Returns 1, 0 (no id for this kind of disk) or
 * -errno. */
int disk_by_id(int diskdir, const char *kname, char *out, size_t size,
	       struct uprops *props);

/* udev's path_id for the disk at DEVPATH (below sysfs): "pci-0000:00:02.0",
 * "pci-0000:01:00.0-nvme-1", "platform-…".  Returns 1, 0 (virtual or an
 * unsupported transport) or -errno. */
int disk_by_path(const char *sysfs, const char *devpath, char *out, size_t size);

/* ID_PATH_TAG from ID_PATH: [A-Za-z0-9-] kept, runs of anything else one
 * '_', none leading or trailing. */
void disk_path_tag(char *out, size_t size, const char *path);

/* All links for a device: partn 0 for a whole disk; by_id / by_path are
 * the disk's (NULL for none).  Returns the count or -ENOSPC. */
int disk_links_compute(const struct uprops *props, const char *by_id,
		       const char *by_path, unsigned partn, struct disk_links *out);

/* Make (add) or remove each link below devfd as a relative symlink to
 * devname (relative to devfd too, e.g. "vda1"), creating directories.
 * Adding replaces an existing link atomically (symlink + rename);
 * removing only unlinks a link that still points at devname, so a newer
 * device that took the name keeps it. */
int disk_links_apply(int devfd, const struct disk_links *l, const char *devname, int add);

#endif
