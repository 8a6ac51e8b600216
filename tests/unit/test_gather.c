/* test_gather.c — gather_event on a scratch sysfs and device directory:
 * a partition's filesystem, its entry in the disk's MBR, the disk's
 * device number and the by-* links, as the daemon will ask for them. */
#include "gather.gen.h"
#if defined(GATHER_HAVE_probe_dos) && defined(GATHER_HAVE_probe_ext) && \
	defined(GATHER_HAVE_disk_links)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "gather.h"

static void put(const char *path, const void *data, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd >= 0) {
		if (pwrite(fd, data, len, off) != (ssize_t)len)
			perror(path);
		close(fd);
	}
}

static void puts_file(const char *dir, const char *name, const char *s)
{
	char p[256];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	put(p, s, strlen(s), 0);
}

TEST(gather_partition)
{
	char root[64] = "/tmp/uevbox-gather.XXXXXX", sys[128], dev[128], d[256], p[256];
	unsigned char mbr[512] = { 0 }, sb[1024] = { 0 };
	static struct uevent ev;
	static struct gather_out out;
	static const char vars[] = "ACTION=add\0DEVPATH=/devices/virtual/block/fd0/fd0p1\0"
		"SUBSYSTEM=block\0MAJOR=7\0MINOR=1\0DEVNAME=fd0p1\0DEVTYPE=partition\0SEQNUM=1";
	struct gather_ctx g;
	size_t i;
	int found = 0;

	CHECK(mkdtemp(root) != NULL);
	snprintf(sys, sizeof sys, "%s/sys", root);
	snprintf(dev, sizeof dev, "%s/dev", root);
	mkdir(sys, 0755);
	mkdir(dev, 0755);
	snprintf(d, sizeof d, "%s/devices", sys);
	mkdir(d, 0755);
	strcat(d, "/virtual");
	mkdir(d, 0755);
	strcat(d, "/block");
	mkdir(d, 0755);
	strcat(d, "/fd0");
	mkdir(d, 0755);
	puts_file(d, "uevent", "MAJOR=7\nMINOR=0\nDEVNAME=fd0\nDEVTYPE=disk\n");
	puts_file(d, "dev", "7:0\n");
	strcat(d, "/fd0p1");
	mkdir(d, 0755);
	puts_file(d, "start", "2048\n");
	puts_file(d, "partition", "1\n");

	/* the disk: MBR, disk id 0x0badcafe, partition 1 type 0x83 at 2048 */
	mbr[440] = 0xfe; mbr[441] = 0xca; mbr[442] = 0xad; mbr[443] = 0x0b;
	mbr[446 + 4] = 0x83;
	mbr[446 + 8 + 1] = 0x08;	/* start 2048 */
	mbr[446 + 12 + 1] = 0x08;	/* 2048 sectors */
	mbr[510] = 0x55; mbr[511] = 0xaa;
	snprintf(p, sizeof p, "%s/fd0", dev);
	put(p, mbr, sizeof mbr, 0);
	put(p, "", 1, 4096 * 512 - 1);
	/* the partition: an ext2 superblock, uuid 00..0f, label "part one" */
	sb[56] = 0x53; sb[57] = 0xef;
	for (i = 0; i < 16; i++)
		sb[104 + i] = (unsigned char)i;
	memcpy(sb + 120, "part one", 8);
	snprintf(p, sizeof p, "%s/fd0p1", dev);
	put(p, sb, sizeof sb, 1024);
	put(p, "", 1, 2048 * 512 - 1);

	g.sysfs = sys;
	g.devdir = dev;
	CHECK_INT(uev_parse_vars(&ev, vars, sizeof vars), UEV_OK);
	CHECK_INT(gather_event(&g, &ev, &out), 0);
	CHECK_STR(uprops_get(&out.props, "ID_FS_TYPE"), "ext2");
	CHECK_STR(uprops_get(&out.props, "ID_FS_UUID"), "00010203-0405-0607-0809-0a0b0c0d0e0f");
	CHECK_STR(uprops_get(&out.props, "ID_FS_LABEL"), "part_one");
	CHECK_STR(uprops_get(&out.props, "ID_PART_ENTRY_SCHEME"), "dos");
	CHECK_STR(uprops_get(&out.props, "ID_PART_ENTRY_UUID"), "0badcafe-01");
	CHECK_STR(uprops_get(&out.props, "ID_PART_ENTRY_NUMBER"), "1");
	CHECK_STR(uprops_get(&out.props, "ID_PART_ENTRY_TYPE"), "0x83");
	CHECK_STR(uprops_get(&out.props, "ID_PART_ENTRY_DISK"), "7:0");
	CHECK(uprops_get(&out.props, "ID_PATH") == NULL);	/* virtual */
	CHECK_INT(out.nlinks, 3);
	for (i = 0; i < out.nlinks; i++)
		found += !strcmp(out.link_ptr[i], "disk/by-uuid/00010203-0405-0607-0809-0a0b0c0d0e0f") +
			 !strcmp(out.link_ptr[i], "disk/by-label/part\\x20one") +
			 !strcmp(out.link_ptr[i], "disk/by-partuuid/0badcafe-01");
	CHECK_INT(found, 3);
	/* remove gathers nothing; a devpath with ".." is refused */
	ev.action = "remove";
	CHECK_INT(gather_event(&g, &ev, &out), 0);
	CHECK_INT(out.props.len, 0);
	ev.action = "add";
	ev.devpath = "/devices/../../etc";
	CHECK_INT(gather_event(&g, &ev, &out), -EINVAL);
	snprintf(p, sizeof p, "rm -rf %s", root);
	CHECK(system(p) == 0);
}
#endif
