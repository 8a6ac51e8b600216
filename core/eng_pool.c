/* eng_pool.c — worker threads for MODALIAS steps (see eng_pool.h).
 * One mutex guards the todo and done lists and the stop flag; a condition
 * variable wakes idle workers; an eventfd wakes the event loop. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dev_modules.h"
#include "eng_pool.h"

/* kmod_resolve keeps an 8 KiB arena and gunzip a 64 KiB buffer on the
 * stack; musl's default thread stack (128 KiB) is too tight for both */
#define POOL_STACK (512u << 10)
/* names of one alias's modules (fan_out): 56 bytes each at most */
#define FAN_NAMES 2048
/* CPU-feature loads have ENG_POOL_LOW_WORKERS threads of their own
 * (besides `workers`), so they start at once and soak up whatever CPU the
 * device loads leave, at this nice value */
#define LOW_NICE 19
/* Device loads yield a little to the kernel's own threads: USB hub
 * enumeration, async probes and interrupt threads are the next links of
 * the chains the loads start (in the VM bench a coldplug ended about a
 * tenth sooner, on a sixth less CPU, than with the loads at nice 0) */
#define DEVICE_NICE 5

struct reqlist {
	struct eng_pool_req *head, *tail;
};

struct eng_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct reqlist todo[2];		/* [0] devices' loads, [1] CPU features' */
	struct reqlist done;
	int stop;
	int efd;
	const struct engine *eng;
	unsigned nthreads;
	pthread_t th[];
};

static void list_push(struct reqlist *l, struct eng_pool_req *r)
{
	r->next = NULL;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
}

/* Put the chain first..last (linked by next) at the front of l. */
static void list_push_front(struct reqlist *l, struct eng_pool_req *first, struct eng_pool_req *last)
{
	last->next = l->head;
	if (!l->head)
		l->tail = last;
	l->head = first;
}

static struct eng_pool_req *list_pop(struct reqlist *l)
{
	struct eng_pool_req *r = l->head;

	if (r && !(l->head = r->next))
		l->tail = NULL;
	return r;
}

/* Under p->mu: one part of r (a request or one of its module parts) ended
 * with res; 1 when that was the last part, and r is done.  Results add up
 * like kmod_resolve's: the first error wins, else the count of modules. */
static int part_done(struct eng_pool_req *r, int res)
{
	if (res < 0 && res != -ENOENT && r->result >= 0)
		r->result = res;
	else if (res > 0 && r->result >= 0)
		r->result += res;
	return --r->pending == 0;
}

/* Queue the modules after the first of names (k of them, from
 * dev_modules_tops) as parts of r, ahead of whole requests of its
 * priority: a many-module alias then loads on every idle worker.
 * 0, or -ENOMEM with nothing queued. */
static int fan_out(struct eng_pool *p, struct eng_pool_req *r, const char *names, int k)
{
	struct eng_pool_req *parts = NULL, *last = NULL;
	const char *n = names + strlen(names) + 1;
	int i;

	for (i = 1; i < k; i++, n += strlen(n) + 1) {
		struct eng_pool_req *c = calloc(1, sizeof *c);

		if (!c || !(c->alias = strdup(n))) {
			free(c);
			while (parts) {
				c = parts;
				parts = c->next;
				eng_pool_req_free(c);
			}
			return -ENOMEM;
		}
		c->parent = r;
		c->low = r->low;
		if (last)
			last->next = c;
		else
			parts = c;
		last = c;
	}
	pthread_mutex_lock(&p->mu);
	r->pending = k;
	list_push_front(&p->todo[r->low], parts, last);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* Load one request or part; returns the part's result for part_done and
 * the request it belongs to in *whole. */
static int run(struct eng_pool *p, struct eng_pool_req *r, struct eng_pool_req **whole,
	       char *names, size_t size)
{
	struct eng_step s;
	int k;

	if (r->parent) {	/* one module of a split alias (parts hold its name) */
		int res = dev_modules_load_one(p->eng->mods, r->parent->alias, r->alias);

		*whole = r->parent;
		eng_pool_req_free(r);
		return res;
	}
	*whole = r;
	r->pending = 1;
	k = dev_modules_tops(p->eng->mods, r->alias, names, size);
	if (k == 0 || k == -ENOENT)
		return 0;	/* all loaded or built in, or no module for it */
	if (k >= 2 && fan_out(p, r, names, k) == 0)
		return dev_modules_load_one(p->eng->mods, r->alias, names);
	/* one module; or no index (-ENOSYS: a test's fake loader), too many
	 * names, out of memory: load the alias whole, here */
	memset(&s, 0, sizeof s);
	s.kind = ES_MODALIAS;
	s.target = r->alias;
	return eng_step_run(p->eng, NULL, &s);
}

/* The loop of one worker: low workers take only CPU-feature requests and
 * stay niced; the others only device requests (a device worker that took
 * a long CPU load would make the next device wait). */
static void work(struct eng_pool *p, int low)
{
	struct reqlist *todo = &p->todo[low];
	struct eng_pool_req *r, *whole;
	char names[FAN_NAMES];
	uint64_t one = 1;

	/* per thread on Linux; failing leaves the priority as it was */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), low ? LOW_NICE : DEVICE_NICE);
	for (;;) {
		int res, last;

		pthread_mutex_lock(&p->mu);
		while (!todo->head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		r = list_pop(todo);
		pthread_mutex_unlock(&p->mu);
		if (!r)		/* stopping and nothing left */
			return;

		res = run(p, r, &whole, names, sizeof names);

		pthread_mutex_lock(&p->mu);
		last = part_done(whole, res);
		if (last) {
			if (whole->result == -ENOENT)
				whole->result = 0;	/* no module for it: fine */
			list_push(&p->done, whole);
		}
		pthread_mutex_unlock(&p->mu);
		/* an eventfd write fails only on counter overflow (2^64-1) */
		if (last && write(p->efd, &one, sizeof one) < 0) {
			/* nothing to do: the counter is already non-zero */
		}
	}
}

