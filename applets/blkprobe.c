/* blkprobe — what the built-in block probes find on a device or image. */
#include "applet.h"

APPLET(blkprobe, "blkprobe",
"[-l] [-L [-S]] [-o SECTOR] [-s SYSFS] [-d DEVDIR] DEVICE|IMAGE",
"Probe a block device or disk image for a filesystem and a partition table\n"
"with the probes built into uevbox, and print what udev clients would see as\n"
"KEY=VALUE lines (the ID_FS_*, ID_PART_TABLE_* and ID_PART_ENTRY_* properties,\n"
"like `blkid -p -o udev`).\n"
"\n"
"  -o SECTOR  the partition starting at SECTOR (512-byte units) inside IMAGE:\n"
"             its table entry and the filesystem in it\n"
"  -s SYSFS   sysfs root (default /sys), to find a partition's disk\n"
"  -d DEVDIR  device directory (default /dev), to open that disk\n"
"  -L         also the persistent names: DEVLINKS=/dev/disk/by-uuid/... (and\n"
"             ID_PATH, ID_PATH_TAG, ID_SERIAL for a block device, from sysfs)\n"
"  -S         with -L: names from sysfs only, without reading the device\n"
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

#include "gather.gen.h"
#include "probe.h"
#include "sysfs.h"
#ifdef GATHER_HAVE_disk_links
#include "disk_links.h"

/* ID_PATH, ID_SERIAL and DEVLINKS for the block device st (if it is
 * one), or just the content-based names for an image. */
static int links(const struct stat *st, const char *sysfs, struct uprops *props)
{
	char path[PATH_MAX], real[PATH_MAX], rsys[PATH_MAX], id[300], bypath[300];
	char tag[300], buf[64], list[DISK_LINKS_MAX * (DISK_LINK_LEN + 6)];
	const char *kname, *devpath;
	unsigned long long partn = 0;
	struct disk_links l;
	int dir, has_id = 0, has_path = 0, r;
	size_t i;

	if (S_ISBLK(st->st_mode)) {
		snprintf(path, sizeof path, "%s/dev/block/%u:%u", sysfs, major(st->st_rdev),
			 minor(st->st_rdev));
		if (!realpath(path, real) || !realpath(sysfs, rsys) ||
		    strncmp(real, rsys, strlen(rsys)))
			return -ENOENT;
		dir = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			return -errno;
		if (sysfs_read_attr(dir, "partition", buf, sizeof buf) > 0 &&
		    parse_uint(buf, 1024, &partn) == 0 && partn) {
			/* the disk is the parent directory */
			close(dir);
			*strrchr(real, '/') = '\0';
			dir = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dir < 0)
				return -errno;
		}
		devpath = real + strlen(rsys);
		kname = strrchr(real, '/') + 1;
		has_id = disk_by_id(dir, kname, id, sizeof id, props) > 0;
		close(dir);
		has_path = disk_by_path(rsys, devpath, bypath, sizeof bypath) > 0;
		if (has_path) {
			disk_path_tag(tag, sizeof tag, bypath);
			uprops_set(props, "ID_PATH", bypath);
			uprops_set(props, "ID_PATH_TAG", tag);
		}
	}
	r = disk_links_compute(props, has_id ? id : NULL, has_path ? bypath : NULL,
			       (unsigned)partn, &l);
	if (r <= 0)
		return r;
	list[0] = '\0';
	for (i = 0; i < l.n; i++) {
		if (i)
			strcat(list, " ");
		strcat(list, "/dev/");
		strcat(list, l.name[i]);
	}
	return uprops_set(props, "DEVLINKS", list);
}
#endif

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
	int opt, fd, r, have_sector = 0, want_links = 0, sysfs_only = 0;
	size_t i, n, pos = 0;

	while ((opt = getopt(argc, argv, ":lLSo:s:d:")) != -1) {
		switch (opt) {
		case 'S':
			sysfs_only = 1;
			break;
		case 'L':
#ifdef GATHER_HAVE_disk_links
			want_links = 1;
			break;
#else
			return usage_error("-L: disk_links not built in");
#endif
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
			return bad_option(opt);
		}
	}
	if (optind != argc - 1)
		return usage_error("one DEVICE or IMAGE expected");
#ifdef GATHER_HAVE_disk_links
	if (sysfs_only) {
		if (!want_links || have_sector)
			return usage_error("-S goes with -L, not -o");
		if (stat(argv[optind], &st) < 0)
			return msg_errno(errno, "%s", argv[optind]);
		if (!S_ISBLK(st.st_mode))
			return usage_error("-S needs a block device");
		uprops_init(&props);
		if ((r = links(&st, sysfs, &props)) < 0)
			return msg_errno(r, "%s: links", argv[optind]);
		while ((e = uprops_next(&props, &pos)))
			puts(e);
		return props.len ? 0 : 1;
	}
#endif
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
	(void)want_links;	/* without disk_links, -L and -S are refused above */
	(void)sysfs_only;
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
#ifdef GATHER_HAVE_disk_links
	if (r >= 0 && want_links) {
		int q = links(&st, sysfs, &props);

		if (q < 0 && q != -ENOENT)
			return msg_errno(q, "%s: links", argv[optind]);
	}
#endif
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
