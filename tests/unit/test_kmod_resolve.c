/* test_kmod_resolve.c — resolution on a tiny text tree: order of
 * dependencies and softdeps, options, blacklist, and the same answers from
 * several threads sharing one context. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod.h"
#include "unit.h"

struct buf {
	char s[4096];
	size_t n;
};

static int collect(const struct kmod_action *a, void *arg)
{
	struct buf *b = arg;

	b->n += (size_t)snprintf(b->s + b->n, sizeof(b->s) - b->n, "%d %s [%s] %d|", a->kind, a->name,
				 a->options, a->required);
	return 0;
}

static struct kmod_ctx *ctx;
static const char *want;

static void *worker(void *arg)
{
	int i, *bad = arg;

	for (i = 0; i < 300; i++) {
		struct buf b = { .n = 0 };

		kmod_resolve(ctx, "pci:v1d2", NULL, 0, collect, &b);
		if (strcmp(b.s, want))
			(*bad)++;
	}
	return NULL;
}

TEST(kmod_resolve_text_tree)
{
	char dir[] = "/tmp/uevbox-res.XXXXXX", conf[128], md[128], why[256];
	struct kmod_opts o = { 0 };
	struct buf b = { .n = 0 };
	pthread_t th[4];
	int bad[4] = { 0 }, i;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(md, sizeof(md), "%s/lib/modules/1", dir);
	snprintf(conf, sizeof(conf), "%s/lib", dir);
	mkdir(conf, 0755);
	snprintf(conf, sizeof(conf), "%s/lib/modules", dir);
	mkdir(conf, 0755);
	mkdir(md, 0755);
	snprintf(conf, sizeof(conf), "%s/etc", dir);
	mkdir(conf, 0755);
	snprintf(conf, sizeof(conf), "%s/etc/modprobe.d", dir);
	mkdir(conf, 0755);
	snprintf(why, sizeof(why), "%s/k", md);
	mkdir(why, 0755);
	unit_put(why, "a.ko", "");
	unit_put(why, "b.ko", "");
	unit_put(why, "c.ko", "");
	unit_put(why, "s.ko", "");
	unit_put(md, "modules.dep", "k/a.ko: k/b.ko k/c.ko\nk/b.ko: k/c.ko\nk/c.ko:\nk/s.ko:\n");
	unit_put(md, "modules.alias", "alias pci:v1d* a\nalias pci:v1d2 s\nalias pci:v9* a\nalias pci:v9* c\n");
	unit_put(conf, "x.conf", "options a p=1\nsoftdep b pre: s\nblacklist s\noptions pci:v9d1 q=2\n");
	o.moddir = md;
	o.confroot = dir;
	o.cmdline = "";
	CHECK_INT(kmod_ctx_open(&ctx, &o, why, sizeof(why)), 0);
	if (!ctx)
		return;
	/* s is blacklisted and found by alias: skipped; a: c, then s (softdep
	 * of b, not required), b, a */
	CHECK_INT(kmod_resolve(ctx, "pci:v1d2", NULL, 0, collect, &b), 1);
	CHECK_STR(b.s, "0 c [] 1|0 s [] 0|0 b [] 1|0 a [p=1 ] 1|");
	want = b.s;
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, &bad[i]);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(bad[0] + bad[1] + bad[2] + bad[3], 0);
	CHECK_INT(kmod_resolve(ctx, "nothing", NULL, 0, collect, &b), -ENOENT);
	/* one of an alias's two modules, as the alias takes it: with the
	 * options that name the alias (by name alone a gets only p=1) */
	b.n = 0;
	b.s[0] = '\0';
	CHECK_INT(kmod_resolve_one(ctx, "pci:v9d1", "a", NULL, 0, collect, &b), 1);
	CHECK_STR(b.s, "0 c [] 1|0 s [] 0|0 b [] 1|0 a [p=1 q=2 ] 1|");
	b.n = 0;
	b.s[0] = '\0';
	CHECK_INT(kmod_resolve(ctx, "a", NULL, 0, collect, &b), 1);
	CHECK(strstr(b.s, "0 a [p=1 ] 1|") != NULL);
	b.n = 0;
	b.s[0] = '\0';
	CHECK_INT(kmod_resolve_one(ctx, "pci:v9d1", "nomatch", NULL, 0, collect, &b), 0);
	CHECK_STR(b.s, "");
	kmod_ctx_close(ctx);
	/* with loaded-state checks: c is live (fake sysfs), so reported as
	 * present and skipped; the rest still in order */
	snprintf(conf, sizeof(conf), "%s/sys", dir);
	mkdir(conf, 0755);
	snprintf(conf, sizeof(conf), "%s/sys/module", dir);
	mkdir(conf, 0755);
	snprintf(conf, sizeof(conf), "%s/sys/module/c", dir);
	mkdir(conf, 0755);
	unit_put(conf, "initstate", "live\n");
	snprintf(conf, sizeof(conf), "%s/sys", dir);
	o.sysfs = conf;
	CHECK_INT(kmod_ctx_open(&ctx, &o, why, sizeof(why)), 0);
	b.n = 0;
	b.s[0] = '\0';
	CHECK_INT(kmod_resolve(ctx, "pci:v1d2", NULL, KMOD_F_CHECK_LOADED, collect, &b), 1);
	CHECK_STR(b.s, "4 c [] 1|0 s [] 0|0 b [] 1|0 a [p=1 ] 1|");
	CHECK_INT(kmod_resolve(ctx, "bad]name", NULL, 0, collect, &b), -EINVAL);
	kmod_ctx_close(ctx);
	snprintf(conf, sizeof(conf), "rm -rf '%s'", dir);
	CHECK_INT(system(conf), 0);
}
