/* proc_run.h — run commands as children of an event loop without ever
 * blocking it.  Owns: a caller-sized table of child slots (bounded
 * parallelism), each child's process group, deadline and exec error;
 * and a bounded builder for a child's environment.
 *
 * Promises:
 *   - a child gets exactly the argv and environment it is given (PATH is
 *     searched for argv[0] as execvp does), an empty signal mask, default
 *     dispositions for signals the caller handles, and its own process
 *     group, so a timeout kills everything it started; descriptors the
 *     caller did not mark close-on-exec are inherited;
 *   - nothing here blocks: proc_start vfork()s (no page-table copy for a
 *     big daemon; the caller waits only until the exec) and returns;
 *     proc_reap uses waitpid(pid, WNOHANG) on the table's own pids only
 *     (children someone else started are left alone); an exec failure is
 *     kept and reported at reap time, never printed by the child;
 *   - never prints, never exits (the forked child only execs or _exit(127)s);
 *     returns >= 0 or -errno.
 *
 * The caller's loop: block SIGCHLD and watch it with a signalfd (or poll
 * with a timeout); on SIGCHLD call proc_reap until it returns 0; wake up at
 * proc_next_deadline at the latest and call proc_expire until it returns 0.
 *
 * Users: netwatch (one slot: one COMMAND run at a time; its pending logic
 * is rt_sched's); uevd (N slots: mdev.conf commands, at most N at once —
 * proc_start says -EAGAIN when the table is full, the caller queues).
 */
#ifndef UEVBOX_PROC_RUN_H
#define UEVBOX_PROC_RUN_H

#include <stdint.h>
#include <sys/types.h>

/* After a timeout's SIGKILL, the group is killed again this much later if
 * the child has still not been reaped (and the caller told again). */
#define PROC_REKILL_MS 10000

struct proc_slot {
	pid_t pid;		/* 0: free */
	int exec_err;		/* the exec failed with this errno (0: ran) */
	int64_t deadline;	/* CLOCK_MONOTONIC ms; INT64_MAX: no timeout */
	void *tag;		/* the caller's, handed back by reap/expire */
};

struct proc_pool {
	struct proc_slot *slot;
	unsigned n;		/* table size = at most this many children */
	unsigned busy;		/* slots in use */
};

/* What became of a child. */
struct proc_done {
	void *tag;
	pid_t pid;
	int status;		/* waitpid() status (WIFEXITED etc.) */
	int exec_err;		/* > 0: the command never ran, execvp's errno
				 * (status then says exit 127) */
};

void proc_pool_init(struct proc_pool *p, struct proc_slot *slots, unsigned n);

/* Start argv[0] (PATH search) with environment envp, in a new process
 * group, to be killed timeout_ms after now (<= 0: never).  Returns the
 * slot index, -EAGAIN if every slot is busy, or -errno (vfork).  A failed
 * exec is not an error here: the child exits 127 and proc_reap says why. */
int proc_start(struct proc_pool *p, char *const argv[], char *const envp[], int64_t now,
	       int64_t timeout_ms, void *tag);

/* Reap one finished child of the table, if any: 1 and *d filled, 0 if
 * none has finished, -errno if waitpid failed (that slot is freed: the
 * child cannot be waited for). */
int proc_reap(struct proc_pool *p, struct proc_done *d);

/* SIGKILL the process group of one child whose deadline has passed:
 * 1 and *tag set (the deadline moves PROC_REKILL_MS on), 0 if none. */
int proc_expire(struct proc_pool *p, int64_t now, void **tag);

/* Milliseconds until the next deadline (0: overdue), -1 if none. */
int64_t proc_next_deadline(const struct proc_pool *p, int64_t now);

/* Send sig to the process group of every running child. */
void proc_signal_all(const struct proc_pool *p, int sig);

/* A child's environment: an inherited base (cut to PROC_ENV_MAX entries)
 * plus NAME=value pairs set on top, in the order set; a set name replaces
 * an inherited one.  No allocation: everything lives in the struct. */
#define PROC_ENV_MAX 512
#define PROC_ENV_SET 16
#define PROC_ENV_BUF 4096

struct proc_env {
	char *v[PROC_ENV_MAX + PROC_ENV_SET + 1];	/* NULL-terminated */
	unsigned n, n_set;
	size_t used;
	char buf[PROC_ENV_BUF];
};

/* Start from base (NULL: empty).  0, or -E2BIG if entries beyond
 * PROC_ENV_MAX were dropped (the first ones are kept and usable). */
int proc_env_init(struct proc_env *e, char *const *base);
/* Set NAME=value.  0, -EINVAL (empty name or one with '='), -E2BIG (more
 * than PROC_ENV_SET sets), -ENOSPC (their text exceeds PROC_ENV_BUF). */
int proc_env_set(struct proc_env *e, const char *name, const char *value);

#endif
