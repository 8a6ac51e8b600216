/* proc_run.c — children of an event loop: vfork into a process group,
 * deadline kill, non-blocking reap, exec errors kept for the reap; bounded
 * environments (contract in proc_run.h). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "proc_run.h"

void proc_pool_init(struct proc_pool *p, struct proc_slot *slots, unsigned n)
{
	unsigned i;

	p->slot = slots;
	p->n = n;
	p->busy = 0;
	for (i = 0; i < n; i++) {
		slots[i].pid = 0;
		slots[i].exec_err = 0;
		slots[i].deadline = INT64_MAX;
		slots[i].tag = NULL;
	}
}

/* In the vfork()ed child: it shares the parent's memory until exec, so
 * only syscalls here, and the one word *err written back on failure.  The
 * parent is suspended until the exec or the _exit. */
__attribute__((noreturn)) static void child(char *const argv[], char *const envp[],
					   volatile int *err)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	/* a caller's handler must not run in here (this is the parent's
	 * memory): handled signals go back to their default.  The child has
	 * its own copy of the dispositions (vfork shares memory, not them). */
	for (sig = 1; sig < _NSIG; sig++) {
		if (sigaction(sig, NULL, &sa) < 0 || sa.sa_handler == SIG_DFL ||
		    sa.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = 0;
		sigaction(sig, &sa, NULL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* the loop's blocked set is not theirs */
	setpgid(0, 0);		/* own group: a timeout kills all of it */
	execvpe(argv[0], argv, envp);
	*err = errno;
	_exit(127);
}

/* vfork returns twice in this frame: it holds nothing but the call, so
 * no caller variable lives across it (the child never returns). */
__attribute__((noinline)) static pid_t spawn(char *const argv[], char *const envp[],
					     volatile int *err)
{
	pid_t pid = vfork();

	if (pid == 0)
		child(argv, envp, err);
	return pid < 0 ? -errno : pid;
}

int proc_start(struct proc_pool *p, char *const argv[], char *const envp[], int64_t now,
	       int64_t timeout_ms, void *tag)
{
	volatile int exec_err = 0;
	struct proc_slot *s = NULL;
	unsigned i;
	pid_t pid;

	for (i = 0; i < p->n && !s; i++)
		if (!p->slot[i].pid)
			s = &p->slot[i];
	if (!s)
		return -EAGAIN;
	/* vfork: a big daemon does not copy its page tables per command */
	pid = spawn(argv, envp, &exec_err);
	if (pid < 0)
		return pid;
	/* also here: the group exists before anyone may kill it (EACCES
	 * once the child exec'd: it made the group itself, fine) */
	setpgid(pid, pid);
	s->pid = pid;
	s->exec_err = exec_err;
	s->deadline = timeout_ms > 0 ? now + timeout_ms : INT64_MAX;
	s->tag = tag;
	p->busy++;
	return (int)(s - p->slot);
}

static void release(struct proc_pool *p, struct proc_slot *s)
{
	s->pid = 0;
	s->exec_err = 0;
	s->deadline = INT64_MAX;
	p->busy--;
}

int proc_reap(struct proc_pool *p, struct proc_done *d)
{
	struct proc_slot *s;
	unsigned i;
	pid_t r;
	int err;

	for (i = 0; i < p->n; i++) {
		s = &p->slot[i];
		if (!s->pid)
			continue;
		r = waitpid(s->pid, &d->status, WNOHANG);
		if (r == 0)
			continue;
		d->tag = s->tag;
		d->pid = s->pid;
		d->exec_err = s->exec_err;
		if (r < 0) {
			err = errno;
			release(p, s);
			return -err;
		}
		release(p, s);
		return 1;
	}
	return 0;
}

int proc_expire(struct proc_pool *p, int64_t now, void **tag)
{
	struct proc_slot *s;
	unsigned i;

	for (i = 0; i < p->n; i++) {
		s = &p->slot[i];
		if (!s->pid || now < s->deadline)
			continue;
		kill(-s->pid, SIGKILL);	/* ESRCH: all gone already, reap will tell */
		s->deadline = now + PROC_REKILL_MS;
		*tag = s->tag;
		return 1;
	}
	return 0;
}

int64_t proc_next_deadline(const struct proc_pool *p, int64_t now)
{
	int64_t best = -1;
	unsigned i;

	for (i = 0; i < p->n; i++) {
		const struct proc_slot *s = &p->slot[i];
		int64_t left;

		if (!s->pid || s->deadline == INT64_MAX)
			continue;
		left = s->deadline > now ? s->deadline - now : 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best;
}

void proc_signal_all(const struct proc_pool *p, int sig)
{
	unsigned i;

	for (i = 0; i < p->n; i++)
		if (p->slot[i].pid)
			kill(-p->slot[i].pid, sig);
}

int proc_env_init(struct proc_env *e, char *const *base)
{
	e->n = e->n_set = 0;
	e->used = 0;
	for (; base && *base; base++) {
		if (e->n == PROC_ENV_MAX) {
			e->v[e->n] = NULL;
			return -E2BIG;
		}
		e->v[e->n++] = *base;
	}
	e->v[e->n] = NULL;
	return 0;
}

int proc_env_set(struct proc_env *e, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	unsigned i, j;
	char *s;

	if (!nl || memchr(name, '=', nl))
		return -EINVAL;
	if (e->n_set == PROC_ENV_SET)
		return -E2BIG;
	if (nl + vl + 2 > PROC_ENV_BUF - e->used)
		return -ENOSPC;
	/* drop every earlier NAME=, inherited or set, keeping the order */
	for (i = j = 0; i < e->n; i++)
		if (strncmp(e->v[i], name, nl) || e->v[i][nl] != '=')
			e->v[j++] = e->v[i];
	e->n = j;
	s = e->buf + e->used;
	memcpy(s, name, nl);
	s[nl] = '=';
	memcpy(s + nl + 1, value, vl + 1);
	e->used += nl + vl + 2;
	e->n_set++;
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
	return 0;
}
