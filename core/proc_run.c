/* proc_run.c — children of an event loop: fork into a process group,
 * deadline kill, non-blocking reap, exec errors through a pipe; bounded
 * environments (contract in proc_run.h). */
#include <errno.h>
#include <fcntl.h>
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
		slots[i].errfd = -1;
		slots[i].deadline = INT64_MAX;
		slots[i].tag = NULL;
	}
}

/* In the forked child: only async-signal-safe calls from here on. */
static void child(char *const argv[], char *const envp[], int errfd)
{
	sigset_t none;
	int err;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* the loop's blocked set is not theirs */
	setpgid(0, 0);		/* own group: a timeout kills all of it */
	execvpe(argv[0], argv, envp);
	err = errno;
	/* the pipe is empty and 4 bytes < PIPE_BUF: this write cannot block */
	if (write(errfd, &err, sizeof err) < 0)
		err = 0;	/* nothing more to do: exit 127 still says it */
	_exit(127);
}

int proc_start(struct proc_pool *p, char *const argv[], char *const envp[], int64_t now,
	       int64_t timeout_ms, void *tag)
{
	struct proc_slot *s = NULL;
	int fds[2], err;
	unsigned i;
	pid_t pid;

	for (i = 0; i < p->n && !s; i++)
		if (!p->slot[i].pid)
			s = &p->slot[i];
	if (!s)
		return -EAGAIN;
	/* close-on-exec: a successful exec closes the write end, so the
	 * parent reads EOF; a failed one leaves the errno in the pipe */
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	if (pid == 0) {
		close(fds[0]);
		child(argv, envp, fds[1]);
	}
	close(fds[1]);
	/* also here: the group exists before anyone may kill it, whichever
	 * of parent and child runs first (EACCES once it exec'd is fine) */
	setpgid(pid, pid);
	s->pid = pid;
	s->errfd = fds[0];
	s->deadline = timeout_ms > 0 ? now + timeout_ms : INT64_MAX;
	s->tag = tag;
	p->busy++;
	return (int)(s - p->slot);
}

static void release(struct proc_pool *p, struct proc_slot *s)
{
	if (s->errfd >= 0)
		close(s->errfd);
	s->pid = 0;
	s->errfd = -1;
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
		d->exec_err = 0;
		if (r < 0) {
			err = errno;
			release(p, s);
			return -err;
		}
		/* the child is gone: the pipe holds its exec errno or EOF */
		if (read(s->errfd, &err, sizeof err) == (ssize_t)sizeof err)
			d->exec_err = err;
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
