/* test_kmod_load.c — what can be checked without a kernel that loads
 * modules: gzip inflation to a buffer, load-state decisions from a fake
 * sysfs and /proc/modules.  Real loading is tested in the VM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
