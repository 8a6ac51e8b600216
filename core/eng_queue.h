/* eng_queue.h — running plans without ever blocking the event reader.
 *
 * Jobs (a plan plus the original datagram) are kept per DEVPATH in
 * arrival order: a device's events are carried out strictly one after the
 * other, different devices' interleave.  Non-command steps run inline as
 * soon as a job reaches the head of its device; a command takes one of at
 * most `max` child slots and the device waits for it while everything
 * else goes on.  The caller reaps children (SIGCHLD via signalfd) with
 * eng_queue_reap_children() (by pid: never waitpid(-1), which would steal
 * the install commands module workers wait for), or hands each
 * (pid, status) to eng_queue_reap().
 *
 * Module loading (MODALIAS steps) may block for long (finit_module, a
 * module "coming" in another loader, install commands).  With
 * eng_queue_pool() such a step goes to one of `workers` threads
 * (eng_pool.h) exactly like a command goes to a child slot: the device
 * waits for it, every other device goes on, and when all workers are busy
 * devices needing one wait: by class (mod_order.h: bus controllers, then
 * devices the kernel just added, then replayed ones), each class FIFO.  The loop polls
 * eng_queue_pool_fd() and calls eng_queue_pool_done() when it is
 * readable; that continues the devices whose loads finished, as reaping a
 * command does.  Without a pool MODALIAS steps run inline.  (Replay —
 * coldplug -R, mdev -s — does not use this queue: it waits for every
 * step in turn, eng_replay.h.)  Only the loop's
 * thread calls these functions; workers see nothing but a copy of the
 * alias and the engine's module context (read-only, kmod.h), so a rule
 * reload may happen while loads are in flight.  eng_queue_free() waits for
 * loads in flight (they cannot be interrupted) before freeing.
 * Never prints, never exits.
 */
#ifndef UEVBOX_ENG_QUEUE_H
#define UEVBOX_ENG_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eng.h"
#include "mod_order.h"

struct eng_job;

struct eng_queue_ops {
	/* a step finished: r as eng_step_run, or for commands 0 / 256+status
	 * / -errno.  May be NULL. */
	void (*step)(void *arg, const struct eng_plan *p, const struct eng_step *s, int r);
	/* every step of the job is done (datagram as pushed, may be NULL) */
	void (*done)(void *arg, const struct eng_plan *p, const char *dgram, size_t len);
	void *arg;
};

#define ENG_QUEUE_BUCKETS 4096

struct eng_queue {
	const struct engine *eng;
	struct eng_queue_ops ops;
	unsigned max;			/* child slots */
	unsigned running;
	struct eng_job **slots;		/* max entries, NULL = free */
	struct eng_job *wait_head, *wait_tail;	/* need a slot, FIFO */
	struct eng_job *all_head, *all_tail;	/* arrival order */
	struct eng_job *bucket[ENG_QUEUE_BUCKETS];	/* per-devpath heads */
	size_t njobs;
	uint64_t last_seq;		/* highest SEQNUM pushed */
	uint64_t spawned, spawn_failed;
	/* module workers (eng_queue_pool); pool NULL: MODALIAS inline */
	struct eng_pool *pool;
	unsigned mod_max;		/* device loads in flight at most */
	unsigned mod_running;		/* loads in flight, CPU features' too */
	unsigned mod_cpu_running;	/* ... of which CPU features' */
	/* need a worker: one FIFO per class, the first class first */
	struct eng_job *mwait_head[MOD_ORDER_N], *mwait_tail[MOD_ORDER_N];
	uint64_t mod_started;
};

int eng_queue_init(struct eng_queue *q, const struct engine *eng, unsigned max,
		   const struct eng_queue_ops *ops);
void eng_queue_free(struct eng_queue *q);

/* Take ownership of plan (and copy dgram, may be NULL) and start it if
 * its device is idle.  0 or -ENOMEM (plan is freed either way on error). */
int eng_queue_push(struct eng_queue *q, struct eng_plan *plan, const char *dgram, size_t len);

/* A child exited.  Returns 1 if it was one of ours, 0 if not. */
int eng_queue_reap(struct eng_queue *q, pid_t pid, int status);

/* waitpid(WNOHANG) each running command by pid and eng_queue_reap the
 * ones that ended.  Returns how many were reaped. */
int eng_queue_reap_children(struct eng_queue *q);

/* Run MODALIAS steps on `workers` threads from now on (call before the
 * first push).  0 or -errno (then steps keep running inline). */
int eng_queue_pool(struct eng_queue *q, unsigned workers);

/* The pool's eventfd (readable: loads finished), or -1 without a pool. */
int eng_queue_pool_fd(const struct eng_queue *q);

/* Continue the devices whose module loads finished.  Returns how many. */
int eng_queue_pool_done(struct eng_queue *q);

/* Commands and module loads in flight (0: nothing to wait for). */
unsigned eng_queue_busy(const struct eng_queue *q);

/* Every event with SEQNUM <= this is completely handled (0 = none yet). */
uint64_t eng_queue_settled(const struct eng_queue *q);

/* One line on what the queue holds (SIGUSR1 in the daemon: what is it
 * waiting for?). */
void eng_queue_describe(const struct eng_queue *q, char *buf, size_t size);

#endif
