/* eng_queue.c — per-device ordered, bounded-parallel plan execution
 * (see eng_queue.h).  Data structures: each job is on three lists — its
 * device's FIFO (hash bucket chain of device heads, `same` links the rest),
 * the global arrival list (for the settled watermark), and at most one of
 * "waiting for a slot", a slot, "waiting for a module worker" or a worker.
 * All O(1) except the bucket chain walk and the slot scan (max is small).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "eng_pool.h"
#include <stdio.h>
#include "eng_queue.h"

struct eng_job {
	struct eng_plan *plan;
	char *dgram;
	size_t len;
	unsigned step;
	pid_t pid;
	unsigned hash;
	struct eng_job *same;		/* next job of the same device */
	struct eng_job *chain;		/* next device head in the bucket */
	struct eng_job *prev_all, *next_all;
	struct eng_job *next_wait;
};

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % ENG_QUEUE_BUCKETS;
}

int eng_queue_init(struct eng_queue *q, const struct engine *eng, unsigned max,
		   const struct eng_queue_ops *ops)
{
	memset(q, 0, sizeof *q);
	q->eng = eng;
	q->ops = *ops;
	q->max = max ? max : 1;
	q->slots = calloc(q->max, sizeof *q->slots);
	return q->slots ? 0 : -ENOMEM;
}

static void free_job(struct eng_job *j)
{
	eng_plan_free(j->plan);
	free(j->dgram);
	free(j);
}

void eng_queue_free(struct eng_queue *q)
{
	struct eng_job *j, *n;

	/* workers may still be loading for jobs: let them finish first */
	eng_pool_stop(q->pool);
	q->pool = NULL;
	j = q->all_head;
	while (j) {
		n = j->next_all;
		free_job(j);
		j = n;
	}
	free(q->slots);
	memset(q, 0, sizeof *q);
}

static void advance(struct eng_queue *q, struct eng_job *j);

/* j (a device head) is finished: unlink it everywhere, promote the next
 * job of its device. */
static void finish(struct eng_queue *q, struct eng_job *j)
{
	struct eng_job **pp = &q->bucket[j->hash], *next = j->same;

	if (q->ops.done)
		q->ops.done(q->ops.arg, j->plan, j->dgram, j->len);
	while (*pp != j)
		pp = &(*pp)->chain;
	if (next) {
		next->chain = j->chain;
		*pp = next;
	} else {
		*pp = j->chain;
	}
	if (j->prev_all)
		j->prev_all->next_all = j->next_all;
	else
		q->all_head = j->next_all;
	if (j->next_all)
		j->next_all->prev_all = j->prev_all;
	else
		q->all_tail = j->prev_all;
	q->njobs--;
	free_job(j);
	if (next)
		advance(q, next);
}

static int take_slot(struct eng_queue *q, struct eng_job *j)
{
	unsigned i;

	for (i = 0; i < q->max; i++)
		if (!q->slots[i]) {
			q->slots[i] = j;
			q->running++;
			return 1;
		}
	return 0;
}

static void drop_slot(struct eng_queue *q, struct eng_job *j)
{
	unsigned i;

	for (i = 0; i < q->max; i++)
		if (q->slots[i] == j) {
			q->slots[i] = NULL;
			q->running--;
			return;
		}
}

static void wait_push(struct eng_job **head, struct eng_job **tail, struct eng_job *j)
{
	j->next_wait = NULL;
	if (*tail)
		(*tail)->next_wait = j;
	else
		*head = j;
	*tail = j;
}

static struct eng_job *wait_pop(struct eng_job **head, struct eng_job **tail)
{
	struct eng_job *j = *head;

	if (j) {
		*head = j->next_wait;
		if (!*head)
			*tail = NULL;
	}
	return j;
}

/* May a load of class o go to a worker now?  Device loads have
 * mod_max workers, CPU features' the pool's low threads. */
static int mod_room(const struct eng_queue *q, enum mod_order o)
{
	if (o == MOD_ORDER_CPU)
		return q->mod_cpu_running < ENG_POOL_LOW_WORKERS;
	return q->mod_running - q->mod_cpu_running < q->mod_max;
}

/* Run j's steps from j->step until a command or a module load is running
 * or waiting for a slot/worker, or the job is done. */
static void advance(struct eng_queue *q, struct eng_job *j)
{
	struct eng_plan *p = j->plan;

	while (j->step < p->nsteps) {
		struct eng_step *s = &p->steps[j->step];
		int r;

		if (s->kind == ES_CMD) {
			pid_t pid;

			if (!take_slot(q, j)) {
				wait_push(&q->wait_head, &q->wait_tail, j);
				return;
			}
			pid = eng_spawn(q->eng, p, s);
			if (pid > 0) {
				q->spawned++;
				j->pid = pid;
				return;
			}
			drop_slot(q, j);
			q->spawn_failed++;
			r = pid;
		} else if (s->kind == ES_MODALIAS && q->pool) {
			enum mod_order o = mod_order(s->target, p->synthetic);

			if (!mod_room(q, o)) {
				wait_push(&q->mwait_head[o], &q->mwait_tail[o], j);
				return;
			}
			r = eng_pool_submit(q->pool, j, s->target, o == MOD_ORDER_CPU);
			if (r == 0) {
				q->mod_running++;
				q->mod_cpu_running += o == MOD_ORDER_CPU;
				q->mod_started++;
				return;
			}
		} else {
			r = eng_step_run(q->eng, p, s);
		}
		if (q->ops.step)
			q->ops.step(q->ops.arg, p, s, r);
		j->step++;
	}
	finish(q, j);
}

