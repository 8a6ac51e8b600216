/* coldplug — make the kernel (or ourselves) go over every existing device. */
#include "applet.h"

APPLET(coldplug, "coldplug",
"[-s SYSFS] [-w] [-t SECONDS] [-R] [-r ROOT -f CONF] [-d MODDIR] [-i MS] [-n] [-v]",
"Go over every device that already exists, parents before children.\n"
"\n"
"Trigger mode (default): write \"add UUID\" to every device's uevent file, bus\n"
"devices before class devices, so the running daemon (uevd) gets real events.\n"
"  -w         wait until the daemon has handled all of them: the SEQNUM of the\n"
"             last triggered event is compared with ROOT/.uevd.seq, which uevd\n"
"             keeps up to date (the SEQNUM up to which everything is handled)\n"
"  -t SECONDS bound the wait (default 30; with -R: no bound unless given);\n"
"             exit 1 on timeout (-R first logs what is still pending)\n"
"Replay mode:\n"
"  -R         read each uevent file and apply the rules in process, like\n"
"             mdev -s but complete (all devices, commands, modules): uevd's\n"
"             engine, module loads on its worker threads; exit 1 if a step\n"
"             failed (a driver answering ENODEV is said, not a failure)\n"
"  -f CONF    mdev.conf rules for -R (default: the built-in rules)\n"
"  -d MODDIR  module tree for MODALIAS loading with -R\n"
"             (default /lib/modules/$(uname -r))\n"
"  -i MS      after the walk, handle the devices it made appear (its module\n"
"             loads bind drivers that add devices) until none has come for MS\n"
"             milliseconds (default 1000; 0: stop when the walk's work is done)\n"
"  -n         with -R: print each node, link, command and module, change nothing\n"
"  -v         with -R: print each step as it is done\n"
"Both:\n"
"  -s SYSFS   sysfs mount (default /sys)\n"
"  -r ROOT    device directory (default /dev): nodes for -R, .uevd.seq for -w\n");

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cold.h"
#include "cold_settle.h"
#include "eng_daemon.h"
#include "eng_replay.h"

static void log_line(void *arg, const char *line)
{
	msg("%s", line);
}

static void out_line(void *arg, const char *line)
{
	puts(line);
}

/* -R -n: what the walk would do, step by step, changing nothing. */
static int replay_dry(const char *sysfs, const char *conf, const char *moddir)
{
	struct eng_daemon_cfg c;
	struct rule_set rs;
	struct dev_modules mods;
	struct engine e;
	struct eng_apply a;
	int r;

	memset(&c, 0, sizeof c);
	c.conf = conf;
	c.ids.etc = getenv("UEVBOX_ETC");
	c.log = log_line;
	if (eng_daemon_rules(&c, &rs) < 0)
		return 1;
	memset(&e, 0, sizeof e);
	e.rules = &rs;
	e.sysfs = sysfs;
	e.mods = &mods;
	e.root.fd = -1;
	dev_modules_open(&mods, moddir);
	memset(&a, 0, sizeof a);
	a.eng = &e;
	a.dry = 1;
	a.out = out_line;
	a.log = log_line;
	r = eng_apply_sysfs(&a, sysfs);
	fflush(stdout);
	if (r < 0)
		msg_errno(r, "%s", sysfs);
	msg("%u device(s), %u step(s) (dry run: nothing changed), %u unsafe name(s) refused",
	    a.events, a.steps, a.unsafe);
	dev_modules_close(&mods);
	rule_free(&rs);
	return r < 0 ? 1 : 0;
}

/* -R: the daemon's engine with its coldplug walk, exiting once all is
 * done.  The socket is open before the walk, so the devices its module
 * loads make appear are handled too; loads run on the module workers
 * while the walk goes on. */
static int replay(const char *sysfs, const char *root, const char *conf, const char *moddir,
		  int idle_ms, int timeout, int verbose)
{
	struct eng_daemon_cfg c;
	struct eng_daemon_stats st = { 0 };
	int r;

	memset(&c, 0, sizeof c);
	c.conf = conf;
	c.ids.etc = getenv("UEVBOX_ETC");
	c.root = root;
	c.sysfs = sysfs;
	c.moddir = moddir;
	c.coldplug = 1;
	c.verbose = verbose;
	c.ready_fd = -1;
	c.idle_exit_ms = idle_ms > 0 ? (unsigned)idle_ms : 1;
	c.max_ms = (unsigned)timeout * 1000;
	c.stats = &st;
	c.log = log_line;
	c.out = out_line;
	r = eng_daemon_run(&c);
	if (r < 0)
		return msg_errno(r, "%s", root);
	msg("%lu event(s) handled, %llu module load(s), %lu step(s) failed%s",
	    st.events, st.loads, st.failed, st.timed_out ? ", gave up (-t)" : "");
	return st.failed || st.timed_out ? 1 : 0;
}

static int coldplug_main(int argc, char **argv)
{
	const char *sysfs = "/sys", *root = "/dev", *conf = NULL, *moddir = NULL;
	int opt, wait = 0, rep = 0, dry = 0, verbose = 0, timeout = 30, idle_ms = 1000, rep_timeout = 0, r;
	unsigned long long v;
	unsigned failed = 0;
	char uuid[37], last[PATH_MAX];
	struct nl_sock s;
	uint64_t seq = 0, seen = 0;

	while ((opt = getopt(argc, argv, ":s:wt:Rr:f:d:i:nv")) != -1) {
		switch (opt) {
		case 's': sysfs = optarg; break;
		case 'w': wait = 1; break;
		case 't':
			if (parse_uint(optarg, 86400, &v) || !v)
				return usage_error("-t %s: want 1..86400 seconds", optarg);
			timeout = rep_timeout = (int)v;
			break;
		case 'R': rep = 1; break;
		case 'r': root = optarg; break;
		case 'f': conf = optarg; break;
		case 'd': moddir = optarg; break;
		case 'i':
			if (parse_uint(optarg, 600000, &v))
				return usage_error("-i %s: want 0..600000 milliseconds", optarg);
			idle_ms = (int)v;
			break;
		case 'n': dry = 1; break;
		case 'v': verbose = 1; break;
		default: return bad_option(opt);
		}
	}
	if (optind != argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (rep && wait)
		return usage_error("-w waits for a daemon: not with -R");
	if (!rep && (dry || conf || moddir))
		return usage_error("-n, -f and -d go with -R");
	if (rep && dry)
		return replay_dry(sysfs, conf, moddir);
	if (rep)
		return replay(sysfs, root, conf, moddir, idle_ms, rep_timeout, verbose);

	if ((r = cold_uuid(uuid)) < 0)
		return msg_errno(r, "uuid");
	if (wait && (r = cold_watch_open(&s)) < 0)
		return msg_errno(r, "uevent socket");
	last[0] = 0;
	r = cold_trigger(sysfs, "add", uuid, last, &failed);
	if (r < 0)
		return msg_errno(r, "%s", sysfs);
	if (failed)
		msg("%u uevent file(s) could not be written (devices gone?)", failed);
	if (!wait)
		return 0;
	if (!last[0])
		return 0;	/* nothing triggered, nothing to wait for */
	r = cold_watch_seq(&s, last, uuid, timeout * 1000, &seq);
	nl_close(&s);
	if (r < 0)
		return msg_errno(r, "waiting for the event of %s", last);
	r = cold_settle(root, seq, timeout * 1000, &seen);
	if (r < 0)
		return msg_errno(r, "settle: %s/%s at %llu, want %llu", root, ENG_SEQ_FILE,
				 (unsigned long long)seen, (unsigned long long)seq);
	return 0;
}
