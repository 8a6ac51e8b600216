/* uevd — the device daemon: keeps ROOT (/dev) right from kernel events. */
#include "applet.h"

APPLET(uevd, "uevd",
"[-f CONF] [-r ROOT] [-s SYSFS] [-d MODDIR] [-C] [-n] [-N] [-O GROUPS] [-U] [-u RUNDIR] [-b BYTES] [-D FD] [-F FWDIR] [-W N] [-v]",
"Listen for kernel uevents and keep device nodes, links, commands and modules\n"
"in step with them, following mdev.conf rules.\n"
"\n"
"  -f CONF    mdev.conf rules (default: the built-in rules)\n"
"  -r ROOT    make nodes below ROOT (default /dev)\n"
"  -s SYSFS   sysfs mount (default /sys)\n"
"  -d MODDIR  module directory for MODALIAS loading\n"
"  -C         coldplug at start: replay every device in SYSFS (the socket is\n"
"             opened first, so nothing is missed)\n"
"  -n         dry run: print each node, link, command and module, change nothing\n"
"  -N         check the config, print every bad line as FILE:LINE: reason, exit\n"
"  -O GROUPS  after handling, republish each event in kernel format to these\n"
"             netlink groups (comma list, e.g. 4 for libudev-zero)\n"
"  -U         publish to libudev clients as systemd-udevd does: gather ID_*\n"
"             properties, make ROOT/disk/by-* links, keep the udev database\n"
"             in RUNDIR, send each handled event on netlink group 2; a rule's\n"
"             +KEY=VALUE tokens add properties\n"
"  -u RUNDIR  udev database directory for -U (default /run/udev)\n"
"  -b BYTES   socket receive buffer (default 64 MiB)\n"
"  -D FD      write a newline to FD when ready, then close it\n"
"  -F FWDIR   firmware fallback: feed FWDIR/$FIRMWARE to the kernel loader\n"
"  -W N       threads loading modules (default 4)\n"
"  -v         log every event and step\n"
"\n"
"Owner and group names come from /etc/passwd and /etc/group ($UEVBOX_ETC\n"
"overrides the directory).  ROOT/.uevd.seq holds the SEQNUM up to which every\n"
"event is handled (coldplug -w waits on it).  On a receive overflow uevd logs\n"
"the loss and resyncs from sysfs.  SIGHUP reloads the rules; SIGUSR1 logs what\n"
"the queue holds; SIGTERM exits.\n");

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eng_daemon.h"
#include "eng_publish.h"

static void log_line(void *arg, const char *line)
{
	msg("%s", line);
}

static void out_line(void *arg, const char *line)
{
	puts(line);
	fflush(stdout);
}

/* "1,4" -> group mask */
static int parse_groups(const char *s, uint32_t *mask)
{
	char buf[128], *tok, *save;

	if (strlen(s) >= sizeof buf)
		return -EINVAL;
	strcpy(buf, s);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long long g;

		if (parse_uint(tok, 32, &g) || g == 0)
			return -EINVAL;
		*mask |= 1u << (g - 1);
	}
	return *mask ? 0 : -EINVAL;
}

static int uevd_main(int argc, char **argv)
{
	struct eng_daemon_cfg c;
	unsigned long long v;
	struct eng_publish_cfg pc;
	struct eng_publish *pub = NULL;
	int opt, check = 0, udev = 0, r;

	memset(&c, 0, sizeof c);
	c.root = "/dev";
	c.sysfs = "/sys";
	c.ready_fd = -1;
	c.ids.etc = getenv("UEVBOX_ETC");
	c.log = log_line;
	c.out = out_line;
	memset(&pc, 0, sizeof pc);
	pc.rundir = "/run/udev";
	pc.log = log_line;
	while ((opt = getopt(argc, argv, ":f:r:s:d:CnNO:Uu:b:D:F:W:v")) != -1) {
		switch (opt) {
		case 'f': c.conf = optarg; break;
		case 'r': c.root = optarg; break;
		case 's': c.sysfs = optarg; break;
		case 'd': c.moddir = optarg; break;
		case 'C': c.coldplug = 1; break;
		case 'n': c.dry = 1; break;
		case 'N': check = 1; break;
		case 'O':
			if (parse_groups(optarg, &c.republish))
				return usage_error("-O %s: want group numbers 1..32, comma separated", optarg);
			break;
		case 'U': udev = 1; break;
		case 'u': pc.rundir = optarg; break;
		case 'b':
			if (parse_uint(optarg, 1u << 30, &v) || v < 4096)
				return usage_error("-b %s: want 4096..1073741824 bytes", optarg);
			c.rcvbuf = (int)v;
			break;
		case 'D':
			if (parse_uint(optarg, 1 << 20, &v))
				return usage_error("-D %s: not a file descriptor", optarg);
			c.ready_fd = (int)v;
			break;
		case 'F': c.fwdir = optarg; break;
		case 'W':
			if (parse_uint(optarg, 64, &v) || !v)
				return usage_error("-W %s: want 1..64 threads", optarg);
			c.module_workers = (unsigned)v;
			break;
		case 'v': c.verbose = 1; break;
		default: return bad_option(opt);
		}
	}
	if (optind != argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (check) {
		struct rule_set rs;

		r = eng_daemon_rules(&c, &rs);
		if (r == 0)
			printf("%s: %zu rule(s), no errors\n", c.conf ? c.conf : "(built-in)", rs.n);
		rule_free(&rs);
		return r == 0 ? 0 : 1;
	}
	if (udev && !c.dry) {
		pc.root = c.root;
		pc.sysfs = c.sysfs;
		r = eng_publish_open(&pub, &pc);
		if (r < 0)
			return msg_errno(r, "-U: %s", pc.rundir);
		c.handled = eng_publish_handled;
		c.arg = pub;
	}
	r = eng_daemon_run(&c);
	eng_publish_close(pub);
	if (r < 0)
		return msg_errno(r, "cannot run");
	return 0;
}
