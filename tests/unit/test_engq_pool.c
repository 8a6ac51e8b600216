/* test_engq_pool.c — MODALIAS steps on the queue's module workers, with a
 * fake slow backend (dev_modules.test_load): a slow load holds back only
 * its own device, loads in flight are bounded by the pool size, each
 * device's steps and events finish in order, results reach the step
 * callback, and freeing the queue waits for loads in flight.
 * Fake aliases are "NAME:MS" (sleep MS) or "NAME:MS:ERRNO" (then fail). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "eng_pool.h"
#include "eng_queue.h"
#include "kmod.h"
#include "mod_order.h"
#include "unit.h"

struct fake {
	pthread_mutex_t mu;
	int cur, max, calls;
	char log[2048];		/* "+NAME" at start, "-NAME" at end */
};

static struct fake fk = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, "" };

static void fk_log(const char *sign, const char *alias)
{
	size_t l = strlen(fk.log);
	const char *c = strchr(alias, ':');
	int n = c ? (int)(c - alias) : (int)strlen(alias);

	snprintf(fk.log + l, sizeof fk.log - l, "%s%s%.*s", l ? " " : "", sign, n, alias);
}

static int fake_load(void *arg, const char *alias)
{
	const char *c = strchr(alias, ':');
	long ms = c ? strtol(c + 1, NULL, 10) : 0;
	const char *e = c ? strchr(c + 1, ':') : NULL;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	pthread_mutex_lock(&fk.mu);
	fk.calls++;
	if (++fk.cur > fk.max)
		fk.max = fk.cur;
	fk_log("+", alias);
	pthread_mutex_unlock(&fk.mu);
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&fk.mu);
	fk.cur--;
	fk_log("-", alias);
	pthread_mutex_unlock(&fk.mu);
	return e ? -(int)strtol(e + 1, NULL, 10) : 1;
}

static void fk_reset(void)
{
	pthread_mutex_lock(&fk.mu);
	fk.cur = fk.max = fk.calls = 0;
	fk.log[0] = '\0';
	pthread_mutex_unlock(&fk.mu);
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a plan for devpath: one MODALIAS step per alias (NULL-ended), then a
 * command step when cmd is set */
static struct eng_plan *plan(const char *devpath, uint64_t seq, const char *cmd, ...)
{
	struct eng_plan *p = calloc(1, sizeof *p);
	const char *a;
	va_list ap;

	p->devpath = strdup(devpath);
	p->action = strdup("add");
	p->seqnum = seq;
	p->synthetic = !seq;	/* as eng_plan does for a replay */
	p->cap = 8;
	p->steps = calloc(p->cap, sizeof *p->steps);
	va_start(ap, cmd);
	while ((a = va_arg(ap, const char *))) {
		p->steps[p->nsteps].kind = ES_MODALIAS;
		p->steps[p->nsteps++].target = strdup(a);
	}
	va_end(ap);
	if (cmd) {
		p->steps[p->nsteps].kind = ES_CMD;
		p->steps[p->nsteps].path = strdup("x");
		p->steps[p->nsteps++].target = strdup(cmd);
	}
	p->env = calloc(1, sizeof *p->env);
	return p;
}

struct rec {
	char done[512];		/* "devpath#seq" of finished events, in order */
	char steps[512];	/* "alias=result" of finished module steps */
	long long t0, b_done;	/* when /devices/b finished (ms after t0) */
};

static void on_step(void *arg, const struct eng_plan *p, const struct eng_step *s, int r)
{
	struct rec *rc = arg;
	size_t l = strlen(rc->steps);

	if (s->kind == ES_MODALIAS)
		snprintf(rc->steps + l, sizeof rc->steps - l, "%s%s=%d", l ? " " : "", s->target, r);
}

static void on_done(void *arg, const struct eng_plan *p, const char *d, size_t len)
{
	struct rec *rc = arg;
	size_t l = strlen(rc->done);

	snprintf(rc->done + l, sizeof rc->done - l, "%s%s#%llu", l ? " " : "", p->devpath,
		 (unsigned long long)p->seqnum);
	if (!strcmp(p->devpath, "/devices/b"))
		rc->b_done = ms_now() - rc->t0;
}

/* the daemon's loop in small: wait on the pool's fd, continue devices */
static void drain(struct eng_queue *q, int limit_ms)
{
	long long end = ms_now() + limit_ms;

	while (q->njobs && ms_now() < end) {
		struct pollfd p = { eng_queue_pool_fd(q), POLLIN, 0 };

		if (poll(&p, 1, 50) > 0)
			eng_queue_pool_done(q);
		eng_queue_reap_children(q);
	}
}

static void setup(struct engine *e, struct dev_modules *m, struct eng_queue *q,
		  struct rec *rc, unsigned workers)
{
	struct eng_queue_ops ops = { on_step, on_done, rc };

	memset(e, 0, sizeof *e);
	memset(m, 0, sizeof *m);
	memset(rc, 0, sizeof *rc);
	m->test_load = fake_load;
	e->mods = m;
	e->root.fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fk_reset();
	CHECK_INT(eng_queue_init(q, e, 2, &ops), 0);
	CHECK_INT(eng_queue_pool(q, workers), 0);
	CHECK(eng_queue_pool_fd(q) >= 0);
	rc->t0 = ms_now();
}

static void teardown(struct engine *e, struct eng_queue *q)
{
	eng_queue_free(q);
	close(e->root.fd);
}

TEST(engq_pool_slow_device_holds_only_itself)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;
	long long pushed;

	setup(&e, &m, &q, &rc, 4);
	CHECK_INT(eng_queue_push(&q, plan("/devices/a", 10, NULL, "A1:400", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/a", 11, NULL, "A2:0", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/b", 12, NULL, "B:0", NULL), NULL, 0), 0);
	pushed = ms_now() - rc.t0;
	CHECK(pushed < 100);		/* pushing never waits for a load */
	CHECK_INT(q.mod_running, 2);	/* A1 and B; A2 waits behind A1 */
	CHECK_INT(eng_queue_settled(&q), 9);
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	CHECK_INT(eng_queue_busy(&q), 0);
	/* B finished long before the slow A1; A2 strictly after A1 */
	CHECK_STR(rc.done, "/devices/b#12 /devices/a#10 /devices/a#11");
	CHECK(rc.b_done < 300);
	CHECK(strstr(fk.log, "-A1 +A2") != NULL);
	CHECK_INT(eng_queue_settled(&q), 12);
	CHECK_STR(rc.steps, "B:0=1 A1:400=1 A2:0=1");
	teardown(&e, &q);
}

