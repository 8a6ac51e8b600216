/* blkprobe — what the built-in block probes find on a device or image. */
#include "applet.h"

APPLET(blkprobe, "blkprobe",
"[-l] [-o SECTOR] [-s SYSFS] [-d DEVDIR] DEVICE|IMAGE",
"Probe a block device or disk image for a filesystem and a partition table\n"
"with the probes built into uevbox, and print what udev clients would see as\n"
"KEY=VALUE lines (the ID_FS_*, ID_PART_TABLE_* and ID_PART_ENTRY_* properties,\n"
"like `blkid -p -o udev`).\n"
"\n"
"  -o SECTOR  the partition starting at SECTOR (512-byte units) inside IMAGE:\n"
"             its table entry and the filesystem in it\n"
"  -s SYSFS   sysfs root (default /sys), to find a partition's disk\n"
"  -d DEVDIR  device directory (default /dev), to open that disk\n"
"  -l         list the probes built in and exit\n"
"\n"
"For a partition block device the entry comes from its disk, found through\n"
"SYSFS/dev/block/MAJ:MIN.  Exit 0 when something was recognized, 1 when\n"
"nothing was (or on error), 2 on usage errors.\n");

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "probe.h"
#include "sysfs.h"

struct part {
	int fd;			/* the disk, -1 if DEVICE is not a partition */
	uint64_t start;
	char disk_devnum[32];
};

/* If st is a partition block device, open its disk. */
static int find_disk(const struct stat *st, const char *sysfs, const char *devdir,
		     struct part *p)
{
	char path[PATH_MAX], buf[256], devname[256];
	unsigned long long start;
	int dir, r;

	p->fd = -1;
	snprintf(path, sizeof path, "%s/dev/block/%u:%u", sysfs, major(st->st_rdev),
		 minor(st->st_rdev));
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno == ENOENT ? 0 : -errno;
	if (sysfs_read_attr(dir, "partition", buf, sizeof buf) < 0) {
		close(dir);
		return 0;	/* a whole disk */
	}
	r = sysfs_read_attr(dir, "start", buf, sizeof buf);
	if (r >= 0)
		r = parse_uint(buf, ULLONG_MAX, &start);
	if (r >= 0)
		r = (int)sysfs_read_attr(dir, "../dev", p->disk_devnum, sizeof p->disk_devnum);
	if (r >= 0)
		r = (int)sysfs_read_attr(dir, "../uevent", buf, sizeof buf);
	close(dir);
	if (r < 0)
		return r;
	/* DEVNAME=<name> line of the disk's uevent */
	{
		const char *d = strstr(buf, "DEVNAME=");
		size_t l;

		if (!d)
			return -ENOENT;
		d += 8;
		l = strcspn(d, "\n");
		if (l == 0 || l >= sizeof devname)
			return -ENOENT;
		memcpy(devname, d, l);
		devname[l] = '\0';
	}
	snprintf(path, sizeof path, "%s/%s", devdir, devname);
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0)
		return -errno;
	p->start = start;
	return 1;
}

static int blkprobe_main(int argc, char **argv)
{
	const char *sysfs = "/sys", *devdir = "/dev";
	unsigned long long sector = 0;
	struct probe_src dev, disk, whole;
	struct part part = { .fd = -1 };
	static struct uprops props;
	const struct probe_def *const *defs;
	const char *e;
	struct stat st;
	int opt, fd, r, have_sector = 0;
	size_t i, n, pos = 0;

	while ((opt = getopt(argc, argv, "lo:s:d:")) != -1) {
		switch (opt) {
		case 'l':
			n = probe_list(&defs);
			for (i = 0; i < n; i++)
				printf("%s %s\n", defs[i]->kind == PROBE_FS ? "fs" : "table",
				       defs[i]->name);
			return 0;
		case 'o':
			if (parse_uint(optarg, ULLONG_MAX / 512, &sector) < 0)
				return usage_error("bad sector: %s", optarg);
			have_sector = 1;
			break;
		case 's':
			sysfs = optarg;
			break;
		case 'd':
			devdir = optarg;
			break;
		default:
			return usage_error("unknown option");
		}
	}
	if (optind != argc - 1)
		return usage_error("one DEVICE or IMAGE expected");
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return msg_errno(errno, "%s", argv[optind]);
	if (fstat(fd, &st) < 0)
		r = -errno;
	else
		r = probe_src_init(&whole, fd);
	if (r < 0) {
		close(fd);
		return msg_errno(r, "%s", argv[optind]);
	}
	uprops_init(&props);
	if (have_sector) {
		/* a partition inside an image: its size from the table entry */
		if ((r = probe_part_entry(&whole, sector, &props)) <= 0) {
			close(fd);
			if (r == 0)
				msg("%s: no partition starts at sector %llu", argv[optind], sector);
			return r < 0 ? msg_errno(r, "%s", argv[optind]) : 1;
		}
		e = uprops_get(&props, "ID_PART_ENTRY_SIZE");
		r = probe_src_sub(&dev, &whole, sector * 512,
				  e ? strtoull(e, NULL, 10) * 512 : 0);
		if (r >= 0) {
			r = probe_device(&dev, NULL, 0, &props);
			if (r >= 0)
				r = 1;	/* the entry itself was recognized */
		}
	} else if (S_ISBLK(st.st_mode) && (r = find_disk(&st, sysfs, devdir, &part)) != 0) {
		if (r > 0 && (r = probe_src_init(&disk, part.fd)) >= 0) {
			r = probe_device(&whole, &disk, part.start, &props);
			if (r >= 0 && uprops_get(&props, "ID_PART_ENTRY_SCHEME"))
				uprops_set(&props, "ID_PART_ENTRY_DISK", part.disk_devnum);
		}
		if (part.fd >= 0)
			close(part.fd);
	} else
		r = probe_device(&whole, NULL, 0, &props);
	close(fd);
	if (r < 0)
		return msg_errno(r, "%s", argv[optind]);
	if (r == 0) {
		msg("%s: no known signature", argv[optind]);
		return 1;
	}
	while ((e = uprops_next(&props, &pos)))
		puts(e);
	return 0;
}
