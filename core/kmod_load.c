/* kmod_load.c — putting modules into the kernel.
 *
 * Owns: a module's load state, inserting one file, running install
 * commands, and kmod_load_alias() which drives kmod_resolve() with them.
 * Promises: "already there" is success in every form — built in, live,
 * EEXIST from the kernel, or "coming" (another loader is inside
 * init_module: we wait until it is live).  Errors name the module and
 * keep the kernel's errno.  Threads may load at once: two of them never
 * insert one module together (kmod_once.c), and the kernel serialises
 * loads of one module name from other processes.
 *
 * kernel: kernel/module/main.c:idempotent_init_module, add_unformed_module
 * — a second load of a module in flight waits and returns EEXIST.
 * kernel: include/uapi/linux/module.h MODULE_INIT_COMPRESSED_FILE (6.3+):
 * finit_module decompresses with the kernel's own xz/zstd/gzip.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "kmod_int.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif
#define MODULE_MAX (512u << 20)		/* no module is this big */
#define COMING_WAIT_MS 30000

extern char **environ;

static int read_line(const char *path, char *buf, size_t n)
{
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	do
		r = read(fd, buf, n - 1);
	while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0)
		return -errno;
	buf[r] = '\0';
	return (int)r;
}

/* "NAME " at a line start of /proc/modules, with its state column. */
static int procmodules_state(const struct kmod_ctx *ctx, const char *name)
{
	char line[512];
	size_t nl = strlen(name);
	FILE *f = fopen(ctx->procmodules, "re");
	int st = KMOD_ST_ABSENT;

	if (!f)
		return KMOD_ST_ABSENT;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, nl) || line[nl] != ' ')
			continue;
		st = strstr(line, " Loading ") ? KMOD_ST_COMING
		   : strstr(line, " Unloading ") ? KMOD_ST_GOING : KMOD_ST_LIVE;
		break;
	}
	fclose(f);
	return st;
}

int kmod_module_state(const struct kmod_ctx *ctx, const char *name)
{
	char path[4096], buf[32];
	struct stat st;
	size_t l;
	int n;

	if ((size_t)snprintf(path, sizeof(path), "%s/module/%s/initstate", ctx->sysfs, name) >= sizeof(path))
		return -ENAMETOOLONG;
	n = read_line(path, buf, sizeof(buf));
	if (n >= 0) {
		if (!strncmp(buf, "coming", 6))
			return KMOD_ST_COMING;
		if (!strncmp(buf, "going", 5))
			return KMOD_ST_GOING;
		return KMOD_ST_LIVE;
	}
	/* no initstate: /sys/module/NAME of a built-in module with
	 * parameters (or, for an instant, of a module being set up) */
	l = strlen(path) - (sizeof("/initstate") - 1);
	path[l] = '\0';
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return KMOD_ST_BUILTIN;
	/* without a /sys/module at all, /proc/modules is all there is */
	while (l > 0 && path[l - 1] != '/')
		l--;
	path[l] = '\0';
	if (stat(path, &st) < 0)
		return procmodules_state(ctx, name);
	return KMOD_ST_ABSENT;
}

/* Wait while NAME is "coming"; returns the state it settled in. */
static int wait_settled(const struct kmod_ctx *ctx, const char *name)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int st, waited = 0;

	while ((st = kmod_module_state(ctx, name)) == KMOD_ST_COMING && waited < COMING_WAIT_MS) {
		nanosleep(&ts, NULL);
		waited += 5;
	}
	return st;
}

static const char *suffix(const char *path)
{
	size_t l = strlen(path);

	if (l > 3 && !strcmp(path + l - 3, ".gz"))
		return "gz";
	if (l > 3 && !strcmp(path + l - 3, ".xz"))
		return "xz";
	if (l > 4 && !strcmp(path + l - 4, ".zst"))
		return "zst";
	return "";
}