TEST(engq_pool_bounded)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;
	char dev[32];
	long long took;
	int i;

	setup(&e, &m, &q, &rc, 3);
	for (i = 0; i < 9; i++) {
		snprintf(dev, sizeof dev, "/devices/d%d", i);
		CHECK_INT(eng_queue_push(&q, plan(dev, 100 + i, NULL, "M:150", NULL), NULL, 0), 0);
	}
	/* handed over: one per device worker (the CPU-feature threads are
	 * not theirs); the rest wait for a worker */
	CHECK_INT(q.mod_running, 3);
	CHECK_INT(q.njobs, 9);
	drain(&q, 10000);
	took = ms_now() - rc.t0;
	CHECK_INT(q.njobs, 0);
	CHECK_INT(fk.calls, 9);
	CHECK_INT(fk.max, 3);		/* never more than the pool at once */
	CHECK(took >= 3 * 150);		/* three rounds ... */
	CHECK(took < 9 * 150);		/* ... not one after the other */
	/* workers freed in FIFO order: the first three devices first */
	CHECK(!strncmp(rc.done, "/devices/d", 10));
	CHECK(strstr(rc.done, "/devices/d8#108") > strstr(rc.done, "/devices/d2#102"));
	CHECK_INT(q.mod_started, 9);
	teardown(&e, &q);
}

/* A CPU's modalias ("cpu:...") goes to threads of its own: a long one
 * never holds up a device's load, even with a single device worker. */
