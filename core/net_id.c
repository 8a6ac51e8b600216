/* net_id.c — basic ID_NET_* properties (see net_id.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "net_id.h"
#include "sysfs.h"

int net_id_driver(const char *ifname, char *buf, size_t size)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;
	int fd, r = 0;

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = (void *)&info;
	/* any socket of the interface's network namespace carries ethtool */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		r = errno == EOPNOTSUPP || errno == ENODEV ? 0 : -errno;
	else if (info.driver[0]) {
		snprintf(buf, size, "%.*s", (int)sizeof info.driver, info.driver);
		r = 1;
	}
	close(fd);
	return r;
}

static long num_attr(int dirfd, const char *name)
{
	char b[32];

	if (sysfs_read_attr(dirfd, name, b, sizeof b) <= 0)
		return -1;
	return strtol(b, NULL, 0);
}

int net_id_gather(int dirfd, const char *ifname, const char *devtype, struct uprops *out)
{
	char drv[64], link[PATH_MAX], mac[64], name[64];
	const char *prefix = "en";
	long type, assign, ifindex, iflink;
	ssize_t n;
	size_t i, o;
	int r;

	r = net_id_driver(ifname, drv, sizeof drv);
	if (r <= 0) {
		/* no ethtool answer (another netns, no driver info): the
		 * driver sysfs links to */
		n = readlinkat(dirfd, "device/driver", link, sizeof link - 1);
		if (n > 0) {
			link[n] = '\0';
			snprintf(drv, sizeof drv, "%.63s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
			r = 1;
		}
	}
	if (r > 0 && (r = uprops_set(out, "ID_NET_DRIVER", drv)) < 0)
		return r;

	type = num_attr(dirfd, "type");
	assign = num_attr(dirfd, "addr_assign_type");
	ifindex = num_attr(dirfd, "ifindex");
	iflink = num_attr(dirfd, "iflink");
	if (type != 1 || assign != 0 || ifindex != iflink)
		return 0;
	if (devtype && !strcmp(devtype, "wlan"))
		prefix = "wl";
	else if (devtype && !strcmp(devtype, "wwan"))
		prefix = "ww";
	if (sysfs_read_attr(dirfd, "address", mac, sizeof mac) != 17)
		return 0;
	o = (size_t)snprintf(name, sizeof name, "%sx", prefix);
	for (i = 0; mac[i] && o + 1 < sizeof name; i++)
		if (mac[i] != ':')
			name[o++] = (char)(mac[i] >= 'A' && mac[i] <= 'F' ? mac[i] + 32 : mac[i]);
	name[o] = '\0';
	if (!strcmp(name + 3, "000000000000"))
		return 0;
	return uprops_set(out, "ID_NET_NAME_MAC", name);
}