int kmod_gunzip_file(const char *path, size_t max, void **out, size_t *outlen)
{
	/* inflate() directly: the gz* file API would also link deflate */
	unsigned char in[65536], *buf = NULL, *nb;
	size_t cap = 0;
	z_stream z;
	ssize_t n;
	int fd, err = 0, zr = Z_OK, first = 1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {	/* gzip wrapper only */
		close(fd);
		return -ENOMEM;
	}
	while (zr != Z_STREAM_END && !err) {
		n = read(fd, in, sizeof(in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			err = -ENOEXEC;		/* truncated stream */
			break;
		}
		if (first && (n < 2 || in[0] != 0x1f || in[1] != 0x8b)) {
			err = -ENOEXEC;		/* not gzip */
			break;
		}
		first = 0;
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in && zr != Z_STREAM_END) {
			if (cap - z.total_out < 65536) {
				size_t nc = cap ? cap * 2 : 1u << 20;

				if (nc > max + 65536)
					nc = max + 65536;
				if (nc <= cap) {
					err = -EFBIG;
					break;
				}
				nb = realloc(buf, nc);
				if (!nb) {
					err = -ENOMEM;
					break;
				}
				buf = nb;
				cap = nc;
			}
			z.next_out = buf + z.total_out;
			z.avail_out = (uInt)(cap - z.total_out);
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr == Z_MEM_ERROR) {
				err = -ENOMEM;
				break;
			}
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				err = -ENOEXEC;		/* corrupt data or header */
				break;
			}
			if (z.total_out > max) {
				err = -EFBIG;
				break;
			}
		}
	}
	close(fd);
	inflateEnd(&z);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*outlen = z.total_out;
	return 0;
}

char *kmod_compressed_sibling(const char *path)
{
	static const char *const ext[] = { ".gz", ".xz", ".zst" };
	size_t l = strlen(path), i;
	struct stat st;
	char *p;

	if (l < 3 || strcmp(path + l - 3, ".ko"))
		return NULL;
	p = malloc(l + 5);
	if (!p)
		return NULL;
	for (i = 0; i < 3; i++) {
		memcpy(p, path, l);
		strcpy(p + l, ext[i]);
		if (stat(p, &st) == 0)
			return p;
	}
	free(p);
	return NULL;
}

static int kernel_at_least(int maj, int min)
{
	struct utsname u;
	char *e;
	long a, b;

	/* "6.1.0-13-amd64": strtol, not sscanf (which drags scanf in) */
	if (uname(&u) < 0)
		return 1;
	a = strtol(u.release, &e, 10);
	if (*e != '.')
		return 1;
	b = strtol(e + 1, NULL, 10);
	return a > maj || (a == maj && b >= min);
}

int kmod_insert_file(const char *path, const char *options)
{
	const char *sfx = suffix(path);
	long r;
	int fd, err;

	if (!options)
		options = "";
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		/* modules.dep names X.ko but the tree holds X.ko.gz (gzipped
		 * after depmod): load that */
		char *alt = kmod_compressed_sibling(path);

		if (alt) {
			err = kmod_insert_file(alt, options);
			free(alt);
			return err;
		}
	}
	if (!strcmp(sfx, "gz")) {
		void *mem;
		size_t len;

		err = kmod_gunzip_file(path, MODULE_MAX, &mem, &len);
		if (err < 0)
			return err;
		r = syscall(SYS_init_module, mem, (unsigned long)len, options);
		err = r < 0 ? -errno : 0;
		free(mem);
		return err;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (*sfx) {
		r = syscall(SYS_finit_module, fd, options, MODULE_INIT_COMPRESSED_FILE);
		err = r < 0 ? -errno : 0;
		close(fd);
		/* kernel: kernel/module/main.c — before 6.3 an unknown flag
		 * is EINVAL; without CONFIG_MODULE_DECOMPRESS it is
		 * EOPNOTSUPP.  Either way: this kernel cannot take the file. */
		if (err == -EINVAL && !kernel_at_least(6, 3))
			return -EOPNOTSUPP;
		return err;
	}
	r = syscall(SYS_finit_module, fd, options, 0);
	err = r < 0 ? -errno : 0;
	if (err == -ENOSYS) {		/* very old kernel: read it ourselves */
		struct stat st;
		void *mem;

		if (fstat(fd, &st) < 0) {
			err = -errno;
		} else if ((mem = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
			err = -errno;
		} else {
			r = syscall(SYS_init_module, mem, (unsigned long)st.st_size, options);
			err = r < 0 ? -errno : 0;
			munmap(mem, (size_t)st.st_size);
		}
	}
	close(fd);
	return err;
}

/* kmod's module_do_install_commands: $CMDLINE_OPTS -> options, then
 * /bin/sh -c CMD with MODPROBE_MODULE=NAME in the environment. */
static int run_install(const char *name, const char *cmd, const char *opts)
{
	size_t ol = strlen(opts), n = 0, i;
	const char *p, *hit;
	char *full, *w, **envp, *modvar;
	pid_t pid;
	int status, err;

	for (p = cmd; (hit = strstr(p, "$CMDLINE_OPTS")); p = hit + 13)
		n++;
	full = malloc(strlen(cmd) + n * ol + 1);
	modvar = malloc(strlen(name) + sizeof("MODPROBE_MODULE="));
	for (i = 0; environ[i]; i++)
		;
	envp = malloc((i + 2) * sizeof(*envp));
	if (!full || !modvar || !envp) {
		free(full);
		free(modvar);
		free(envp);
		return -ENOMEM;
	}
	for (w = full, p = cmd; (hit = strstr(p, "$CMDLINE_OPTS")); p = hit + 13) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, opts, ol);
		w += ol;
	}
	strcpy(w, p);
	sprintf(modvar, "MODPROBE_MODULE=%s", name);
	for (i = n = 0; environ[i]; i++)
		if (strncmp(environ[i], "MODPROBE_MODULE=", 16))
			envp[n++] = environ[i];
	envp[n++] = modvar;
	envp[n] = NULL;
	{
		char *argv[] = { "sh", "-c", full, NULL };
		posix_spawnattr_t at;
		sigset_t none;

		/* the caller may block signals (uevd: signalfd; its module
		 * workers: all of them): the command starts with none blocked */
		sigemptyset(&none);
		err = posix_spawnattr_init(&at);
		if (!err) {
			posix_spawnattr_setsigmask(&at, &none);
			posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
			err = posix_spawn(&pid, "/bin/sh", NULL, &at, argv, envp);
			posix_spawnattr_destroy(&at);
		}
	}
	free(full);
	free(modvar);
	free(envp);
	if (err)
		return -err;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -EINVAL;		/* kmod's answer for a failed command */
	return 0;
}