TEST(engq_pool_cpu_features_aside)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;

	setup(&e, &m, &q, &rc, 1);
	CHECK_INT(eng_queue_push(&q, plan("/devices/system/cpu/cpu0", 1, NULL, "cpu:400", NULL),
				 NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/system/cpu/cpu1", 2, NULL, "cpu:400", NULL),
				 NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/a", 3, NULL, "A:50", NULL), NULL, 0), 0);
	CHECK_INT(q.mod_running, 3);	/* nothing waits for a worker */
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	/* A ended while the CPU loads still ran; they ran side by side */
	CHECK(strstr(fk.log, "-A") && strstr(fk.log, "-cpu") && strstr(fk.log, "-A") < strstr(fk.log, "-cpu"));
	CHECK_INT(fk.max, 3);
	CHECK(!strncmp(rc.done, "/devices/a#3", 12));
	teardown(&e, &q);
}

/* What waits for a worker goes by class: bus controllers, then devices
 * the kernel added, then replayed ones; each class in arrival order. */
TEST(engq_pool_order_by_class)
{
	static const char ahci[] = "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01";
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;

	setup(&e, &m, &q, &rc, 1);
	CHECK_INT(eng_queue_push(&q, plan("/devices/a", 1, NULL, "A:200", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/r1", 0, NULL, "R1:0", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/n", 3, NULL, "N:0", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/r2", 0, NULL, "R2:0", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/p", 0, NULL, ahci, NULL), NULL, 0), 0);
	CHECK_INT(q.mod_running, 1);
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	CHECK_STR(fk.log, "+A -A +pci -pci +N -N +R1 -R1 +R2 -R2");
	teardown(&e, &q);
}

TEST(mod_order_classes)
{
	/* USB host (xHCI), NVMe, SD host, HD audio: bus controllers, replayed
	 * or not */
	CHECK_INT(mod_order("pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30", 1), MOD_ORDER_BUS);
	CHECK_INT(mod_order("pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02", 0), MOD_ORDER_BUS);
	CHECK_INT(mod_order("pci:v00001B36d00000007sv00001AF4sd00001100bc08sc05i01", 1), MOD_ORDER_BUS);
	CHECK_INT(mod_order("pci:v00008086d00002668sv00001AF4sd00001100bc04sc03i00", 1), MOD_ORDER_BUS);
	/* SMBus (0c05), network (02), VGA (0300): ordinary devices */
	CHECK_INT(mod_order("pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00", 1), MOD_ORDER_COLD);
	CHECK_INT(mod_order("pci:v00008086d00002930sv00001AF4sd00001100bc0Csc05i00", 1), MOD_ORDER_COLD);
	CHECK_INT(mod_order("pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00", 0), MOD_ORDER_NEW);
	/* cut short, or "bc" where no class field is: not a controller */
	CHECK_INT(mod_order("pci:v00001B36bc0C", 0), MOD_ORDER_NEW);
	CHECK_INT(mod_order("usb:v0627p0001d0000dc00dsc00dp00ic08isc06ip50in00", 0), MOD_ORDER_NEW);
	CHECK_INT(mod_order("serio:ty01pr00id00ex00", 1), MOD_ORDER_BUS);	/* PS/2 */
	CHECK_INT(mod_order("cpu:type:x86,ven0002fam0019mod0001:feature:,0000", 0), MOD_ORDER_CPU);
}

TEST(engq_pool_steps_in_order_and_results)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;

	setup(&e, &m, &q, &rc, 4);
	/* one event with three loads: one at a time, in plan order, a
	 * failing one does not stop the next (as inline) */
	CHECK_INT(eng_queue_push(&q, plan("/devices/x", 1, NULL, "X1:100", "X2:0:5", "X3:0", NULL),
				 NULL, 0), 0);
	/* "nothing matches" (-ENOENT) is not a failure for a device */
	CHECK_INT(eng_queue_push(&q, plan("/devices/y", 2, NULL, "Y:0:2", NULL), NULL, 0), 0);
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	CHECK(strstr(fk.log, "-X1 +X2 -X2 +X3 -X3") != NULL);
	CHECK(strstr(rc.steps, "Y:0:2=0") != NULL);
	CHECK(strstr(rc.steps, "X1:100=1 X2:0:5=-5 X3:0=1") != NULL);
	teardown(&e, &q);
}

TEST(engq_pool_then_command)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;
	char f[] = "/tmp/uevbox-engqp.XXXXXX", cmd[128], got[32] = "";
	int fd = mkstemp(f);
	FILE *in;

	CHECK(fd >= 0);
	close(fd);
	setup(&e, &m, &q, &rc, 2);
	snprintf(cmd, sizeof cmd, "echo ran >> %s", f);
	CHECK_INT(eng_queue_push(&q, plan("/devices/c", 7, cmd, "C:200", NULL), NULL, 0), 0);
	CHECK_INT(q.running, 0);	/* the command waits for the module */
	CHECK_INT(q.mod_running, 1);
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	CHECK_INT(q.spawned, 1);
	in = fopen(f, "r");
	if (in) {
		size_t n = fread(got, 1, sizeof got - 1, in);

		got[n] = 0;
		fclose(in);
	}
	CHECK_STR(got, "ran\n");
	CHECK_STR(rc.done, "/devices/c#7");
	teardown(&e, &q);
	unlink(f);
}

