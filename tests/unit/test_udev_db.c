/* test_udev_db.c — device ids, data file contents byte for byte, atomic
 * write, tag index and removal, in a scratch run directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "udev_db.h"

TEST(db_ids)
{
	char b[300];

	CHECK_INT(udev_db_id(b, sizeof b, "block", "/devices/virtual/block/loop0", 1, 7, 0, 0), 4);
	CHECK_STR(b, "b7:0");
	udev_db_id(b, sizeof b, "input", "/devices/x/input/input3/event3", 1, 13, 67, 0);
	CHECK_STR(b, "c13:67");
	udev_db_id(b, sizeof b, "net", "/devices/virtual/net/lo", 0, 0, 0, 1);
	CHECK_STR(b, "n1");
	udev_db_id(b, sizeof b, "pci", "/devices/pci0000:00/0000:00:1f.2", 0, 0, 0, 0);
	CHECK_STR(b, "+pci:0000:00:1f.2");
	/* '!' stays as in DEVPATH */
	udev_db_id(b, sizeof b, "block", "/devices/x/block/cciss!c0d0", 0, 0, 0, 0);
	CHECK_STR(b, "+block:cciss!c0d0");
	udev_db_id(b, sizeof b, "drivers", "/bus/pci/drivers/ahci", 0, 0, 0, 0);
	CHECK_STR(b, "+drivers:pci:ahci");
	CHECK_INT(udev_db_id(b, sizeof b, "drivers", "/ahci", 0, 0, 0, 0), -EINVAL);
	CHECK_INT(udev_db_id(b, sizeof b, "pci", "/devices/..", 0, 0, 0, 0), -EINVAL);
	CHECK_INT(udev_db_id(b, 3, "block", "/x", 1, 259, 1, 0), -ENAMETOOLONG);
}

static const char *links[] = { "disk/by-uuid/1234-ABCD", "/dev/disk/by-label/BOOT" };
static const char *tags[] = { "systemd", "seat" };

static void mkentry(struct udev_db_entry *e, struct uprops *p)
{
	uprops_init(p);
	uprops_set(p, "ID_FS_TYPE", "vfat");
	uprops_set(p, "ID_FS_UUID", "1234-ABCD");
	memset(e, 0, sizeof *e);
	e->id = "b7:3";
	e->has_devnum = 1;
	e->links = links;
	e->nlinks = 2;
	e->usec_initialized = 12345678;
	e->props = p;
	e->tags = tags;
	e->ntags = 2;
	e->cur_tags = tags;
	e->ncur = 1;
}

TEST(db_format_exact)
{
	struct udev_db_entry e;
	struct uprops p;
	char b[4096];

	mkentry(&e, &p);
	CHECK(udev_db_format(b, sizeof b, &e) > 0);
	CHECK_STR(b, "S:disk/by-uuid/1234-ABCD\nS:disk/by-label/BOOT\nI:12345678\n"
		     "E:ID_FS_TYPE=vfat\nE:ID_FS_UUID=1234-ABCD\nG:systemd\nG:seat\n"
		     "Q:systemd\nV:1\n");
	e.link_priority = -10;
	udev_db_format(b, sizeof b, &e);
	CHECK(strstr(b, "S:disk/by-label/BOOT\nL:-10\nI:") != NULL);
	/* no device node: no S:/L: */
	e.has_devnum = 0;
	udev_db_format(b, sizeof b, &e);
	CHECK(!strncmp(b, "I:12345678\n", 11));
	/* nothing to say: empty, no I: or V: (sd-device device_has_info) */
	memset(&e, 0, sizeof e);
	e.id = "n3";
	e.usec_initialized = 5;
	CHECK_INT(udev_db_format(b, sizeof b, &e), 0);
	CHECK_STR(b, "");
	mkentry(&e, &p);
	CHECK_INT(udev_db_format(b, 40, &e), -ENOSPC);
}

static char *slurp(const char *dir, const char *name)
{
	static char buf[4096];
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static int exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

TEST(db_write_remove)
{
	char dir[64] = "/tmp/uevbox-udevdb.XXXXXX";
	struct udev_db db;
	struct udev_db_entry e;
	struct uprops p;
	struct stat st;
	char path[600];
	const char *one[] = { "seat" };
	char *s;

	CHECK(mkdtemp(dir) != NULL);
	strcat(dir, "/run");
	CHECK_INT(udev_db_open(&db, dir), 0);
	CHECK_INT(udev_db_set_running(&db, 1), 0);
	CHECK(exists(dir, "control"));
	mkentry(&e, &p);
	CHECK_INT(udev_db_write(&db, &e), 0);
	s = slurp(dir, "data/b7:3");
	CHECK(s && !strncmp(s, "S:disk/by-uuid/1234-ABCD\n", 25) && strstr(s, "\nV:1\n"));
	snprintf(path, sizeof path, "%s/data/b7:3", dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	snprintf(path, sizeof path, "%s/tags/seat/b7:3", dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0444 && st.st_size == 0);
	CHECK(exists(dir, "tags/systemd/b7:3"));
	/* rewrite with one tag fewer: its index entry goes */
	e.tags = one;
	e.ntags = 1;
	e.ncur = 0;
	CHECK_INT(udev_db_write(&db, &e), 0);
	CHECK(!exists(dir, "tags/systemd/b7:3"));
	CHECK(exists(dir, "tags/seat/b7:3"));
	s = slurp(dir, "data/b7:3");
	CHECK(s && strstr(s, "G:seat\nV:1\n") && !strstr(s, "systemd"));
	/* no temporary left behind */
	snprintf(path, sizeof path, "ls -A %s/data | grep -q '^\\.'", dir);
	CHECK(system(path) != 0);
	e.tags = (const char *[]){ "bad/tag" };
	CHECK_INT(udev_db_write(&db, &e), -EINVAL);
	CHECK_INT(udev_db_remove(&db, "b7:3"), 0);
	CHECK(!exists(dir, "data/b7:3"));
	CHECK(!exists(dir, "tags/seat/b7:3"));
	CHECK_INT(udev_db_remove(&db, "b7:3"), 0);	/* already gone */
	CHECK_INT(udev_db_set_running(&db, 0), 0);
	CHECK(!exists(dir, "control"));
	udev_db_close(&db);
	snprintf(path, sizeof path, "rm -rf %.*s", (int)(strlen(dir) - 4), dir);
	CHECK(system(path) == 0);
}
