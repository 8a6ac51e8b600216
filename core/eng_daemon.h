/* eng_daemon.h — the device daemon loop behind `uevd` and `mdev -d`.
 *
 * One poll loop: the uevent socket (opened, with a big receive buffer,
 * before any coldplug walk), a signalfd (SIGCHLD: reap commands; SIGHUP:
 * reload rules; SIGTERM/SIGINT: clean exit), the module workers' eventfd
 * and timers.  Events become plans (eng.h) run by the per-device queue
 * (eng_queue.h); reading never waits for a command or a module load:
 * loads run on module_workers threads (when a module index is open).
 * SIGHUP swaps the rules under loads in flight (they hold only their
 * alias and the read-only module context); SIGTERM stops reading, lets
 * queued work (commands, module loads) go on for up to 5 s, then waits
 * for the module loads still in flight (a load cannot be interrupted) and
 * starts nothing more.
 *
 * Loss: ENOBUFS from the socket means the kernel dropped events.  It is
 * logged (with how many SEQNUMs went missing across it) and a resync is
 * scheduled: when the storm has been quiet for a moment (and at most once
 * per resync interval) the socket is drained, every device in sysfs is
 * replayed as "add", and devices the daemon knew that are gone get a
 * synthesized "remove".  SEQNUM gaps outside an overflow are not loss
 * (other network namespaces' events use the same counter) and are not
 * reported as such.
 *
 * Settle protocol (coldplug -w): the daemon keeps ROOT/.uevd.seq holding
 * "S\n" where every kernel event with SEQNUM <= S is completely handled
 * (nodes, links, commands finished).  A waiter learns the SEQNUM of the
 * last event it caused and waits for the file to reach it.
 *
 * Never prints: log lines go to cfg->log, dry-run lines to cfg->out.
 */
#ifndef UEVBOX_ENG_DAEMON_H
#define UEVBOX_ENG_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

struct eng_plan;

#define ENG_SEQ_FILE ".uevd.seq"
#define ENG_DEFAULT_RCVBUF (64 << 20)
#define ENG_DEFAULT_MODULE_WORKERS 4

struct eng_daemon_stats {
	unsigned long events;		/* kernel events and replayed devices */
	unsigned long failed;		/* steps that failed (logged each) */
	int timed_out;			/* max_ms passed with work left */
	unsigned long long loads;	/* MODALIAS loads run on workers */
};

struct eng_daemon_cfg {
	const char *conf;		/* NULL: built-in rules */
	struct rule_ids ids;
	const char *root;		/* "/dev" */
	const char *sysfs;		/* "/sys" */
	const char *moddir;		/* NULL: default */
	const char *fwdir;		/* NULL: no firmware loading */
	int coldplug;			/* replay sysfs at start */
	int dry;			/* print, change nothing */
	int verbose;
	uint32_t republish;		/* netlink group mask for handled events */
	int rcvbuf;			/* 0: ENG_DEFAULT_RCVBUF */
	int ready_fd;			/* -1: none */
	unsigned max_children;		/* 0: 8 */
	unsigned module_workers;	/* threads loading modules; 0: 4 */
	unsigned resync_ms;		/* minimum between resyncs; 0: 2000 */
	/* 0: run until a signal.  Else exit once nothing is queued or in
	 * flight and no event came for this long (coldplug -R: the walk's
	 * loads, the devices they make appear, their loads...) */
	unsigned idle_exit_ms;
	/* with idle_exit_ms: give up after this long even if work remains,
	 * logging what the queue still holds (0: no limit) */
	unsigned max_ms;
	struct eng_daemon_stats *stats;	/* filled at a clean exit; may be NULL */
	void (*log)(void *arg, const char *line);
	void (*out)(void *arg, const char *line);
	/* optional: called once an event is completely handled (nodes,
	 * links, modules, commands), with its plan (ES_PROP steps: the
	 * rules' properties) and the event in kernel wire format
	 * ("ACTION@DEVPATH\0KEY=VAL\0..."; replayed events have no SEQNUM).
	 * The place for publishing to libudev clients (eng_publish.h). */
	void (*handled)(void *arg, const struct eng_plan *plan, const char *msg, size_t len);
	void *arg;
};

/* Load cfg->conf (or the built-in rules) into rs, logging each bad line as
 * "file:line: reason".  Returns the number of bad lines or -errno. */
int eng_daemon_rules(const struct eng_daemon_cfg *cfg, struct rule_set *rs);

/* Run until SIGTERM/SIGINT.  0 on a clean exit, -errno when it could not
 * start (socket, root, signals). */
int eng_daemon_run(const struct eng_daemon_cfg *cfg);

#endif
