/* test_sysfs.c — bounded attribute reads and the device walk on a small
 * fake tree made in a temporary directory (no root needed). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "sysfs.h"

static void mk(const char *dir, const char *rel)
{
	char p[512];

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	mkdir(p, 0755);
}

/* DIR/link -> target (relative, as the kernel makes them) */
static void ln(const char *dir, const char *target, const char *link)
{
	char p[512];

	snprintf(p, sizeof p, "%s/%s", dir, link);
	symlink(target, p);
}

/* the kernel's device lists: bus/pci/devices/, and bus/usb/ */
static void mk_lists(const char *dir)
{
	mk(dir, "bus");
	mk(dir, "bus/pci");
	mk(dir, "bus/pci/devices");
	mk(dir, "bus/usb");
}

static char *fake_tree(void)
{
	static char dir[64];

	snprintf(dir, sizeof dir, "/tmp/uevbox-unit-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	mk(dir, "devices");
	mk(dir, "devices/pci0000:00");
	unit_put(dir, "devices/pci0000:00/uevent", "");
	mk(dir, "devices/pci0000:00/0000:00:01.0");
	unit_put(dir, "devices/pci0000:00/0000:00:01.0/uevent", "PCI_ID=1234:5678\nMODALIAS=pci:v1234\n");
	mk(dir, "devices/pci0000:00/0000:00:01.0/power");	/* no uevent: not a device */
	mk(dir, "devices/virtual");
	mk(dir, "devices/virtual/mem");
	mk(dir, "devices/virtual/mem/null");
	unit_put(dir, "devices/virtual/mem/null/uevent", "MAJOR=1\nMINOR=3\nDEVNAME=null\n");
	unit_put(dir, "devices/virtual/mem/null/dev", "1:3\n");
	/* a loop through a symlink must not be followed */
	{
		char p[512];

		snprintf(p, sizeof p, "%s/devices/virtual/mem/null/subsystem", dir);
		symlink("../../../../devices", p);
	}
	return dir;
}

struct seen {
	char paths[16][128];
	int n;
};

static int collect(const char *devpath, int dirfd, void *arg)
{
	struct seen *s = arg;
	char buf[64];

	if (s->n < 16)
		snprintf(s->paths[s->n++], 128, "%s", devpath);
	/* the fd is the device directory */
	return sysfs_read_attr(dirfd, "uevent", buf, sizeof buf) < 0 ? -1 : 0;
}

static int index_of(const struct seen *s, const char *p)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->paths[i], p))
			return i;
	return -1;
}

TEST(sysfs_walk_order)
{
	char *dir = fake_tree();
	struct seen s = { .n = 0 };
	char cmd[128];

	CHECK(dir != NULL);
	if (!dir)
		return;
	CHECK_INT(sysfs_walk_devices(dir, collect, &s), 0);
	CHECK_INT(s.n, 3);
	CHECK(index_of(&s, "/devices/pci0000:00") >= 0);
	CHECK(index_of(&s, "/devices/pci0000:00") < index_of(&s, "/devices/pci0000:00/0000:00:01.0"));
	CHECK(index_of(&s, "/devices/virtual/mem/null") >= 0);
	CHECK_INT(sysfs_walk_devices("/nonexistent-uevbox", collect, &s), -ENOENT);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
}

static int stop_with_one(const char *devpath, int dirfd, void *arg)
{
	return 1;
}

/* With bus/ and class/ the walk lists what they link to: every device with
 * a subsystem, parents first, and nothing else (pci0000:00 has none). */
TEST(sysfs_walk_lists)
{
	char *dir = fake_tree();
	struct seen s = { .n = 0 };
	char cmd[128];

	if (!CHECK(dir != NULL))
		return;
	mk_lists(dir);			/* bus/usb has no devices/: no error */
	mk(dir, "class");
	mk(dir, "class/mem");
	ln(dir, "../../../devices/pci0000:00/0000:00:01.0", "bus/pci/devices/0000:00:01.0");
	ln(dir, "../../devices/virtual/mem/null", "class/mem/null");
	ln(dir, "../../devices/virtual/mem/gone", "class/mem/gone");	/* vanished: skipped */
	ln(dir, "../../devices/pci0000:00/0000:00:01.0", "class/mem/zz");	/* twice: once */
	unit_put(dir, "class/mem/not-a-link", "");
	CHECK_INT(sysfs_walk_devices(dir, collect, &s), 0);
	CHECK_INT(s.n, 2);
	CHECK_INT(index_of(&s, "/devices/pci0000:00/0000:00:01.0"), 0);
	CHECK_INT(index_of(&s, "/devices/virtual/mem/null"), 1);
	CHECK_INT(sysfs_walk_devices(dir, stop_with_one, NULL), 1);	/* cb's answer, whatever it is */
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
}

