/* eng_pool.h — a few worker threads that run MODALIAS steps for the
 * daemon queue (eng_queue.h), so a slow module load never stops the event
 * loop.  Submissions and completions are made by one thread (the loop);
 * workers only run eng_step_run() on a private copy of the step.  An
 * alias that resolves to several modules not loaded yet (a CPU's feature
 * modalias matches a dozen) is split: its modules load on every idle
 * worker, ahead of whole requests, and the request completes with the last.
 * A request submitted as low (a CPU's features, mod_order.h: no device
 * waits for them, and they are the heaviest loads, kvm alone 2 MiB of
 * relocations) loads on threads of its own (ENG_POOL_LOW_WORKERS more) at
 * nice 19: started at once, yet running on the CPU time the device chains
 * leave idle.  A
 * finished request is put on the done list and the eventfd becomes
 * readable: the loop then calls eng_pool_collect().  The caller bounds
 * what is in flight (`workers` device requests and ENG_POOL_LOW_WORKERS
 * low ones: eng_queue does), so the pool needs no queue limit or order of
 * its own.  Never prints, never exits.
 *
 * Thread safety of what workers call: eng_step_run(ES_MODALIAS) reaches
 * only dev_modules_load() -> kmod_load_alias(), whose context is
 * read-only after open (kmod.h; per-call state in kmod_resolve's
 * `struct run`, no static buffers).  Install commands are waited for by
 * pid in the worker, so the loop must reap its own children by pid, never
 * with waitpid(-1) (eng_queue_reap_children does that).
 */
#ifndef UEVBOX_ENG_POOL_H
#define UEVBOX_ENG_POOL_H

#include "eng.h"

struct eng_pool;

/* threads for CPU-feature requests, on top of `workers` */
#define ENG_POOL_LOW_WORKERS 2

struct eng_pool_req {
	struct eng_pool_req *next;
	void *tag;		/* the caller's (eng_queue: its job) */
	char *alias;		/* private copy: no pointer into the caller's data */
	int result;		/* eng_step_run's answer */
	/* inside the pool: a request whose alias matches several modules is
	 * split into parts (one module each, parent set) that any worker
	 * takes; it is done when its last part is */
	struct eng_pool_req *parent;
	int pending;
	int low;		/* a CPU's features: after devices, niced */
};

/* Start `workers` threads (all signals blocked in them) running steps of
 * eng.  0 or -errno (nothing left running on error). */
int eng_pool_start(struct eng_pool **out, const struct engine *eng, unsigned workers);

/* Readable (an eventfd) when requests have finished. */
int eng_pool_fd(const struct eng_pool *p);

/* Hand a MODALIAS load to a worker; low: a CPU's features (mod_order.h),
 * for the low threads.  0 or -ENOMEM. */
int eng_pool_submit(struct eng_pool *p, void *tag, const char *alias, int low);

/* Take every finished request, in completion order (NULL: none yet).
 * Free each with eng_pool_req_free. */
struct eng_pool_req *eng_pool_collect(struct eng_pool *p);
void eng_pool_req_free(struct eng_pool_req *r);

/* Let the workers finish what was submitted (a load in the kernel cannot
 * be interrupted), join them, free everything. */
void eng_pool_stop(struct eng_pool *p);

#endif
