/* mdev — drop-in for busybox mdev: -s, hotplug helper, -d daemon. */
#include "applet.h"

APPLET(mdev, "mdev",
"[-s | -d [-f]]",
"Populate /dev from /etc/mdev.conf, like busybox mdev.\n"
"\n"
"  (no args)  hotplug helper: handle the one event in the environment\n"
"             (ACTION, DEVPATH, SUBSYSTEM, ...) as the kernel's uevent_helper\n"
"             calls it\n"
"  -s         scan sysfs and create every device node\n"
"  -d         daemon: coldplug, then listen for uevents (see uevd)\n"
"  -f         with -d: stay in the foreground\n"
"\n"
"Rules come from /etc/mdev.conf; with no file every device gets 0:0 0660.\n"
"For tests and chroots: $MDEV_ROOT (default /) prefixes etc/mdev.conf,\n"
"etc/passwd, etc/group, dev/ and lib/firmware; $MDEV_SYSFS replaces /sys.\n");

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "eng_daemon.h"
#include "eng_replay.h"

extern char **environ;

static void log_line(void *arg, const char *line)
{
	msg("%s", line);
}

/* The event the kernel put in our environment, as KEY=VAL\0 variables.
 * Only [A-Z0-9_] keys; the shell's own variables stay out. */
static int env_event(char *buf, size_t size, size_t *len)
{
	static const char *const skip[] = { "PATH", "HOME", "PWD", "OLDPWD", "SHLVL", "TERM",
					    "MDEV_ROOT", "MDEV_SYSFS", "UEVBOX_ETC", NULL };
	char **e;
	size_t n = 0;

	for (e = environ; *e; e++) {
		const char *eq = strchr(*e, '='), *c;
		size_t l = strlen(*e) + 1;
		int ok = eq && eq != *e, i;

		for (c = *e; ok && c < eq; c++)
			ok = (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_';
		for (i = 0; ok && skip[i]; i++)
			ok = !(strlen(skip[i]) == (size_t)(eq - *e) && !strncmp(*e, skip[i], (size_t)(eq - *e)));
		if (!ok)
			continue;
		if (n + l > size)
			return -E2BIG;
		memcpy(buf + n, *e, l);
		n += l;
	}
	*len = n;
	return 0;
}

static int mdev_main(int argc, char **argv)
{
	const char *sysroot = getenv("MDEV_ROOT"), *sysfs = getenv("MDEV_SYSFS");
	char conf[PATH_MAX], etc[PATH_MAX], dev[PATH_MAX], fw[PATH_MAX];
	int opt, scan = 0, daemon_mode = 0, foreground = 0, r;
	struct rule_set rs;
	struct dev_modules mods;
	struct engine e;
	struct eng_apply a;
	struct eng_daemon_cfg c;

	while ((opt = getopt(argc, argv, ":sdf")) != -1) {
		switch (opt) {
		case 's': scan = 1; break;
		case 'd': daemon_mode = 1; break;
		case 'f': foreground = 1; break;
		default: return bad_option(opt);
		}
	}
	if (scan && daemon_mode)
		return usage_error("-s or -d, not both");
	if (!sysroot || !*sysroot)
		sysroot = "";
	if (!sysfs || !*sysfs)
		sysfs = "/sys";
	snprintf(conf, sizeof conf, "%s/etc/mdev.conf", sysroot);
	snprintf(etc, sizeof etc, "%s/etc", sysroot);
	snprintf(dev, sizeof dev, "%s/dev", sysroot);
	snprintf(fw, sizeof fw, "%s/lib/firmware", sysroot);

	memset(&c, 0, sizeof c);
	/* no mdev.conf: busybox makes every node 0:0 0660 — an empty rule set */
	c.conf = access(conf, F_OK) == 0 ? conf : "/dev/null";
	c.ids.etc = etc;
	c.root = dev;
	c.sysfs = sysfs;
	c.fwdir = fw;
	c.ready_fd = -1;
	c.log = log_line;
	if (daemon_mode) {
		c.coldplug = 1;
		if (!foreground && daemon(0, 0) < 0)
			return msg_errno(errno, "daemon");
		r = eng_daemon_run(&c);
		return r < 0 ? msg_errno(r, "cannot run") : 0;
	}

	if (eng_daemon_rules(&c, &rs) < 0)
		return 1;
	memset(&e, 0, sizeof e);
	e.rules = &rs;
	e.sysfs = sysfs;
	e.fwdir = fw;
	e.mods = &mods;
	dev_modules_open(&mods, NULL);
	if ((r = dev_root_open(&e.root, dev)) < 0) {
		rule_free(&rs);
		return msg_errno(r, "%s", dev);
	}
	memset(&a, 0, sizeof a);
	a.eng = &e;
	a.log = log_line;
	if (scan) {
		struct stat st;

		a.dev_only = 1;	/* busybox -s: devices with a dev number */
		if (stat(sysroot[0] ? sysroot : "/", &st) == 0)
			e.rootdev = st.st_dev;	/* and the "root" link */
		r = eng_apply_sysfs(&a, sysfs);
		if (r < 0)
			msg_errno(r, "%s", sysfs);
	} else {
		static char buf[UEV_MAX_VARS * 512];
		struct uevent ev;
		size_t len;

		if (!getenv("ACTION") || !getenv("DEVPATH"))
			return usage_error("hotplug mode needs ACTION and DEVPATH in the environment");
		r = env_event(buf, sizeof buf, &len);
		if (r < 0) {
			msg_errno(r, "environment");
		} else if ((r = uev_parse_vars(&ev, buf, len)) != UEV_OK) {
			msg("event refused: %s", uev_reason_str(r));
			r = -EINVAL;
		} else {
			r = eng_apply_event(&a, &ev);
		}
	}
	dev_root_close(&e.root);
	rule_free(&rs);
	return r < 0 || a.failed ? 1 : 0;
}
