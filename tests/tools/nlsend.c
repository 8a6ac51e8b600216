/* nlsend — test tool: send one datagram (read from stdin, NULs and all)
 * from a userspace socket on a netlink protocol to a multicast group mask,
 * the way a process pretending to be the kernel or a device manager would.
 *   nlsend [-p PROTO] GROUPMASK < datagram
 * Exit 0 when sent, 1 on error (with the reason). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nl_sock.h"

int main(int argc, char **argv)
{
	static char buf[65536];
	struct nl_sock s;
	int proto = NETLINK_KOBJECT_UEVENT, r;
	size_t len = 0;
	ssize_t n;

	if (argc == 4 && !strcmp(argv[1], "-p")) {
		proto = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: nlsend [-p PROTO] GROUPMASK < datagram\n");
		return 2;
	}
	while ((n = read(0, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		perror("nlsend: stdin");
		return 1;
	}
	r = nl_open(&s, proto, 0, 0);
	if (r < 0) {
		fprintf(stderr, "nlsend: socket: %s\n", strerror(-r));
		return 1;
	}
	n = nl_send(&s, buf, len, 0, (uint32_t)strtoul(argv[1], NULL, 0));
	if (n < 0) {
		fprintf(stderr, "nlsend: send: %s\n", strerror((int)-n));
		return 1;
	}
	return 0;
}
