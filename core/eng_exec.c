/* eng_exec.c — carrying out plan steps (see eng.h).
 *
 * Nodes and links go through dev.h (contained below the root).  Commands
 * are `/bin/sh -c CMD` with exactly the plan's allow-listed environment
 * plus MDEV, started with vfork+execve so a big daemon does not copy its
 * page tables per event.  Firmware: kernel: drivers/base/firmware_loader/
 * fallback.c — write "1" to `loading`, the image to `data`, then "0"; "-1"
 * when the file is missing or unreadable, so the kernel never waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eng.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int firmware(const struct engine *e, const struct eng_plan *p, const char *name)
{
	char path[PATH_MAX], buf[65536];
	int dfd, lfd, dataf, fw = -1, r = 0;

	if (snprintf(path, sizeof path, "%s%s", e->sysfs ? e->sysfs : "/sys", p->devpath) >=
	    (int)sizeof path)
		return -ENAMETOOLONG;
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	lfd = openat(dfd, "loading", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (lfd < 0) {
		r = -errno;
		close(dfd);
		return r;
	}
	/* the firmware name is a relative path below FWDIR, nothing else */
	if (dev_path_ok(name) && snprintf(path, sizeof path, "%s/%s", e->fwdir, name) < (int)sizeof path)
		fw = open(path, O_RDONLY | O_CLOEXEC);
	if (fw < 0) {
		r = -ENOENT;
		goto fail;
	}
	if ((r = write_all(lfd, "1", 1)))
		goto fail;
	dataf = openat(dfd, "data", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (dataf < 0) {
		r = -errno;
		goto fail;
	}
	for (;;) {
		ssize_t n = read(fw, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (!n)
			break;
		if ((r = write_all(dataf, buf, (size_t)n)))
			break;
	}
	close(dataf);
	if (r)
		goto fail;
	r = write_all(lfd, "0", 1);
	if (!r)
		r = 1;
	goto out;
fail:
	write_all(lfd, "-1", 2);
out:
	if (fw >= 0)
		close(fw);
	close(lfd);
	close(dfd);
	return r;
}

int eng_step_run(const struct engine *e, const struct eng_plan *p, const struct eng_step *s)
{
	switch (s->kind) {
	case ES_NODE:
		return dev_make_node(&e->root, s->path, s->type, s->dev, s->mode, s->uid, s->gid);
	case ES_LINK:
		return dev_make_link(&e->root, s->path, s->target);
	case ES_RMNODE:
		return dev_remove_node(&e->root, s->path, s->type, s->dev);
	case ES_RMLINK:
		return dev_remove_link(&e->root, s->path, s->target);
	case ES_MODALIAS: {
		/* a device no module is for is not a failure */
		int r = dev_modules_load(e->mods, s->target);

		return r == -ENOENT ? 0 : r;
	}
	case ES_FIRMWARE:
		return firmware(e, p, s->target);
	case ES_PROP:
		return 0;	/* read by the publisher from the plan */
	case ES_CMD:
		break;
	}
	return -EINVAL;
}

pid_t eng_spawn(const struct engine *e, const struct eng_plan *p, const struct eng_step *s)
{
	char *argv[] = { "sh", "-c", s->target, NULL };
	char mdev[PATH_MAX + 8];
	char **envp;
	size_t n = 0, i;
	pid_t pid;
	int err, errp[2];

	if (s->kind != ES_CMD)
		return -EINVAL;
	while (p->env && p->env[n])
		n++;
	envp = malloc((n + 2) * sizeof *envp);
	if (!envp)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		envp[i] = p->env[i];
	snprintf(mdev, sizeof mdev, "MDEV=%s", s->path ? s->path : "");
	envp[n] = mdev;
	envp[n + 1] = NULL;
	/* the child reports an exec failure through a close-on-exec pipe */
	if (pipe2(errp, O_CLOEXEC) < 0) {
		err = -errno;
		free(envp);
		return err;
	}
	pid = vfork();
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		sigset_t all;

		/* the daemon blocks its signals for signalfd: unblock them */
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (nul >= 0 && nul != 0) {
			dup2(nul, 0);
			close(nul);
		}
		if (fchdir(e->root.fd) < 0) {
			/* commands expect cwd = the device root; run anyway */
		}
		execve("/bin/sh", argv, envp);
		err = errno;
		if (write(errp[1], &err, sizeof err) < 0) {
			/* nothing more to do */
		}
		_exit(127);
	}
	err = pid < 0 ? errno : 0;
	close(errp[1]);
	free(envp);
	if (pid < 0) {
		close(errp[0]);
		return -err;
	}
	if (read(errp[0], &err, sizeof err) == (ssize_t)sizeof err) {
		close(errp[0]);
		waitpid(pid, NULL, 0);
		return -err;
	}
	close(errp[0]);
	return pid;
}

int eng_run_all(const struct engine *e, const struct eng_plan *p, eng_fail_cb fail, void *arg)
{
	unsigned i;
	int nfail = 0;

	for (i = 0; i < p->nsteps; i++) {
		const struct eng_step *s = &p->steps[i];
		int r;

		if (s->kind == ES_CMD) {
			pid_t pid = eng_spawn(e, p, s);
			int st;

			if (pid < 0) {
				r = pid;
			} else {
				while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
					;
				r = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				r = r ? 256 + r : 0;
			}
		} else {
			r = eng_step_run(e, p, s);
			if (r > 0)
				r = 0;
		}
		if (r) {
			nfail++;
			if (fail)
				fail(arg, p, s, r);
		}
	}
	return nfail;
}

int eng_step_str(const struct eng_step *s, char *buf, size_t size)
{
	int n = -1;

	switch (s->kind) {
	case ES_NODE:
		n = snprintf(buf, size, "node %s %c %u:%u %04o %u:%u", s->path,
			     s->type == S_IFBLK ? 'b' : 'c', major(s->dev), minor(s->dev),
			     (unsigned)s->mode, (unsigned)s->uid, (unsigned)s->gid);
		break;
	case ES_LINK:
		n = snprintf(buf, size, "link %s -> %s", s->path, s->target);
		break;
	case ES_RMNODE:
		n = snprintf(buf, size, "unlink %s", s->path);
		break;
	case ES_RMLINK:
		n = snprintf(buf, size, "unlink %s (-> %s)", s->path, s->target);
		break;
	case ES_CMD:
		n = snprintf(buf, size, "run MDEV=%s %s", s->path, s->target);
		break;
	case ES_MODALIAS:
		n = snprintf(buf, size, "modules %s", s->target);
		break;
	case ES_FIRMWARE:
		n = snprintf(buf, size, "firmware %s", s->target);
		break;
	case ES_PROP:
		n = snprintf(buf, size, "property %s=%s", s->path, s->target);
		break;
	}
	if (n >= 0 && s->rule_line && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " (line %u)", s->rule_line);
	return n;
}

int eng_step_describe(const struct engine *e, const struct eng_step *s, char *buf, size_t size)
{
	char names[512];
	int n = eng_step_str(s, buf, size), r;

	if (s->kind != ES_MODALIAS || n < 0 || (size_t)n >= size || !e->mods)
		return n;
	r = dev_modules_describe(e->mods, s->target, names, sizeof names);
	if (r == -ENOSYS)
		return n;	/* said once by the caller, with the reason */
	if (r < 0 && r != -ENOENT)
		return n + snprintf(buf + n, size - (size_t)n, ": %s", strerror(-r));
	return n + snprintf(buf + n, size - (size_t)n, ": %s",
			    names[0] ? names : r == -ENOENT ? "no module" : "already loaded");
}
