/* eng.h — the device engine: one uevent → rules → a plan of steps → done.
 *
 * uevd, coldplug -R and mdev all go through here.  eng_plan() is pure
 * (event + rules in, steps out: nodes, links, removals, commands, module
 * loads, firmware); eng_step_run() performs one non-command step below
 * the root; commands are started with eng_spawn() (the caller decides
 * whether to wait, see eng_queue.h).  A dry run describes the steps with
 * eng_step_str() instead of running them.  Never prints, never exits.
 *
 * Actions (busybox mdev order within each matching rule):
 *   add      node (+ '>' link), then '@'/'*' command
 *   remove   '$'/'*' command, then the '>' link and the node (only if the
 *            node there is that device), empty parent directories
 *   change, move   node made sure of (idempotent), '*' command
 *   others   '*' command
 * A rule whose command is `modprobe [-opts] "$MODALIAS"` loads modules in
 * process (dev_modules.h) instead of forking.  FIRMWARE on add with a
 * firmware directory set: the file is written to the sysfs loader.
 */
#ifndef UEVBOX_ENG_H
#define UEVBOX_ENG_H

#include <stdint.h>
#include <sys/types.h>

#include "dev.h"
#include "dev_modules.h"
#include "rule.h"
#include "uev.h"

enum eng_kind {
	ES_NODE = 1,	/* make node path (type, dev, mode, uid, gid) */
	ES_LINK,	/* symlink path -> target */
	ES_RMNODE,	/* remove node path if it is (type, dev) */
	ES_RMLINK,	/* remove symlink path if it points to target */
	ES_CMD,		/* /bin/sh -c cmd */
	ES_MODALIAS,	/* load modules for target (the alias) */
	ES_FIRMWARE,	/* feed firmware target to sysfs DEVPATH */
	ES_PROP,	/* property path=target for publishers (uevd -U, rule
			   "+KEY=VALUE"); runs nothing */
};

struct eng_step {
	enum eng_kind kind;
	unsigned rule_line;	/* 0: not from a rule */
	char *path;
	char *target;
	mode_t type, mode;
	dev_t dev;
	uid_t uid;
	gid_t gid;
};

struct eng_plan {
	char *devpath;
	char *action;
	uint64_t seqnum;
	int synthetic;		/* a replay (no SEQNUM) or a trigger (SYNTH_UUID) */
	struct eng_step *steps;
	unsigned nsteps, cap;
	char **env;		/* for commands: NULL-terminated KEY=VAL */
};

struct engine {
	const struct rule_set *rules;	/* NULL or empty: every device 0:0 0660 */
	struct dev_root root;		/* where nodes go */
	const char *sysfs;		/* for firmware; "/sys" */
	const char *fwdir;		/* NULL: no firmware loading */
	struct dev_modules *mods;
	dev_t rootdev;			/* mdev -s: link "root" to this block
					   device's node (0: no link) */
};

/* Build the plan for ev.  Returns 0 (*out set, maybe with no steps) or
 * -ENOMEM / -ENAMETOOLONG.  Unsafe names (after placement and %N) do not
 * become steps: they are counted in *unsafe (may be NULL). */
int eng_plan(const struct engine *e, const struct uevent *ev, struct eng_plan **out,
	     unsigned *unsafe);
void eng_plan_free(struct eng_plan *p);

/* Run one step that is not ES_CMD.  >= 0 (DEV_* for nodes and links, 1/0
 * for removals, modules loaded) or -errno. */
int eng_step_run(const struct engine *e, const struct eng_plan *p, const struct eng_step *s);

/* Start `/bin/sh -c cmd` with the plan's environment, cwd = the root, stdin
 * /dev/null.  Returns the pid or -errno. */
pid_t eng_spawn(const struct engine *e, const struct eng_plan *p, const struct eng_step *s);

/* Run every step now, waiting for each command (mdev, coldplug -R).
 * Returns the number of failed steps; fail(arg, plan, step, err) is told
 * about each one (err < 0: errno, > 0: command exit status + 256). */
typedef void (*eng_fail_cb)(void *arg, const struct eng_plan *p, const struct eng_step *s,
			    int err);
int eng_run_all(const struct engine *e, const struct eng_plan *p, eng_fail_cb fail, void *arg);

/* One line describing the step ("node", "link", ...), for -n and -v. */
int eng_step_str(const struct eng_step *s, char *buf, size_t size);
/* eng_step_str, and for a MODALIAS step the modules it would load (what
 * dry runs print).  Returns as snprintf. */
int eng_step_describe(const struct engine *e, const struct eng_step *s, char *buf, size_t size);

#endif