static void *worker(void *arg)
{
	work(arg, 0);
	return NULL;
}

static void *low_worker(void *arg)
{
	work(arg, 1);
	return NULL;
}

int eng_pool_start(struct eng_pool **out, const struct engine *eng, unsigned workers)
{
	struct eng_pool *p;
	pthread_attr_t attr;
	sigset_t all, old;
	unsigned i;
	int err = 0;

	*out = NULL;
	if (!workers)
		workers = 1;
	p = calloc(1, sizeof *p + (workers + ENG_POOL_LOW_WORKERS) * sizeof p->th[0]);
	if (!p)
		return -ENOMEM;
	p->eng = eng;
	p->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->efd < 0) {
		err = -errno;
		free(p);
		return err;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if ((err = pthread_attr_init(&attr))) {
		eng_pool_stop(p);
		return -err;
	}
	pthread_attr_setstacksize(&attr, POOL_STACK);
	/* signals belong to the loop (signalfd): workers inherit a full mask */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < workers + ENG_POOL_LOW_WORKERS; i++) {
		err = pthread_create(&p->th[i], &attr, i < workers ? worker : low_worker, p);
		if (err)
			break;
		p->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		eng_pool_stop(p);
		return -err;
	}
	*out = p;
	return 0;
}

int eng_pool_fd(const struct eng_pool *p)
{
	return p->efd;
}

int eng_pool_submit(struct eng_pool *p, void *tag, const char *alias, int low)
{
	struct eng_pool_req *r = calloc(1, sizeof *r);

	if (!r || !(r->alias = strdup(alias ? alias : ""))) {
		free(r);
		return -ENOMEM;
	}
	r->tag = tag;
	r->low = low != 0;
	pthread_mutex_lock(&p->mu);
	list_push(&p->todo[r->low], r);
	/* broadcast: a low-only worker woken for a device request would sleep on */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

struct eng_pool_req *eng_pool_collect(struct eng_pool *p)
{
	struct eng_pool_req *r;
	uint64_t n;

	/* reset the eventfd before taking the list: a request finishing in
	 * between makes it readable again, so no wake-up is lost */
	if (read(p->efd, &n, sizeof n) < 0) {
		/* EAGAIN: nothing signalled; the list may still hold some */
	}
	pthread_mutex_lock(&p->mu);
	r = p->done.head;
	p->done.head = p->done.tail = NULL;
	pthread_mutex_unlock(&p->mu);
	return r;
}

void eng_pool_req_free(struct eng_pool_req *r)
{
	if (r) {
		free(r->alias);
		free(r);
	}
}

void eng_pool_stop(struct eng_pool *p)
{
	struct eng_pool_req *r, *n;
	unsigned i;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	for (r = p->done.head; r; r = n) {
		n = r->next;
		eng_pool_req_free(r);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	close(p->efd);
	free(p);
}