static void pci_dev(const char *dir, const char *rel, const char *cls)
{
	char p[512], t[512];

	mk(dir, rel);
	snprintf(p, sizeof p, "%s/uevent", rel);
	unit_put(dir, p, "");
	if (cls) {
		snprintf(p, sizeof p, "%s/class", rel);
		unit_put(dir, p, cls);
	}
	snprintf(p, sizeof p, "bus/pci/devices/%s", strrchr(rel, '/') + 1);
	snprintf(t, sizeof t, "../../../%s", rel);
	ln(dir, t, p);
}

/* Storage, USB and SD host controllers and PS/2 ports come first, with
 * their parents (a bridge, i8042); then the rest, each part in DEVPATH
 * order. */
TEST(sysfs_walk_controllers_first)
{
	char *dir = fake_tree();
	struct seen s = { .n = 0 };
	char cmd[128];

	if (!CHECK(dir != NULL))
		return;
	mk_lists(dir);
	mk(dir, "bus/usb/devices");
	pci_dev(dir, "devices/pci0000:00/0000:00:01.0", NULL);		/* no class: not first */
	pci_dev(dir, "devices/pci0000:00/0000:00:02.0", "0x0c0330\n");	/* xHCI */
	pci_dev(dir, "devices/pci0000:00/0000:00:03.0", "0x0c0500\n");	/* SMBus: not first */
	pci_dev(dir, "devices/pci0000:00/0000:00:1c.0", "0x060400\n");	/* a bridge ... */
	pci_dev(dir, "devices/pci0000:00/0000:00:1c.0/0000:01:00.0", "0x010802\n");	/* ... to NVMe */
	mk(dir, "devices/pci0000:00/0000:00:02.0/usb1");
	unit_put(dir, "devices/pci0000:00/0000:00:02.0/usb1/uevent", "");
	ln(dir, "../../../devices/pci0000:00/0000:00:02.0/usb1", "bus/usb/devices/usb1");
	/* a PS/2 port, behind its platform device */
	mk(dir, "bus/platform");
	mk(dir, "bus/platform/devices");
	mk(dir, "bus/serio");
	mk(dir, "bus/serio/devices");
	mk(dir, "devices/platform");
	mk(dir, "devices/platform/i8042");
	mk(dir, "devices/platform/i8042/serio1");
	unit_put(dir, "devices/platform/i8042/uevent", "");
	unit_put(dir, "devices/platform/i8042/serio1/uevent", "");
	ln(dir, "../../../devices/platform/i8042", "bus/platform/devices/i8042");
	ln(dir, "../../../devices/platform/i8042/serio1", "bus/serio/devices/serio1");
	CHECK_INT(sysfs_walk_devices(dir, collect, &s), 0);
	CHECK_INT(s.n, 8);
	CHECK_STR(s.paths[0], "/devices/pci0000:00/0000:00:02.0");
	CHECK_STR(s.paths[1], "/devices/pci0000:00/0000:00:1c.0");
	CHECK_STR(s.paths[2], "/devices/pci0000:00/0000:00:1c.0/0000:01:00.0");
	CHECK_STR(s.paths[3], "/devices/platform/i8042");
	CHECK_STR(s.paths[4], "/devices/platform/i8042/serio1");
	CHECK_STR(s.paths[5], "/devices/pci0000:00/0000:00:01.0");
	CHECK_STR(s.paths[6], "/devices/pci0000:00/0000:00:02.0/usb1");
	CHECK_STR(s.paths[7], "/devices/pci0000:00/0000:00:03.0");
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
}

static int stop_at_second(const char *devpath, int dirfd, void *arg)
{
	int *n = arg;

	return ++*n == 2 ? 42 : 0;
}

TEST(sysfs_walk_stops)
{
	char *dir = fake_tree();
	char cmd[128];
	int n = 0;

	if (!CHECK(dir != NULL))
		return;
	CHECK_INT(sysfs_walk_devices(dir, stop_at_second, &n), 42);
	CHECK_INT(n, 2);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	system(cmd);
}

TEST(sysfs_read_attr_bounds)
{
	char *dir = fake_tree();
	char buf[8], cmd[128];
	int dfd;

	if (!CHECK(dir != NULL))
		return;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_INT(sysfs_read_attr(dfd, "devices/virtual/mem/null/dev", buf, sizeof buf), 3);
	CHECK_STR(buf, "1:3");	/* newline stripped */
	/* exactly fits: 7 bytes + NUL (after the newline is counted) */
	unit_put(dir, "seven", "1234567");
	CHECK_INT(sysfs_read_attr(dfd, "seven", buf, sizeof buf), 7);
	unit_put(dir, "eight", "12345678");
	CHECK_INT(sysfs_read_attr(dfd, "eight", buf, sizeof buf), -EFBIG);
	CHECK_INT(sysfs_read_attr(dfd, "missing", buf, sizeof buf), -ENOENT);
	CHECK_INT(sysfs_read_attr(dfd, "devices/virtual/mem/null/subsystem", buf, sizeof buf), -ELOOP);
	CHECK_INT(sysfs_read_attr(dfd, "seven", buf, 0), -EINVAL);
	close(dfd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	system(cmd);
}
