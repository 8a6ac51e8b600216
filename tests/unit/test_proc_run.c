/* test_proc_run.c — children of an event loop on the real kernel (sh
 * from PATH): exit status, explicit environment, exec errors at reap
 * time, the run timeout killing the whole process group, bounded slots,
 * the loop's signal mask not leaking into the child; the environment
 * builder on its own. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "proc_run.h"
#include "unit.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(void)
{
	struct timespec ts = { 0, 10 * 1000000 };

	nanosleep(&ts, NULL);
}

/* proc_reap until one child is done or ms pass: 1, 0 (timeout), -errno */
static int reap_wait(struct proc_pool *p, struct proc_done *d, int ms)
{
	int ret, i;

	for (i = 0; i < ms / 10; i++) {
		if ((ret = proc_reap(p, d)) != 0)
			return ret;
		nap();
	}
	return 0;
}

/* a fresh scratch directory in dir (removed by the test when done) */
static int scratch(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/uevbox-proc-XXXXXX");
	return mkdtemp(dir) ? 0 : -errno;
}

static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return (int)n;
}

TEST(proc_run_status_and_env)
{
	struct proc_slot slots[1];
	struct proc_pool p;
	struct proc_done d;
	static struct proc_env e;
	char *base[] = { "FOO=old", "KEEP=1", "PATH=/usr/bin:/bin", NULL };
	char dir[64], path[128], cmd[256], got[256];
	char *argv[] = { "sh", "-c", cmd, NULL };
	int tag;

	if (scratch(dir, sizeof dir) < 0)
		SKIP("no scratch directory in /tmp");
	snprintf(path, sizeof path, "%s/env", dir);
	snprintf(cmd, sizeof cmd, "echo \"$FOO|$KEEP|$BAR|$(env | grep -c '^FOO=')\" > %s; exit 3",
		 path);
	CHECK_INT(proc_env_init(&e, base), 0);
	CHECK_INT(proc_env_set(&e, "FOO", "new"), 0);
	CHECK_INT(proc_env_set(&e, "BAR", "b c"), 0);
	proc_pool_init(&p, slots, 1);
	CHECK_INT(proc_start(&p, argv, e.v, mono_ms(), 5000, &tag), 0);
	CHECK_INT(p.busy, 1);
	CHECK_INT(reap_wait(&p, &d, 5000), 1);
	CHECK(d.tag == &tag);
	CHECK(WIFEXITED(d.status) && WEXITSTATUS(d.status) == 3);
	CHECK_INT(d.exec_err, 0);
	CHECK_INT(p.busy, 0);
	CHECK(read_file(path, got, sizeof got) > 0);
	CHECK_STR(got, "new|1|b c|1");
	CHECK_INT(proc_reap(&p, &d), 0);	/* nothing left */
	unlink(path);
	rmdir(dir);
}

TEST(proc_run_exec_error_at_reap)
{
	struct proc_slot slots[1];
	struct proc_pool p;
	struct proc_done d;
	char *argv[] = { "/nonexistent/uevbox-no-such-command", NULL };
	char *env[] = { NULL };

	proc_pool_init(&p, slots, 1);
	CHECK(proc_start(&p, argv, env, mono_ms(), 0, NULL) >= 0);
	CHECK_INT(reap_wait(&p, &d, 5000), 1);
	CHECK_INT(d.exec_err, ENOENT);
	CHECK(WIFEXITED(d.status) && WEXITSTATUS(d.status) == 127);
}

/* is pid gone (or a zombie waiting for whoever adopted it)? */
static int gone(pid_t pid)
{
	char path[64], buf[256], *s;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 1;
	s = strrchr(buf, ')');
	return s && s[1] == ' ' && s[2] == 'Z';
}

TEST(proc_run_timeout_kills_group)
{
	struct proc_slot slots[1];
	struct proc_pool p;
	struct proc_done d;
	char dir[64], path[128], cmd[512], got[64];
	char *argv[] = { "sh", "-c", cmd, NULL };
	extern char **environ;
	int64_t t0;
	void *tag = NULL;
	pid_t grandchild;
	int i, tg;

	if (scratch(dir, sizeof dir) < 0)
		SKIP("no scratch directory in /tmp");
	snprintf(path, sizeof path, "%s/pid", dir);
	/* the shell starts a grandchild and waits: both must die */
	snprintf(cmd, sizeof cmd, "sleep 30 & echo $! > %s.tmp; mv %s.tmp %s; wait", path, path,
		 path);
	proc_pool_init(&p, slots, 1);
	t0 = mono_ms();
	CHECK_INT(proc_start(&p, argv, environ, t0, 200, &tg), 0);
	CHECK_INT(proc_next_deadline(&p, t0), 200);
	CHECK_INT(proc_expire(&p, t0 + 199, &tag), 0);
	for (i = 0; i < 500 && read_file(path, got, sizeof got) <= 0; i++)
		nap();
	grandchild = (pid_t)atoi(got);
	CHECK(grandchild > 0);
	CHECK_INT(proc_reap(&p, &d), 0);	/* still running */
	CHECK_INT(proc_expire(&p, t0 + 200, &tag), 1);
	CHECK(tag == &tg);
	CHECK_INT(proc_expire(&p, t0 + 200, &tag), 0);	/* once */
	CHECK_INT(proc_next_deadline(&p, t0 + 200), PROC_REKILL_MS);
	CHECK_INT(reap_wait(&p, &d, 5000), 1);
	CHECK(WIFSIGNALED(d.status) && WTERMSIG(d.status) == SIGKILL);
	CHECK_INT(proc_next_deadline(&p, t0), -1);
	for (i = 0; i < 200 && grandchild > 0 && !gone(grandchild); i++)
		nap();
	CHECK(grandchild > 0 && gone(grandchild));
	unlink(path);
	rmdir(dir);
}

