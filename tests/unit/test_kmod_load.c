/* test_kmod_load.c — what can be checked without a kernel that loads
 * modules: gzip inflation to a buffer, load-state decisions from a fake
 * sysfs and /proc/modules.  Real loading is tested in the VM. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "kmod.h"
#include "kmod_int.h"
#include "unit.h"

static void write_file(const char *p, const void *b, size_t n)
{
	FILE *f = fopen(p, "wb");

	fwrite(b, 1, n, f);
	fclose(f);
}

TEST(kmod_gunzip)
{
	char dir[] = "/tmp/uevbox-gz.XXXXXX", p[128];
	static unsigned char data[300000];
	void *out = NULL;
	size_t len = 0, i;
	gzFile g;

	CHECK(mkdtemp(dir) != NULL);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + i / 1000);
	snprintf(p, sizeof(p), "%s/m.ko.gz", dir);
	g = gzopen(p, "wb");
	gzwrite(g, data, sizeof(data));
	gzclose(g);
	CHECK_INT(kmod_gunzip_file(p, 1 << 20, &out, &len), 0);
	CHECK_INT(len, sizeof(data));
	{
		/* X.ko named, X.ko.gz present: found and inflated; the kernel
		 * then refuses the non-module (ENOSYS without module support,
		 * ENOEXEC, or EPERM when not root) — anything but ENOENT */
		char ko[128];
		int r;

		snprintf(ko, sizeof(ko), "%s/m.ko", dir);
		r = kmod_insert_file(ko, "");
		CHECK(r == -ENOSYS || r == -ENOEXEC || r == -EPERM || r == -EINVAL);
		snprintf(ko, sizeof(ko), "%s/other.ko", dir);
		CHECK_INT(kmod_insert_file(ko, ""), -ENOENT);
	}
	CHECK(out && memcmp(out, data, sizeof(data)) == 0);
	free(out);
	CHECK_INT(kmod_gunzip_file(p, 1000, &out, &len), -EFBIG);
	/* truncated stream */
	{
		struct stat st;
		FILE *f;
		unsigned char *b;

		stat(p, &st);
		b = malloc((size_t)st.st_size);
		f = fopen(p, "rb");
		CHECK_INT(fread(b, 1, (size_t)st.st_size, f), st.st_size);
		fclose(f);
		write_file(p, b, (size_t)st.st_size / 2);
		CHECK_INT(kmod_gunzip_file(p, 1 << 20, &out, &len), -ENOEXEC);
		b[20] ^= 0xFF;	/* corrupt deflate data */
		write_file(p, b, (size_t)st.st_size);
		CHECK_INT(kmod_gunzip_file(p, 1 << 20, &out, &len), -ENOEXEC);
		free(b);
	}
	write_file(p, "\177ELF plain", 10);
	CHECK_INT(kmod_gunzip_file(p, 1 << 20, &out, &len), -ENOEXEC);
	unlink(p);
	CHECK_INT(kmod_gunzip_file(p, 1 << 20, &out, &len), -ENOENT);
	/* kmod_insert_file on a missing .ko.gz names ENOENT before any syscall */
	CHECK_INT(kmod_insert_file(p, ""), -ENOENT);
	rmdir(dir);
}

