/* send.c — test-only publisher, built with the host compiler at test time
 * from core/udev_msg.c, udev_props.c, udev_db.c (never part of uevbox).
 * It sends what uevd -U never sends (deliberately corrupted headers, the
 * negative controls for the clients' BPF filters) and writes database
 * entries by hand, so the libudev tests can check the wire format and the
 * database against real clients independently of the daemon.
 *
 *   send msg [-x hash|bloom] KEY=VAL... one libudev datagram to group 2;
 *                                       -x flips a bit of the subsystem hash
 *                                       (offset 24) or zeroes the tag bloom
 *                                       (offsets 32..39):
 *                                       the negative control for the BPF
 *   send db RUNDIR ID [KEY=VAL|+LINK|@TAG|^USEC]...   write data/ID
 *   send rm RUNDIR ID                   remove data/ID and its tags
 *   send control RUNDIR on|off
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "nl_sock.h"
#include "udev_db.h"
#include "udev_msg.h"
#include "udev_props.h"
static int die(const char *what, int err)
{
	fprintf(stderr, "send: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}


static int cmd_msg(int argc, char **argv)
{
	static struct uprops p;
	static unsigned char buf[UDEV_MSG_MAX];
	struct nl_sock s;
	ssize_t n;
	int i = 0, r, corrupt = -1;

	if (argc >= 2 && !strcmp(argv[0], "-x")) {
		corrupt = !strcmp(argv[1], "hash") ? 24 : 32;
		i = 2;
	}
	uprops_init(&p);
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return die(argv[i], EINVAL);
		*eq = '\0';
		if ((r = uprops_set(&p, argv[i], eq + 1)) < 0)
			return die(argv[i], r);
	}
	n = udev_msg_encode(buf, sizeof buf, p.buf, p.len);
	if (n < 0)
		return die("encode", (int)n);
	if (corrupt == 24)
		buf[27] ^= 0x01;
	else if (corrupt == 32)
		memset(buf + 32, 0, 8);
	if ((r = nl_open(&s, NETLINK_KOBJECT_UEVENT, 0, 0)) < 0)
		return die("socket", r);
	n = nl_send(&s, buf, (size_t)n, 0, 1u << (UDEV_MSG_GROUP - 1));
	nl_close(&s);
	return n < 0 ? die("send", (int)n) : 0;
}

static int cmd_db(int argc, char **argv, int rm)
{
	static struct uprops p;
	const char *links[32], *tags[32];
	struct udev_db_entry e = { .id = argv[1], .links = links, .tags = tags,
				   .props = &p };
	struct udev_db db;
	int i, r;

	uprops_init(&p);
	if ((r = udev_db_open(&db, argv[0])) < 0)
		return die(argv[0], r);
	if (rm) {
		r = udev_db_remove(&db, argv[1]);
		return r < 0 ? die("remove", r) : 0;
	}
	e.has_devnum = argv[1][0] == 'b' || argv[1][0] == 'c';
	for (i = 2; i < argc; i++) {
		char *a = argv[i], *eq;

		if (*a == '+' && e.nlinks < 32)
			links[e.nlinks++] = a + 1;
		else if (*a == '@' && e.ntags < 32)
			tags[e.ntags++] = a + 1;
		else if (*a == '^')
			e.usec_initialized = strtoull(a + 1, NULL, 10);
		else if ((eq = strchr(a, '='))) {
			*eq = '\0';
			if ((r = uprops_set(&p, a, eq + 1)) < 0)
				return die(a, r);
		} else
			return die(a, EINVAL);
	}
	e.cur_tags = tags;
	e.ncur = e.ntags;
	r = udev_db_write(&db, &e);
	udev_db_close(&db);
	return r < 0 ? die("write", r) : 0;
}

int main(int argc, char **argv)
{
	struct udev_db db;
	int r;

	if (argc >= 2 && !strcmp(argv[1], "msg"))
		return cmd_msg(argc - 2, argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "db"))
		return cmd_db(argc - 2, argv + 2, 0);
	if (argc == 4 && !strcmp(argv[1], "rm"))
		return cmd_db(argc - 2, argv + 2, 1);
	if (argc == 4 && !strcmp(argv[1], "control")) {
		if ((r = udev_db_open(&db, argv[2])) < 0)
			return die(argv[2], r);
		r = udev_db_set_running(&db, !strcmp(argv[3], "on"));
		udev_db_close(&db);
		return r < 0 ? die("control", r) : 0;
	}
	fprintf(stderr, "usage: send msg|db|rm|control ...\n");
	return 2;
}