TEST(engq_pool_free_waits_for_loads)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;

	setup(&e, &m, &q, &rc, 2);
	CHECK_INT(eng_queue_push(&q, plan("/devices/s", 1, NULL, "S:200", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/s", 2, NULL, "T:0", NULL), NULL, 0), 0);
	CHECK_INT(eng_queue_busy(&q), 1);
	teardown(&e, &q);	/* joins the worker in S, never starts T */
	CHECK_STR(fk.log, "+S -S");
	CHECK_INT(fk.cur, 0);
	CHECK_STR(rc.done, "");
}

TEST(engq_no_pool_runs_inline)
{
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct eng_queue_ops ops = { on_step, on_done, NULL };
	struct rec rc;

	memset(&e, 0, sizeof e);
	memset(&m, 0, sizeof m);
	memset(&rc, 0, sizeof rc);
	ops.arg = &rc;
	m.test_load = fake_load;
	e.mods = &m;
	fk_reset();
	CHECK_INT(eng_queue_init(&q, &e, 2, &ops), 0);
	CHECK_INT(eng_queue_pool_fd(&q), -1);
	CHECK_INT(eng_queue_push(&q, plan("/devices/i", 1, NULL, "I:10", NULL), NULL, 0), 0);
	CHECK_INT(q.njobs, 0);		/* done before push returned */
	CHECK_STR(rc.done, "/devices/i#1");
	CHECK_INT(eng_queue_pool_done(&q), 0);
	eng_queue_free(&q);
}

/* The real loader (kmod.h, not the fake) on a worker: a text index whose
 * module has an install command (modprobe.d), run with MODPROBE_MODULE
 * and waited for by pid in the worker while the loop reaps only its own
 * children (eng_queue_reap_children; a waitpid(-1) there could steal it,
 * a race too narrow to provoke here). */
TEST(engq_pool_real_kmod_install_command)
{
	char dir[] = "/tmp/uevbox-engqk.XXXXXX", md[128], cd[128], line[400], got[128] = "";
	struct kmod_opts o = { 0 };
	struct engine e;
	struct dev_modules m;
	struct eng_queue q;
	struct rec rc;
	FILE *in;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(md, sizeof md, "%s/mods", dir);
	snprintf(cd, sizeof cd, "%s/etc", dir);
	mkdir(md, 0755);
	mkdir(cd, 0755);
	snprintf(cd, sizeof cd, "%s/etc/modprobe.d", dir);
	mkdir(cd, 0755);
	unit_put(md, "modules.dep", "k/uvbi.ko:\n");
	unit_put(md, "modules.alias", "alias platform:uvbi* uvbi\n");
	snprintf(line, sizeof line,
		 "install uvbi sleep 0.2; echo $MODPROBE_MODULE > %s/ran\n", dir);
	unit_put(cd, "i.conf", line);
	o.moddir = md;
	o.confroot = dir;
	o.cmdline = "";
	setup(&e, &m, &q, &rc, 2);
	m.test_load = NULL;
	CHECK_INT(kmod_ctx_open(&m.ctx, &o, line, sizeof line), 0);
	CHECK_INT(eng_queue_push(&q, plan("/devices/k", 5, NULL, "platform:uvbi", NULL), NULL, 0), 0);
	CHECK_INT(q.mod_running, 1);
	drain(&q, 5000);
	CHECK_INT(q.njobs, 0);
	CHECK_STR(rc.steps, "platform:uvbi=1");	/* one module handled, no -ECHILD */
	snprintf(line, sizeof line, "%s/ran", dir);
	in = fopen(line, "r");
	if (in) {
		if (!fgets(got, sizeof got, in))
			got[0] = '\0';
		fclose(in);
	}
	CHECK_STR(got, "uvbi\n");
	teardown(&e, &q);
	dev_modules_close(&m);
	snprintf(line, sizeof line, "rm -rf '%s'", dir);
	CHECK_INT(system(line), 0);
}