TEST(kmod_state)
{
	char dir[] = "/tmp/uevbox-st.XXXXXX", p[256];
	struct kmod_ctx ctx;
	char sysfs[128], procm[160];

	CHECK(mkdtemp(dir) != NULL);
	memset(&ctx, 0, sizeof(ctx));
	snprintf(sysfs, sizeof(sysfs), "%s", dir);
	snprintf(procm, sizeof(procm), "%s/modules", dir);
	ctx.sysfs = sysfs;
	ctx.procmodules = procm;
	snprintf(p, sizeof(p), "%s/module", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/module/live_m", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/module/live_m/initstate", dir);
	write_file(p, "live\n", 5);
	snprintf(p, sizeof(p), "%s/module/com_m", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/module/com_m/initstate", dir);
	write_file(p, "coming\n", 7);
	snprintf(p, sizeof(p), "%s/module/bi_m", dir);	/* built in, with params */
	mkdir(p, 0755);
	write_file(procm, "pm_m 16384 0 - Live 0x0\nld_m 1 0 - Loading 0x0\n", 47);
	CHECK_INT(kmod_module_state(&ctx, "live_m"), KMOD_ST_LIVE);
	CHECK_INT(kmod_module_state(&ctx, "com_m"), KMOD_ST_COMING);
	CHECK_INT(kmod_module_state(&ctx, "bi_m"), KMOD_ST_BUILTIN);
	CHECK_INT(kmod_module_state(&ctx, "none"), KMOD_ST_ABSENT);
	/* /proc/modules only counts when there is no /sys/module */
	CHECK_INT(kmod_module_state(&ctx, "pm_m"), KMOD_ST_ABSENT);
	snprintf(sysfs, sizeof(sysfs), "%s/nosys", dir);
	CHECK_INT(kmod_module_state(&ctx, "pm_m"), KMOD_ST_LIVE);
	CHECK_INT(kmod_module_state(&ctx, "ld_m"), KMOD_ST_COMING);
	CHECK_INT(kmod_module_state(&ctx, "pm"), KMOD_ST_ABSENT);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	CHECK_INT(system(p), 0);
}

/* Two threads inserting one module: the file goes to the kernel once, the
 * second thread gets the first's answer (success as EEXIST, a failure as
 * itself); other modules go ahead side by side. */
static struct {
	pthread_mutex_t mu;
	int calls, cur, max;
	int answer;
} fi = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0 };

static int fake_insert(const char *path, const char *options)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 };

	pthread_mutex_lock(&fi.mu);
	fi.calls++;
	if (++fi.cur > fi.max)
		fi.max = fi.cur;
	pthread_mutex_unlock(&fi.mu);
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&fi.mu);
	fi.cur--;
	pthread_mutex_unlock(&fi.mu);
	return fi.answer;
}

struct once_arg {
	struct kmod_ctx *c;
	const char *name;
	int err;
};

static void *once_thread(void *p)
{
	struct once_arg *a = p;

	a->err = kmod_insert_once(a->c, a->name, "/x.ko", "");
	return NULL;
}

static void run_once(struct kmod_ctx *c, struct once_arg *a, int n)
{
	pthread_t th[4];
	int i;

	fi.calls = fi.max = 0;
	for (i = 0; i < n; i++) {
		a[i].c = c;
		pthread_create(&th[i], NULL, once_thread, &a[i]);
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

TEST(kmod_insert_once_per_module)
{
	struct kmod_ctx *c = calloc(1, sizeof *c);
	struct once_arg a[3] = { { NULL, "m", 1 }, { NULL, "m", 1 }, { NULL, "other", 1 } };
	struct once_arg b[2] = { { NULL, "bad", 1 }, { NULL, "bad", 1 } };

	kmod_once_init(c);
	c->insert = fake_insert;
	fi.answer = 0;
	run_once(c, a, 3);
	CHECK_INT(fi.calls, 2);		/* m once, other once */
	CHECK_INT(fi.max, 2);		/* other did not wait for m */
	CHECK_INT(a[0].err, 0);
	CHECK_INT(a[1].err, -EEXIST);	/* loaded by the first */
	CHECK_INT(a[2].err, 0);
	fi.answer = -ENODEV;
	run_once(c, b, 2);
	CHECK_INT(fi.calls, 1);
	CHECK_INT(b[0].err, -ENODEV);
	CHECK_INT(b[1].err, -ENODEV);
	/* answered and nobody waiting: the table is free again */
	run_once(c, b, 1);
	CHECK_INT(fi.calls, 1);
	CHECK_INT(c->busy[0].state + c->busy[1].state + c->busy[2].state, 0);
	kmod_once_fini(c);
	free(c);
}