struct load {
	struct kmod_ctx *ctx;
	unsigned flags;
	kmod_report_cb report;
	void *arg;
};

static void report(struct load *l, const struct kmod_action *a, enum kmod_outcome o, int err)
{
	if (l->report)
		l->report(a, o, err, l->arg);
}

static int load_one(const struct kmod_action *a, void *arg)
{
	struct load *l = arg;
	int err, st;

	switch (a->kind) {
	case KMOD_ACT_BUILTIN:
	case KMOD_ACT_PRESENT:
		report(l, a, KMOD_PRESENT, 0);
		return 0;
	case KMOD_ACT_NOFILE:
		report(l, a, KMOD_FAILED, -ENOENT);
		return -ENOENT;
	case KMOD_ACT_INSTALL:
		err = l->flags & KMOD_F_DRY_RUN ? 0 : run_install(a->name, a->cmd, a->options);
		report(l, a, err ? KMOD_FAILED : KMOD_RAN_INSTALL, err);
		return err;
	case KMOD_ACT_INSMOD:
		break;
	}
	/* someone else may be loading it right now */
	st = kmod_module_state(l->ctx, a->name);
	if (st == KMOD_ST_BUILTIN) {
		/* a module file whose /sys/module dir has no initstate yet:
		 * being set up (kmod calls that "coming"); give it a moment */
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		st = kmod_module_state(l->ctx, a->name);
	}
	if (st == KMOD_ST_COMING)
		st = wait_settled(l->ctx, a->name);
	if (st == KMOD_ST_LIVE || st == KMOD_ST_BUILTIN) {
		report(l, a, KMOD_PRESENT, 0);
		return 0;
	}
	if (l->flags & KMOD_F_DRY_RUN) {
		report(l, a, KMOD_LOADED, 0);
		return 0;
	}
	err = kmod_insert_once(l->ctx, a->name, a->path, a->options);
	if (err == -EEXIST) {
		/* loaded meanwhile, perhaps still initialising: wait for it */
		st = wait_settled(l->ctx, a->name);
		if (st == KMOD_ST_GOING || st == KMOD_ST_COMING)
			err = -EBUSY;
		else
			err = 0;
		report(l, a, err ? KMOD_FAILED : KMOD_PRESENT, err);
		return err;
	}
	report(l, a, err ? KMOD_FAILED : KMOD_LOADED, err);
	return err;
}

int kmod_load_alias(struct kmod_ctx *ctx, const char *name, const char *extra,
		    unsigned flags, kmod_report_cb rep, void *arg)
{
	struct load l = { ctx, flags, rep, arg };

	return kmod_resolve(ctx, name, extra, flags | KMOD_F_CHECK_LOADED, load_one, &l);
}

int kmod_load_alias_one(struct kmod_ctx *ctx, const char *name, const char *only, unsigned flags)
{
	struct load l = { ctx, flags, NULL, NULL };

	return kmod_resolve_one(ctx, name, only, NULL, flags | KMOD_F_CHECK_LOADED, load_one, &l);
}