TEST(proc_run_bounded_slots)
{
	struct proc_slot slots[2];
	struct proc_pool p;
	struct proc_done d;
	char *argv[] = { "sh", "-c", "sleep 0.2", NULL };
	extern char **environ;
	int n = 0, i;

	proc_pool_init(&p, slots, 2);
	CHECK_INT(proc_start(&p, argv, environ, 0, 0, NULL), 0);
	CHECK_INT(proc_start(&p, argv, environ, 0, 0, NULL), 1);
	CHECK_INT(proc_start(&p, argv, environ, 0, 0, NULL), -EAGAIN);
	CHECK_INT(proc_next_deadline(&p, 0), -1);	/* no timeouts asked for */
	for (i = 0; i < 2; i++)
		n += reap_wait(&p, &d, 5000) == 1;
	CHECK_INT(n, 2);
	CHECK_INT(p.busy, 0);
	CHECK_INT(proc_start(&p, argv, environ, 0, 0, NULL), 0);	/* free again */
	proc_signal_all(&p, SIGTERM);
	CHECK_INT(reap_wait(&p, &d, 5000), 1);
	CHECK(WIFSIGNALED(d.status) && WTERMSIG(d.status) == SIGTERM);
}

TEST(proc_run_child_signal_mask_clean)
{
	struct proc_slot slots[1];
	struct proc_pool p;
	struct proc_done d;
	/* grep execs directly (no shell to reset anything): it succeeds
	 * only if nothing is blocked; kernel: fs/proc/array.c SigBlk */
	char *argv[] = { "grep", "-q", "^SigBlk:[[:space:]]*0*$", "/proc/self/status", NULL };
	extern char **environ;
	sigset_t set, old;

	/* an event loop blocks what it reads from a signalfd */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	proc_pool_init(&p, slots, 1);
	CHECK_INT(proc_start(&p, argv, environ, 0, 0, NULL), 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_INT(reap_wait(&p, &d, 5000), 1);
	CHECK_INT(d.exec_err, 0);
	CHECK(WIFEXITED(d.status) && WEXITSTATUS(d.status) == 0);
}

TEST(proc_env_builder)
{
	static struct proc_env e;
	static char *big[PROC_ENV_MAX + 2];
	char *base[] = { "A=1", "B=2", "A=3", NULL };
	char name[8], val[PROC_ENV_BUF];
	unsigned i;

	CHECK_INT(proc_env_init(&e, NULL), 0);
	CHECK(e.v[0] == NULL);
	CHECK_INT(proc_env_init(&e, base), 0);
	CHECK_INT(proc_env_set(&e, "A", "x"), 0);	/* every inherited A= goes */
	CHECK_STR(e.v[0], "B=2");
	CHECK_STR(e.v[1], "A=x");
	CHECK(e.v[2] == NULL);
	CHECK_INT(proc_env_set(&e, "C", ""), 0);
	CHECK_INT(proc_env_set(&e, "A", "y"), 0);	/* set twice: the last, at the end */
	CHECK_STR(e.v[1], "C=");
	CHECK_STR(e.v[2], "A=y");
	CHECK(e.v[3] == NULL);
	CHECK_INT(proc_env_set(&e, "", "v"), -EINVAL);
	CHECK_INT(proc_env_set(&e, "X=Y", "v"), -EINVAL);
	memset(val, 'v', sizeof val - 1);
	val[sizeof val - 1] = 0;
	CHECK_INT(proc_env_set(&e, "LONG", val), -ENOSPC);
	for (i = 3; i < PROC_ENV_SET; i++) {
		snprintf(name, sizeof name, "V%u", i);
		CHECK_INT(proc_env_set(&e, name, "1"), 0);
	}
	CHECK_INT(proc_env_set(&e, "ONEMORE", "1"), -E2BIG);
	/* a base larger than the table is cut, and says so */
	for (i = 0; i < PROC_ENV_MAX + 1; i++)
		big[i] = "Z=1";
	CHECK_INT(proc_env_init(&e, big), -E2BIG);
	CHECK_INT(e.n, PROC_ENV_MAX);
	CHECK(e.v[PROC_ENV_MAX] == NULL);
	CHECK_INT(proc_env_set(&e, "Z", "2"), 0);
	CHECK_INT(e.n, 1);	/* the inherited Z=s all went */
	CHECK_STR(e.v[0], "Z=2");
}
