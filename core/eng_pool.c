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
#include <unistd.h>

#include "eng_pool.h"

/* kmod_resolve keeps an 8 KiB arena and gunzip a 64 KiB buffer on the
 * stack; musl's default thread stack (128 KiB) is too tight for both */
#define POOL_STACK (512u << 10)

struct eng_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct eng_pool_req *todo_head, *todo_tail;
	struct eng_pool_req *done_head, *done_tail;
	int stop;
	int efd;
	const struct engine *eng;
	unsigned nthreads;
	pthread_t th[];
};

static void *worker(void *arg)
{
	struct eng_pool *p = arg;
	struct eng_pool_req *r;
	uint64_t one = 1;

	for (;;) {
		struct eng_step s;

		pthread_mutex_lock(&p->mu);
		while (!p->todo_head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		r = p->todo_head;
		if (!r) {		/* stopping and nothing left */
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		p->todo_head = r->next;
		if (!p->todo_head)
			p->todo_tail = NULL;
		pthread_mutex_unlock(&p->mu);

		memset(&s, 0, sizeof s);
		s.kind = ES_MODALIAS;
		s.target = r->alias;
		r->result = eng_step_run(p->eng, NULL, &s);

		r->next = NULL;
		pthread_mutex_lock(&p->mu);
		if (p->done_tail)
			p->done_tail->next = r;
		else
			p->done_head = r;
		p->done_tail = r;
		pthread_mutex_unlock(&p->mu);
		/* an eventfd write fails only on counter overflow (2^64-1) */
		if (write(p->efd, &one, sizeof one) < 0) {
			/* nothing to do: the counter is already non-zero */
		}
	}
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
	p = calloc(1, sizeof *p + workers * sizeof p->th[0]);
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
	for (i = 0; i < workers; i++) {
		err = pthread_create(&p->th[i], &attr, worker, p);
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

int eng_pool_submit(struct eng_pool *p, void *tag, const char *alias)
{
	struct eng_pool_req *r = calloc(1, sizeof *r);

	if (!r || !(r->alias = strdup(alias ? alias : ""))) {
		free(r);
		return -ENOMEM;
	}
	r->tag = tag;
	pthread_mutex_lock(&p->mu);
	if (p->todo_tail)
		p->todo_tail->next = r;
	else
		p->todo_head = r;
	p->todo_tail = r;
	pthread_cond_signal(&p->cv);
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
	r = p->done_head;
	p->done_head = p->done_tail = NULL;
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
	for (r = p->done_head; r; r = n) {
		n = r->next;
		eng_pool_req_free(r);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	close(p->efd);
	free(p);
}