int eng_queue_push(struct eng_queue *q, struct eng_plan *plan, const char *dgram, size_t len)
{
	struct eng_job *j = calloc(1, sizeof *j), *h;

	if (!j) {
		eng_plan_free(plan);
		return -ENOMEM;
	}
	j->plan = plan;
	if (dgram && len) {
		j->dgram = malloc(len);
		if (!j->dgram) {
			free(j);
			eng_plan_free(plan);
			return -ENOMEM;
		}
		memcpy(j->dgram, dgram, len);
		j->len = len;
	}
	if (plan->seqnum > q->last_seq)
		q->last_seq = plan->seqnum;
	j->hash = hash_str(plan->devpath);
	j->prev_all = q->all_tail;
	if (q->all_tail)
		q->all_tail->next_all = j;
	else
		q->all_head = j;
	q->all_tail = j;
	q->njobs++;
	for (h = q->bucket[j->hash]; h; h = h->chain)
		if (!strcmp(h->plan->devpath, plan->devpath))
			break;
	if (h) {	/* the device is busy: wait behind its last job */
		while (h->same)
			h = h->same;
		h->same = j;
		return 0;
	}
	j->chain = q->bucket[j->hash];
	q->bucket[j->hash] = j;
	advance(q, j);
	return 0;
}

int eng_queue_reap(struct eng_queue *q, pid_t pid, int status)
{
	struct eng_job *j = NULL, *w;
	unsigned i;
	int r;

	for (i = 0; i < q->max; i++)
		if (q->slots[i] && q->slots[i]->pid == pid) {
			j = q->slots[i];
			break;
		}
	if (!j)
		return 0;
	drop_slot(q, j);
	j->pid = 0;
	r = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (q->ops.step)
		q->ops.step(q->ops.arg, j->plan, &j->plan->steps[j->step], r ? 256 + r : 0);
	j->step++;
	advance(q, j);
	/* a slot is free: the longest-waiting device goes next */
	while (q->running < q->max && (w = wait_pop(&q->wait_head, &q->wait_tail)))
		advance(q, w);
	return 1;
}

int eng_queue_reap_children(struct eng_queue *q)
{
	unsigned i;
	int n = 0, st;
	pid_t pid;

	/* by pid: a worker may be waiting for its own install command */
	for (i = 0; i < q->max; i++) {
		if (!q->slots[i] || q->slots[i]->pid <= 0)
			continue;
		pid = q->slots[i]->pid;
		if (waitpid(pid, &st, WNOHANG) != pid)
			continue;
		eng_queue_reap(q, pid, st);
		n++;
		i = (unsigned)-1;	/* slots changed: look again from the start */
	}
	return n;
}

int eng_queue_pool(struct eng_queue *q, unsigned workers)
{
	int r;

	if (q->pool)
		return 0;
	if (!workers)
		workers = 1;
	r = eng_pool_start(&q->pool, q->eng, workers);
	if (r < 0)
		return r;
	/* the CPU-feature threads come on top (mod_room): a long kvm load
	 * there must not take one of the device loads' places */
	q->mod_max = workers;
	return 0;
}

int eng_queue_pool_fd(const struct eng_queue *q)
{
	return q->pool ? eng_pool_fd(q->pool) : -1;
}

int eng_queue_pool_done(struct eng_queue *q)
{
	struct eng_pool_req *r, *next;
	struct eng_job *j, *w;
	unsigned o;
	int n = 0;

	if (!q->pool)
		return 0;
	for (r = eng_pool_collect(q->pool); r; r = next) {
		next = r->next;
		j = r->tag;
		q->mod_running--;
		q->mod_cpu_running -= r->low != 0;
		if (q->ops.step)
			q->ops.step(q->ops.arg, j->plan, &j->plan->steps[j->step], r->result);
		eng_pool_req_free(r);
		j->step++;
		n++;
		advance(q, j);
	}
	/* workers are free: the first class's longest-waiting device next */
	for (o = 0; o < MOD_ORDER_N; o++)
		while (mod_room(q, (enum mod_order)o) &&
		       (w = wait_pop(&q->mwait_head[o], &q->mwait_tail[o])))
			advance(q, w);
	return n;
}

unsigned eng_queue_busy(const struct eng_queue *q)
{
	return q->running + q->mod_running;
}

uint64_t eng_queue_settled(const struct eng_queue *q)
{
	const struct eng_job *j;
	uint64_t low = 0;

	if (!q->all_head)
		return q->last_seq;
	/* the oldest unfinished event bounds what is settled; events
	 * without SEQNUM (replays) do not count */
	for (j = q->all_head; j; j = j->next_all)
		if (j->plan->seqnum) {
			low = j->plan->seqnum;
			break;
		}
	return low ? low - 1 : q->last_seq;
}

static unsigned wait_len(const struct eng_job *j)
{
	unsigned n = 0;

	for (; j; j = j->next_wait)
		n++;
	return n;
}

void eng_queue_describe(const struct eng_queue *q, char *buf, size_t size)
{
	const struct eng_job *j = q->all_head;
	unsigned o, mwait = 0;
	int n;

	for (o = 0; o < MOD_ORDER_N; o++)
		mwait += wait_len(q->mwait_head[o]);
	n = snprintf(buf, size, "%zu job(s); %u command(s) and %u module load(s) running; "
		     "%u waiting for a command slot, %u for a module worker",
		     q->njobs, q->running, q->mod_running, wait_len(q->wait_head),
		     mwait);
	if (j && n > 0 && (size_t)n < size) {
		char step[256] = "done";

		if (j->step < j->plan->nsteps)
			eng_step_str(&j->plan->steps[j->step], step, sizeof step);
		snprintf(buf + n, size - (size_t)n, "; oldest: %s %s, step %u of %u (%s)%s",
			 j->plan->action, j->plan->devpath, j->step + 1, j->plan->nsteps, step,
			 j->pid > 0 ? ", command running" : "");
	}
}
