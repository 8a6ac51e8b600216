/* client.c — a small libudev client, built with the host compiler against
 * Debian's libudev at test time.  What desktop stacks do, reduced:
 *
 *   client monitor SECONDS [-s SUBSYSTEM[/DEVTYPE]]... [-t TAG]...
 *       udev_monitor on "udev" with those filters; prints "ready", then one
 *       line per received device until SECONDS pass without one:
 *       "ACTION DEVPATH SUBSYSTEM DEVTYPE init=N tags=… links=…" followed by
 *       "  KEY=VAL" for every property.  With UEVBOX_LINKROOT=DIR in the
 *       environment the line ends " seen=L/N db=D": L of the N devlinks
 *       exist below DIR (the publisher's /dev) at the moment the message
 *       is received, D is 1 when /run/udev/data/[bc]MAJ:MIN exists then.
 *   client enum SUBSYSTEM [TAG]
 *       udev_enumerate by subsystem (and tag); per device
 *       "SYSNAME init=N usec=N links=…" and "  KEY=VAL" of ID_* properties.
 *   client kernel GROUP SECONDS
 *       no libudev: what libudev-zero does, a raw NETLINK_KOBJECT_UEVENT
 *       socket bound to GROUP reading kernel-format "ACTION@DEVPATH\0KEY=VAL\0"
 *       datagrams; prints "ready", then per datagram "ACTION@DEVPATH" and
 *       "  KEY=VAL" lines, until SECONDS pass without one.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <libudev.h>

static void print_list(const char *label, struct udev_list_entry *l)
{
	printf(" %s=", label);
	for (; l; l = udev_list_entry_get_next(l))
		printf("%s,", udev_list_entry_get_name(l));
}

/* What a client finds at the moment it hears about d (UEVBOX_LINKROOT). */
static void print_seen(struct udev_device *d, const char *root)
{
	struct udev_list_entry *l;
	struct stat st;
	char p[4096];
	dev_t dn = udev_device_get_devnum(d);
	const char *sub = udev_device_get_subsystem(d);
	int n = 0, ok = 0;

	udev_list_entry_foreach(l, udev_device_get_devlinks_list_entry(d)) {
		const char *name = udev_list_entry_get_name(l);

		n++;
		if (!strncmp(name, "/dev/", 5))
			name += 5;
		snprintf(p, sizeof p, "%s/%s", root, name);
		ok += lstat(p, &st) == 0;
	}
	printf(" seen=%d/%d", ok, n);
	if (major(dn) || minor(dn)) {
		snprintf(p, sizeof p, "/run/udev/data/%c%u:%u", sub && !strcmp(sub, "block") ? 'b' : 'c',
			 major(dn), minor(dn));
		printf(" db=%d", access(p, F_OK) == 0);
	}
}

static int monitor(struct udev *u, int argc, char **argv)
{
	struct udev_monitor *m = udev_monitor_new_from_netlink(u, "udev");
	int secs = atoi(argv[0]), i;
	struct pollfd pfd;

	if (!m)
		return 1;
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-s")) {
			char *slash = strchr(argv[i + 1], '/');

			if (slash)
				*slash++ = '\0';
			if (udev_monitor_filter_add_match_subsystem_devtype(m, argv[i + 1], slash) < 0)
				return 1;
		} else if (!strcmp(argv[i], "-t")) {
			if (udev_monitor_filter_add_match_tag(m, argv[i + 1]) < 0)
				return 1;
		}
	}
	if (udev_monitor_enable_receiving(m) < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	pfd.fd = udev_monitor_get_fd(m);
	pfd.events = POLLIN;
	while (poll(&pfd, 1, secs * 1000) > 0) {
		struct udev_device *d = udev_monitor_receive_device(m);
		struct udev_list_entry *l;

		if (!d)
			continue;
		printf("%s %s %s %s init=%d", udev_device_get_action(d),
		       udev_device_get_devpath(d), udev_device_get_subsystem(d),
		       udev_device_get_devtype(d) ? udev_device_get_devtype(d) : "-",
		       udev_device_get_is_initialized(d));
		print_list("tags", udev_device_get_tags_list_entry(d));
		print_list("links", udev_device_get_devlinks_list_entry(d));
		if (getenv("UEVBOX_LINKROOT"))
			print_seen(d, getenv("UEVBOX_LINKROOT"));
		printf("\n");
		udev_list_entry_foreach(l, udev_device_get_properties_list_entry(d))
			printf("  %s=%s\n", udev_list_entry_get_name(l), udev_list_entry_get_value(l));
		fflush(stdout);
		udev_device_unref(d);
	}
	udev_monitor_unref(m);
	return 0;
}

static int enumerate(struct udev *u, const char *subsystem, const char *tag)
{
	struct udev_enumerate *e = udev_enumerate_new(u);
	struct udev_list_entry *l, *p;

	if (!e || udev_enumerate_add_match_subsystem(e, subsystem) < 0)
		return 1;
	if (tag && udev_enumerate_add_match_tag(e, tag) < 0)
		return 1;
	if (udev_enumerate_scan_devices(e) < 0)
		return 1;
	udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e)) {
		struct udev_device *d = udev_device_new_from_syspath(u, udev_list_entry_get_name(l));

		if (!d)
			continue;
		printf("%s init=%d usec=%llu", udev_device_get_sysname(d),
		       udev_device_get_is_initialized(d),
		       (unsigned long long)udev_device_get_usec_since_initialized(d) > 0 ? 1ULL : 0ULL);
		print_list("links", udev_device_get_devlinks_list_entry(d));
		print_list("tags", udev_device_get_tags_list_entry(d));
		printf("\n");
		udev_list_entry_foreach(p, udev_device_get_properties_list_entry(d))
			if (!strncmp(udev_list_entry_get_name(p), "ID_", 3))
				printf("  %s=%s\n", udev_list_entry_get_name(p),
				       udev_list_entry_get_value(p));
		udev_device_unref(d);
	}
	udev_enumerate_unref(e);
	return 0;
}

static int kernel_group(int group, int secs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char buf[16384];
	struct pollfd pfd;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	if (fd < 0 || group < 1 || group > 32)
		return 1;
	sa.nl_groups = 1u << (group - 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, secs * 1000) > 0) {
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0), i;

		if (n <= 0)
			continue;
		buf[n] = '\0';
		printf("%s\n", buf);
		for (i = (ssize_t)strlen(buf) + 1; i < n; i += (ssize_t)strlen(buf + i) + 1)
			printf("  %s\n", buf + i);
		fflush(stdout);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct udev *u = udev_new();
	int r = 2;

	if (!u)
		return 1;
	if (argc >= 3 && !strcmp(argv[1], "monitor"))
		r = monitor(u, argc - 2, argv + 2);
	else if (argc >= 3 && !strcmp(argv[1], "enum"))
		r = enumerate(u, argv[2], argc > 3 ? argv[3] : NULL);
	else if (argc == 4 && !strcmp(argv[1], "kernel"))
		r = kernel_group(atoi(argv[2]), atoi(argv[3]));
	else
		fprintf(stderr, "usage: client monitor SECONDS [-s SUBSYS[/DEVTYPE]] [-t TAG] | "
			"enum SUBSYSTEM [TAG] | kernel GROUP SECONDS\n");
	udev_unref(u);
	return r;
}
