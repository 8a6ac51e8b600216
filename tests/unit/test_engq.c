/* test_engq.c — the command queue: per-device order, parallel devices,
 * bounded children, settled watermark. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eng_queue.h"
#include "unit.h"

static struct eng_plan *cmd_plan(const char *devpath, uint64_t seq, const char *cmd)
{
	struct eng_plan *p = calloc(1, sizeof *p);

	p->devpath = strdup(devpath);
	p->action = strdup("add");
	p->seqnum = seq;
	p->steps = calloc(1, sizeof *p->steps);
	p->nsteps = p->cap = 1;
	p->steps[0].kind = ES_CMD;
	p->steps[0].target = strdup(cmd);
	p->steps[0].path = strdup("x");
	p->env = calloc(1, sizeof *p->env);
	return p;
}

static unsigned done_count;
static void on_done(void *arg, const struct eng_plan *p, const char *d, size_t l)
{
	done_count++;
}

TEST(engq_order_and_parallel)
{
	struct engine e;
	struct eng_queue q;
	struct eng_queue_ops ops = { NULL, on_done, NULL };
	char f[] = "/tmp/uevbox-engq.XXXXXX", cmd[256], got[64] = "";
	int fd = mkstemp(f), st;
	FILE *in;

	memset(&e, 0, sizeof e);
	e.root.fd = open("/", 0);
	CHECK(fd >= 0);
	close(fd);
	done_count = 0;
	CHECK_INT(eng_queue_init(&q, &e, 2, &ops), 0);
	snprintf(cmd, sizeof cmd, "sleep 0.3; echo A1 >> %s", f);
	CHECK_INT(eng_queue_push(&q, cmd_plan("/devices/a", 10, cmd), NULL, 0), 0);
	snprintf(cmd, sizeof cmd, "echo A2 >> %s", f);
	CHECK_INT(eng_queue_push(&q, cmd_plan("/devices/a", 11, cmd), NULL, 0), 0);
	snprintf(cmd, sizeof cmd, "sleep 0.1; echo B >> %s", f);
	CHECK_INT(eng_queue_push(&q, cmd_plan("/devices/b", 12, cmd), NULL, 0), 0);
	snprintf(cmd, sizeof cmd, "echo C >> %s", f);
	CHECK_INT(eng_queue_push(&q, cmd_plan("/devices/c", 13, cmd), NULL, 0), 0);
	CHECK_INT(q.running, 2);		/* bounded: C waits for a slot */
	CHECK_INT(eng_queue_settled(&q), 9);
	while (q.njobs) {
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0)
			break;
		eng_queue_reap(&q, pid, st);
	}
	CHECK_INT(done_count, 4);
	CHECK_INT(eng_queue_settled(&q), 13);
	in = fopen(f, "r");
	if (in) {
		size_t n = fread(got, 1, sizeof got - 1, in);

		got[n] = 0;
		fclose(in);
	}
	/* B and C overtake the slow A1; A2 never overtakes A1 */
	CHECK_STR(got, "B\nC\nA1\nA2\n");
	eng_queue_free(&q);
	close(e.root.fd);
	unlink(f);
}
