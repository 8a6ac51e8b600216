/* eng_queue.c — per-device ordered, bounded-parallel plan execution
 * (see eng_queue.h).  Data structures: each job is on three lists — its
 * device's FIFO (hash bucket chain of device heads, `same` links the rest),
 * the global arrival list (for the settled watermark), and at most one of
 * "waiting for a slot" or a slot.  All O(1) except the bucket chain walk
 * and the slot scan (max is small).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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
	struct eng_job *j = q->all_head, *n;

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

/* Run j's steps from j->step until a command is running or waiting for a
 * slot, or the job is done. */
static void advance(struct eng_queue *q, struct eng_job *j)
{
	struct eng_plan *p = j->plan;

	while (j->step < p->nsteps) {
		struct eng_step *s = &p->steps[j->step];
		int r;

		if (s->kind == ES_CMD) {
			pid_t pid;

			if (!take_slot(q, j)) {
				j->next_wait = NULL;
				if (q->wait_tail)
					q->wait_tail->next_wait = j;
				else
					q->wait_head = j;
				q->wait_tail = j;
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
	while (q->running < q->max && (w = q->wait_head)) {
		q->wait_head = w->next_wait;
		if (!q->wait_head)
			q->wait_tail = NULL;
		advance(q, w);
	}
	return 1;
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
