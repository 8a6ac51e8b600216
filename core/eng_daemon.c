/* eng_daemon.c — the daemon loop (see eng_daemon.h for the contract). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "cold.h"
#include "eng.h"
#include "eng_conf.h"
#include "eng_daemon.h"
#include "eng_queue.h"
#include "nl_sock.h"
#include "uev.h"

#define KNOWN_BUCKETS 4096
#define MAX_QUEUED 200000	/* stop reading (the kernel buffers) above this */
#define RECV_BATCH 512
#define QUIET_MS 300		/* resync once the overflow has been quiet this long */
#define RESYNC_MAX_DELAY_MS 5000

/* Devices the daemon believes exist: DEVPATH -> the add event's variables,
 * so a resync can tell which vanished and synthesize their removal. */
struct known {
	struct known *next;
	unsigned gen;
	size_t len;
	char *vars;		/* KEY=VAL\0... */
	char devpath[];
};

struct daemon {
	const struct eng_daemon_cfg *cfg;
	struct rule_set rules;
	struct engine eng;
	struct dev_modules mods;
	struct eng_queue q;
	struct nl_sock nl;
	int sigfd, seqfd;
	uint64_t last_seq, written_seq;
	unsigned long episode_overflows;	/* since the last resync */
	uint64_t episode_lost;		/* SEQNUMs missing since then */
	long long resync_due, resync_first, last_resync;	/* ms, 0 = none */
	unsigned gen;
	struct known *known[KNOWN_BUCKETS];
	int modules_warned;
	unsigned long events, rejected, overflows, resyncs, lost, failed;
	long long last_active;	/* ms: the last event read or load finished */
	char buf[UEV_MAX_VARS * 512 + 4096];	/* one datagram */
	char kbuf[UEV_MAX_VARS * 512 + 4096];	/* its kernel form for -O */
	char rbuf[UEV_MAX_VARS * 512 + 64];	/* a synthesized remove */
};

static void logf_(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct daemon *d, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!d->cfg->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	d->cfg->log(d->cfg->arg, line);
}

