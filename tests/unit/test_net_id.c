/* test_net_id.c — ID_NET_* on a scratch sysfs directory, and the driver
 * ioctl against the sysfs driver link of this machine's interfaces. */
#include "gather.gen.h"
#ifdef GATHER_HAVE_net_id
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "net_id.h"

static void put(const char *dir, const char *name, const char *val)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w"))) {
		fprintf(f, "%s\n", val);
		fclose(f);
	}
}

TEST(net_mac_name)
{
	char dir[64] = "/tmp/uevbox-net.XXXXXX", cmd[128];
	static struct uprops p;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	put(dir, "type", "1");
	put(dir, "addr_assign_type", "0");
	put(dir, "ifindex", "7");
	put(dir, "iflink", "7");
	put(dir, "address", "02:FC:00:00:00:01");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	uprops_init(&p);
	/* a name no interface has: no ethtool answer, no driver link */
	CHECK_INT(net_id_gather(fd, "uevbox-nonex", NULL, &p), 0);
	CHECK_STR(uprops_get(&p, "ID_NET_NAME_MAC"), "enx02fc00000001");
	CHECK(uprops_get(&p, "ID_NET_DRIVER") == NULL);
	uprops_init(&p);
	net_id_gather(fd, "uevbox-nonex", "wlan", &p);
	CHECK_STR(uprops_get(&p, "ID_NET_NAME_MAC"), "wlx02fc00000001");
	/* random address, stacked device, not Ethernet: no MAC name */
	put(dir, "addr_assign_type", "1");
	uprops_init(&p);
	net_id_gather(fd, "uevbox-nonex", NULL, &p);
	CHECK(uprops_get(&p, "ID_NET_NAME_MAC") == NULL);
	put(dir, "addr_assign_type", "0");
	put(dir, "iflink", "2");
	net_id_gather(fd, "uevbox-nonex", NULL, &p);
	CHECK(uprops_get(&p, "ID_NET_NAME_MAC") == NULL);
	put(dir, "iflink", "7");
	put(dir, "type", "772");
	net_id_gather(fd, "uevbox-nonex", NULL, &p);
	CHECK(uprops_get(&p, "ID_NET_NAME_MAC") == NULL);
	close(fd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

TEST(net_driver_matches_sysfs)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;
	char link[512], path[300], drv[64];

	if (!d)
		return;
	while ((e = readdir(d))) {
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/sys/class/net/%s/device/driver", e->d_name);
		n = readlink(path, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		/* an interface with a real device: ethtool names its driver */
		if (net_id_driver(e->d_name, drv, sizeof drv) == 1)
			CHECK_STR(drv, strrchr(link, '/') + 1);
	}
	closedir(d);
}
#endif