/* What the queue holds and waits for, as one log line. */
static void log_queue(struct daemon *d, const char *why)
{
	char line[PATH_MAX + 512];

	eng_queue_describe(&d->q, line, sizeof line);
	logf_(d, "%s: %s", why, line);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int eng_daemon_rules(const struct eng_daemon_cfg *cfg, struct rule_set *rs)
{
	size_t i;
	int r;

	memset(rs, 0, sizeof *rs);
	r = eng_conf_load(rs, cfg->conf, &cfg->ids);
	if (r < 0) {
		if (cfg->log) {
			char line[PATH_MAX + 64];

			snprintf(line, sizeof line, "%s: %s", cfg->conf ? cfg->conf : "(built-in)",
				 strerror(-r));
			cfg->log(cfg->arg, line);
		}
		return r;
	}
	for (i = 0; i < rs->nerrs && cfg->log; i++) {
		char line[PATH_MAX + 256];

		snprintf(line, sizeof line, "%s:%u: %s", rs->errs[i].file, rs->errs[i].line,
			 rs->errs[i].reason);
		cfg->log(cfg->arg, line);
	}
	return r;
}

/* ---- known devices ---- */

static unsigned khash(const char *s)
{
	unsigned h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h % KNOWN_BUCKETS;
}

static struct known **kfind(struct daemon *d, const char *devpath)
{
	struct known **pp = &d->known[khash(devpath)];

	while (*pp && strcmp((*pp)->devpath, devpath))
		pp = &(*pp)->next;
	return pp;
}

/* Remember (add/change/move) or forget (remove) ev. */
static void track(struct daemon *d, const struct uevent *ev)
{
	struct known **pp, *k;
	const char *old = uev_get(ev, "DEVPATH_OLD");
	size_t len = 0, i;

	/* a move (a rename) ends the old DEVPATH's life */
	if (!strcmp(ev->action, "move") && old && (k = *(pp = kfind(d, old)))) {
		*pp = k->next;
		free(k->vars);
		free(k);
	}
	pp = kfind(d, ev->devpath);
	k = *pp;
	if (!strcmp(ev->action, "remove")) {
		if (k) {
			*pp = k->next;
			free(k->vars);
			free(k);
		}
		return;
	}
	if (strcmp(ev->action, "add") && strcmp(ev->action, "move") && !k)
		return;	/* change of a device we never saw added: keep nothing */
	for (i = 0; i < ev->nvars; i++)
		len += strlen(ev->vars[i].key) + 1;
	if (!k) {
		k = calloc(1, sizeof *k + strlen(ev->devpath) + 1);
		if (!k)
			return;
		strcpy(k->devpath, ev->devpath);
		k->next = *pp;
		*pp = k;
	}
	free(k->vars);
	k->vars = malloc(len ? len : 1);
	k->len = 0;
	if (!k->vars)
		return;
	for (i = 0; i < ev->nvars; i++) {
		size_t n = strlen(ev->vars[i].key) + 1;	/* "KEY=VAL" + NUL */

		memcpy(k->vars + k->len, ev->vars[i].key, n);
		k->len += n;
	}
	k->gen = d->gen;
}

/* ---- handling one event ---- */

/* ev in kernel wire format (for -O), into out; returns the length. */
static size_t kernel_format(const struct uevent *ev, char *out, size_t size)
{
	size_t n, i;
	int h = snprintf(out, size, "%s@%s", ev->action, ev->devpath);

	if (h < 0 || (size_t)h >= size)
		return 0;
	n = (size_t)h + 1;
	for (i = 0; i < ev->nvars; i++) {
		size_t l = strlen(ev->vars[i].key) + 1;

		if (n + l > size)
			return 0;
		memcpy(out + n, ev->vars[i].key, l);
		n += l;
	}
	return n;
}

static void step_cb(void *arg, const struct eng_plan *p, const struct eng_step *s, int r)
{
	struct daemon *d = arg;
	char line[PATH_MAX + 256];

	if (s->kind == ES_MODALIAS && r == -ENOSYS) {
		/* no index, or an index but a kernel without module support */
		if (!d->modules_warned)
			logf_(d, "%s %s: module loading unavailable (%s): MODALIAS events load nothing",
			      p->action, p->devpath,
			      d->mods.ctx ? "the kernel has no module support" :
			      dev_modules_why(&d->mods));
		d->modules_warned = 1;
		return;
	}
	/* a driver that finds nothing to drive (a CPU-frequency driver on
	 * another vendor's CPU, EDAC without the hardware) answers ENODEV:
	 * said, but not a failure of the device manager */
	if ((r < 0 && !(s->kind == ES_MODALIAS && (r == -ENODEV || r == -ENXIO || r == -EBUSY))) ||
	    (s->kind == ES_CMD && r))
		d->failed++;
	if (!r && !d->cfg->verbose)
		return;
	if (r >= 0 && s->kind != ES_CMD && !d->cfg->verbose)
		return;
	eng_step_str(s, line, sizeof line);
	if (r < 0)
		logf_(d, "%s %s: %s: %s", p->action, p->devpath, line, strerror(-r));
	else if (s->kind == ES_CMD && r)
		logf_(d, "%s %s: %s: exit status %d", p->action, p->devpath, line, r - 256);
	else
		logf_(d, "%s %s: %s: ok", p->action, p->devpath, line);
}

static void done_cb(void *arg, const struct eng_plan *p, const char *dgram, size_t len)
{
	struct daemon *d = arg;
	ssize_t r;

	if (!dgram || !len)
		return;
	if (d->cfg->handled)
		d->cfg->handled(d->cfg->arg, p, dgram, len);
	if (!d->cfg->republish)
		return;
	r = nl_send(&d->nl, dgram, len, 0, d->cfg->republish);
	if (r < 0 && d->cfg->verbose)
		logf_(d, "republish %s: %s", p->devpath, strerror((int)-r));
}

static void handle(struct daemon *d, const struct uevent *ev)
{
	char *kbuf = d->kbuf;
	struct eng_plan *p;
	unsigned unsafe = 0, i;
	size_t klen;
	int r;

	d->events++;
	track(d, ev);
	r = eng_plan(&d->eng, ev, &p, &unsafe);
	if (r < 0) {
		logf_(d, "%s %s: %s", ev->action, ev->devpath, strerror(-r));
		return;
	}
	if (unsafe)
		logf_(d, "%s %s: %u unsafe name(s) refused", ev->action, ev->devpath, unsafe);
	if (d->cfg->dry) {
		char line[PATH_MAX + 256], out[PATH_MAX + 400];

		for (i = 0; i < p->nsteps; i++) {
			eng_step_describe(&d->eng, &p->steps[i], line, sizeof line);
			snprintf(out, sizeof out, "%s %s: %s", ev->action, ev->devpath, line);
			if (d->cfg->out)
				d->cfg->out(d->cfg->arg, out);
		}
		eng_plan_free(p);
		return;
	}
	klen = d->cfg->republish || d->cfg->handled ? kernel_format(ev, kbuf, sizeof d->kbuf) : 0;
	if (eng_queue_push(&d->q, p, klen ? kbuf : NULL, klen) < 0)
		logf_(d, "%s %s: out of memory", ev->action, ev->devpath);
}

/* ---- resync ---- */

static void read_socket(struct daemon *d, int limit);

static int replay_cb(void *arg, const struct uevent *ev, const char *buf, size_t len)
{
	struct daemon *d = arg;
	struct known *k;

	handle(d, ev);
	k = *kfind(d, ev->devpath);
	if (k)
		k->gen = d->gen;
	/* keep the module workers fed while the walk goes on: a finished
	 * load hands its worker to the next device now, not after the walk;
	 * and take the devices loads made appear now (a PCI driver's virtio
	 * or USB children), not after a walk that may take a second */
	eng_queue_pool_done(&d->q);
	read_socket(d, 64);
	return 0;
}

static void resync(struct daemon *d)
{
	char *rbuf = d->rbuf;
	unsigned skipped = 0, gone = 0, i;
	struct uevent ev;
	int r;

	d->resyncs++;
	/* events already queued in the socket are older than the walk: take
	 * them first, so the walk's view is the newest */
	read_socket(d, 1 << 30);
	d->gen++;
	r = cold_replay(d->cfg->sysfs, replay_cb, d, &skipped);
	if (r < 0)
		logf_(d, "resync: %s: %s", d->cfg->sysfs, strerror(-r));
	for (i = 0; i < KNOWN_BUCKETS; i++) {
		struct known *k = d->known[i], *next;

		for (; k; k = next) {
			size_t n = 0, off;

			next = k->next;
			if (k->gen == d->gen)
				continue;
			/* gone while we were not looking: the remove we missed */
			memcpy(rbuf, "ACTION=remove", 14);
			n = 14;
			for (off = 0; off < k->len;) {
				const char *v = k->vars + off;
				size_t l = strlen(v) + 1;

				off += l;
				if (!strncmp(v, "ACTION=", 7) || !strncmp(v, "SEQNUM=", 7))
					continue;
				if (n + l > sizeof d->rbuf)
					break;
				memcpy(rbuf + n, v, l);
				n += l;
			}
			if (uev_parse_vars(&ev, rbuf, n) == UEV_OK) {
				handle(d, &ev);	/* frees k via track() */
				gone++;
			}
		}
	}
	logf_(d, "resync after %lu overflow(s), up to %llu event(s) lost by SEQNUM gaps "
		 "(other namespaces share the counter): replayed %s, %u device(s) gone since",
	      d->episode_overflows, (unsigned long long)d->episode_lost, d->cfg->sysfs, gone);
	d->lost += d->episode_lost;
	d->episode_overflows = 0;
	d->episode_lost = 0;
	d->last_resync = now_ms();
	d->resync_due = d->resync_first = 0;
}

/* ---- the socket ---- */

static void overflow(struct daemon *d)
{
	long long t = now_ms(), gap;

	d->overflows++;
	d->episode_overflows++;
	if (!d->resync_first)
		d->resync_first = t;
	/* wait for quiet, but not forever, and never more often than resync_ms */
	d->resync_due = t + QUIET_MS;
	if (d->resync_due > d->resync_first + RESYNC_MAX_DELAY_MS)
		d->resync_due = d->resync_first + RESYNC_MAX_DELAY_MS;
	gap = d->cfg->resync_ms ? d->cfg->resync_ms : 2000;
	if (d->last_resync && d->resync_due < d->last_resync + gap)
		d->resync_due = d->last_resync + gap;
}

static void read_socket(struct daemon *d, int limit)
{
	struct nl_from from;
	struct uevent ev;
	int n;

	for (n = 0; n < limit; n++) {
		ssize_t len;
		int r;

		if (d->q.njobs > MAX_QUEUED)
			return;
		len = nl_recv(&d->nl, d->buf, sizeof d->buf, &from);
		if (len == -EAGAIN)
			return;
		if (len == -ENOBUFS) {
			if (!d->resync_due)
				logf_(d, "receive buffer overflow: the kernel dropped events; "
					 "resync scheduled");
			overflow(d);
			continue;
		}
		if (len < 0) {
			d->rejected++;
			if (d->cfg->verbose)
				logf_(d, "receive: %s", strerror((int)-len));
			if (len != -EMSGSIZE)
				return;
			continue;
		}
		r = uev_classify(&ev, d->buf, (size_t)len, &from);
		if (r != UEV_OK) {
			d->rejected++;
			if (d->cfg->verbose)
				logf_(d, "rejected message: %s", uev_reason_str(r));
			continue;
		}
		if (ev.source != UEV_SRC_KERNEL)
			continue;
		/* a SEQNUM gap means loss only while an overflow is pending:
		 * otherwise it is events of other network namespaces */
		if (d->resync_due && d->last_seq && ev.seqnum > d->last_seq + 1)
			d->episode_lost += ev.seqnum - d->last_seq - 1;
		if (ev.seqnum > d->last_seq)
			d->last_seq = ev.seqnum;
		if (d->cfg->verbose)
			logf_(d, "event %llu %s %s (%s)", (unsigned long long)ev.seqnum, ev.action,
			      ev.devpath, ev.subsystem);
		handle(d, &ev);
	}
}

static void write_settled(struct daemon *d)
{
	uint64_t s;
	char b[32];
	int n;

	if (d->seqfd < 0)
		return;
	/* nothing queued: everything read so far is handled */
	s = d->q.njobs ? eng_queue_settled(&d->q) : d->last_seq;
	if (s == d->written_seq)
		return;
	n = snprintf(b, sizeof b, "%llu\n", (unsigned long long)s);
	if (pwrite(d->seqfd, b, (size_t)n, 0) == n && ftruncate(d->seqfd, n) == 0)
		d->written_seq = s;
}

static void reap(struct daemon *d)
{
	/* by pid, not waitpid(-1): module workers wait for their own
	 * install commands */
	eng_queue_reap_children(&d->q);
}

static void reload(struct daemon *d)
{
	struct rule_set rs;
	int r = eng_daemon_rules(d->cfg, &rs);

	if (r != 0) {
		logf_(d, "SIGHUP: config has %s; keeping the old rules",
		      r < 0 ? "no readable file" : "errors");
		rule_free(&rs);
		return;
	}
	rule_free(&d->rules);
	d->rules = rs;
	logf_(d, "SIGHUP: reloaded %zu rule(s)", d->rules.n);
}

int eng_daemon_run(const struct eng_daemon_cfg *cfg)
{
	struct eng_queue_ops ops = { step_cb, done_cb, NULL };
	struct daemon *d;
	sigset_t set;
	int r, term = 0, timed_out = 0;
	long long term_at = 0, started = now_ms();

	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->cfg = cfg;
	d->sigfd = d->seqfd = -1;
	d->nl.fd = -1;
	d->eng.root.fd = -1;
	ops.arg = d;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (d->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		r = -errno;
		goto out;
	}
	/* the socket first: nothing that happens during coldplug is missed */
	r = nl_open(&d->nl, NETLINK_KOBJECT_UEVENT, 1u << (UEV_GROUP_KERNEL - 1), NL_NONBLOCK);
	if (r < 0)
		goto out;
	r = nl_set_rcvbuf(&d->nl, cfg->rcvbuf ? cfg->rcvbuf : ENG_DEFAULT_RCVBUF);
	if (r < 0)
		goto out;
	if (cfg->verbose)
		logf_(d, "receive buffer %d bytes", r);
	nl_set_passcred(&d->nl, 1);

	if (eng_daemon_rules(cfg, &d->rules) < 0) {
		r = -ENOENT;
		goto out;
	}
	r = dev_root_open(&d->eng.root, cfg->root);
	if (r < 0) {
		logf_(d, "%s: %s", cfg->root, strerror(-r));
		goto out;
	}
	dev_modules_open(&d->mods, cfg->moddir);
	d->eng.rules = &d->rules;
	d->eng.sysfs = cfg->sysfs;
	d->eng.fwdir = cfg->fwdir;
	d->eng.mods = &d->mods;
	r = eng_queue_init(&d->q, &d->eng, cfg->max_children ? cfg->max_children : 8, &ops);
	if (r < 0)
		goto out;
	/* module loads on worker threads, when there is anything to load
	 * (without an index every load answers -ENOSYS at once) */
	if (!cfg->dry && d->mods.ctx) {
		unsigned w = cfg->module_workers ? cfg->module_workers : ENG_DEFAULT_MODULE_WORKERS;
		int pr = eng_queue_pool(&d->q, w);

		if (pr < 0)
			logf_(d, "module workers: %s; loading modules inline", strerror(-pr));
		else if (cfg->verbose)
			logf_(d, "%u module worker(s)", w);
	}
	if (!cfg->dry && !cfg->idle_exit_ms) {	/* nobody settles on a coldplug -R */
		d->seqfd = openat(d->eng.root.fd, ENG_SEQ_FILE,
				  O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (d->seqfd < 0)
			logf_(d, "%s/%s: %s (coldplug -w cannot settle)", cfg->root, ENG_SEQ_FILE,
			      strerror(errno));
		else
			write_settled(d);
	}
	if (cfg->coldplug) {
		unsigned skipped = 0;

		d->gen++;
		r = cold_replay(cfg->sysfs, replay_cb, d, &skipped);
		if (r < 0)
			logf_(d, "coldplug: %s: %s", cfg->sysfs, strerror(-r));
	}
	d->last_active = now_ms();
	if (cfg->ready_fd >= 0) {
		if (write(cfg->ready_fd, "\n", 1) != 1)
			logf_(d, "readiness fd %d: %s", cfg->ready_fd, strerror(errno));
		close(cfg->ready_fd);
	}

	for (;;) {
		/* the socket last: it is left out while exiting or full */
		struct pollfd pfd[3] = { { d->sigfd, POLLIN, 0 },
					 { eng_queue_pool_fd(&d->q), POLLIN, 0 },
					 { d->nl.fd, POLLIN, 0 } };
		long long t = now_ms();
		int timeout = -1, n;

		if (d->resync_due) {
			if (t >= d->resync_due) {
				resync(d);
				write_settled(d);
				continue;
			}
			timeout = (int)(d->resync_due - t);
		}
		if (d->cfg->max_ms && !term && t >= started + d->cfg->max_ms) {
			char why[64];

			snprintf(why, sizeof why, "giving up after %u ms", d->cfg->max_ms);
			log_queue(d, why);
			timed_out = 1;
			break;
		}
		if (d->cfg->max_ms && (timeout < 0 || started + d->cfg->max_ms - t < timeout))
			timeout = (int)(started + d->cfg->max_ms - t);
		if (d->cfg->idle_exit_ms && !term && !d->q.njobs && !eng_queue_busy(&d->q)) {
			long long left = d->last_active + d->cfg->idle_exit_ms - t;

			if (left <= 0)
				break;	/* coldplug -R: all done, nothing new came */
			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		if (term) {
			/* commands get until term_at; module loads cannot be
			 * interrupted, eng_queue_free waits for them */
			if (!eng_queue_busy(&d->q) || t >= term_at)
				break;
			timeout = 100;
		}
		n = poll(pfd, (term || d->q.njobs > MAX_QUEUED) ? 2 : 3, timeout);
		if (n < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(d->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
				if (si.ssi_signo == SIGCHLD)
					reap(d);
				else if (si.ssi_signo == SIGHUP)
					reload(d);
				else if (si.ssi_signo == SIGUSR1)
					log_queue(d, "SIGUSR1");
				else if ((si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) && !term) {
					term = 1;
					term_at = now_ms() + 5000;	/* let running commands end */
				}
			}
		}
		if (n > 0 && (pfd[1].revents & POLLIN) && eng_queue_pool_done(&d->q))
			d->last_active = now_ms();
		if (!term && n > 0 && (pfd[2].revents & POLLIN)) {
			read_socket(d, RECV_BATCH);
			d->last_active = now_ms();
		}
		write_settled(d);
	}
	if (d->q.mod_running)
		logf_(d, "exiting: waiting for %u module load(s) in flight", d->q.mod_running);
	if (!cfg->idle_exit_ms)
		logf_(d, "exiting: %lu event(s), %lu rejected, %lu overflow(s), %lu resync(s), "
			 "%llu command(s), %llu module load(s) on workers", d->events, d->rejected,
		      d->overflows, d->resyncs, (unsigned long long)d->q.spawned,
		      (unsigned long long)d->q.mod_started);
	if (cfg->stats) {
		cfg->stats->events = d->events;
		cfg->stats->failed = d->failed;
		cfg->stats->timed_out = timed_out;
		cfg->stats->loads = d->q.mod_started;
	}
	r = 0;
out:
	if (d->q.slots)
		eng_queue_free(&d->q);	/* joins module workers first */
	dev_modules_close(&d->mods);
	rule_free(&d->rules);
	dev_root_close(&d->eng.root);
	if (d->seqfd >= 0)
		close(d->seqfd);
	if (d->nl.fd >= 0)
		nl_close(&d->nl);
	if (d->sigfd >= 0)
		close(d->sigfd);
	{
		unsigned i;

		for (i = 0; i < KNOWN_BUCKETS; i++)
			while (d->known[i]) {
				struct known *k = d->known[i];

				d->known[i] = k->next;
				free(k->vars);
				free(k);
			}
	}
	free(d);
	return r;
}
