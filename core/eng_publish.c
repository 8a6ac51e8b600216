/* eng_publish.c — uevd -U: gather, links, database, group 2 (see
 * eng_publish.h for the contract and the order). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "eng.h"
#include "eng_publish.h"
#include "gather.gen.h"
#include "gather.h"
#include "nl_sock.h"
#include "udev_db.h"
#include "udev_pub.h"
#include "uev.h"
#ifdef GATHER_HAVE_disk_links
#include "disk_links.h"
#endif

#define OLD_LINKS_MAX 16
#define OLD_TAGS_MAX 16

/* What the database entry of a device said before this event. */
struct old_entry {
	char text[UDEV_DB_FILE_MAX];
	uint64_t usec;
	size_t nlinks, ntags;
	const char *links[OLD_LINKS_MAX];	/* S: lines, below /dev */
	const char *tags[OLD_TAGS_MAX];		/* G: lines */
	struct uprops props;			/* E: lines */
};

struct eng_publish {
	struct eng_publish_cfg cfg;
	struct udev_db db;
	struct nl_sock nl;
	int rootfd;
	struct uevent ev;
	struct gather_out g;
	struct old_entry old;
	struct uprops msg;
};

static void plog(struct eng_publish *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void plog(struct eng_publish *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!p->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	p->cfg.log(p->cfg.arg, line);
}

int eng_publish_open(struct eng_publish **out, const struct eng_publish_cfg *cfg)
{
	struct eng_publish *p = calloc(1, sizeof *p);
	int r;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	p->cfg = *cfg;
	p->nl.fd = -1;
	p->db.dirfd = -1;
	p->rootfd = open(cfg->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->rootfd < 0) {
		r = -errno;
		goto fail;
	}
	/* a socket of our own, bound to no group: it only sends */
	if ((r = nl_open(&p->nl, NETLINK_KOBJECT_UEVENT, 0, NL_NONBLOCK)) < 0 ||
	    (r = udev_db_open(&p->db, cfg->rundir)) < 0 ||
	    (r = udev_db_set_running(&p->db, 1)) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	eng_publish_close(p);
	return r;
}

void eng_publish_close(struct eng_publish *p)
{
	if (!p)
		return;
	if (p->db.dirfd >= 0) {
		udev_db_set_running(&p->db, 0);
		udev_db_close(&p->db);
	}
	if (p->nl.fd >= 0)
		nl_close(&p->nl);
	if (p->rootfd >= 0)
		close(p->rootfd);
	free(p);
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Split the old data file into links, tags, properties and I:. */
static void parse_old(struct old_entry *o)
{
	char *line, *save = NULL;

	o->usec = 0;
	o->nlinks = o->ntags = 0;
	uprops_init(&o->props);
	for (line = strtok_r(o->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq;

		if (!strncmp(line, "S:", 2) && line[2] && o->nlinks < OLD_LINKS_MAX)
			o->links[o->nlinks++] = line + 2;
		else if (!strncmp(line, "G:", 2) && line[2] && o->ntags < OLD_TAGS_MAX)
			o->tags[o->ntags++] = line + 2;
		else if (!strncmp(line, "I:", 2))
			o->usec = strtoull(line + 2, NULL, 10);
		else if (!strncmp(line, "E:", 2) && (eq = strchr(line + 2, '=')) && eq > line + 2) {
			*eq = '\0';
			uprops_set(&o->props, line + 2, eq + 1);	/* a bad line is skipped */
			*eq = '=';
		}
	}
}

/* Make (add) or remove the n links below ROOT pointing at devname. */
static int links_apply(struct eng_publish *p, const char *const *links, size_t n,
		       const char *devname, int add)
{
#ifdef GATHER_HAVE_disk_links
	struct disk_links l;
	size_t i;

	l.n = 0;
	for (i = 0; i < n && l.n < DISK_LINKS_MAX; i++) {
		/* only names the gatherer makes: a database line cannot
		 * send us elsewhere below ROOT */
		if (strncmp(links[i], "disk/", 5) || !uev_path_ok(links[i], 0) ||
		    strlen(links[i]) >= DISK_LINK_LEN)
			continue;
		strcpy(l.name[l.n++], links[i]);
	}
	return l.n ? disk_links_apply(p->rootfd, &l, devname, add) : 0;
#else
	(void)p; (void)links; (void)n; (void)devname; (void)add;
	return 0;
#endif
}

static int in_list(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return 1;
	return 0;
}

int eng_publish_event(struct eng_publish *p, const struct uevent *ev,
		      const struct eng_plan *plan)
{
	struct udev_pub pub;
	struct old_entry *o = &p->old;
	char id[300];
	int first = 0, r, remove = !strcmp(ev->action, "remove");
	const char *devname = ev->devname;
	size_t i;

#define STEP(what, expr) do { \
		int r_ = (expr); \
		if (r_ < 0) { \
			plog(p, "%s %s: %s: %s", ev->action, ev->devpath, what, strerror(-r_)); \
			if (!first) \
				first = r_; \
		} \
	} while (0)

	memset(&pub, 0, sizeof pub);
	pub.ev = ev;
	r = udev_pub_db_id(id, sizeof id, ev);
	if (r < 0) {
		plog(p, "%s %s: no database id: %s", ev->action, ev->devpath, strerror(-r));
		return r;
	}
	STEP("read database", udev_db_read(&p->db, id, o->text, sizeof o->text));
	parse_old(o);
	if (devname && !uev_path_ok(devname, 0))
		devname = NULL;

	if (remove) {
		/* what the add published goes out with the remove */
		pub.props = &o->props;
		pub.links = o->links;
		pub.nlinks = o->nlinks;
		pub.tags = o->tags;
		pub.ntags = o->ntags;
		pub.usec_initialized = o->usec;
		if (devname)
			STEP("remove links", links_apply(p, o->links, o->nlinks, devname, 0));
		STEP("database", udev_pub_db(&p->db, &pub));
	} else {
		struct gather_ctx gc = { p->cfg.sysfs, p->cfg.root };

		/* ENOENT: no node below ROOT (a "!" or "=" rule, or the
		 * device is already gone): nothing to probe, publish the rest */
		r = gather_event(&gc, ev, &p->g);
		if (r == -ENOENT) {
			uprops_init(&p->g.props);
			p->g.nlinks = p->g.ntags = 0;
		} else
			STEP("gather", r);
		/* the rules' properties, over the gatherer's */
		for (i = 0; plan && i < plan->nsteps; i++)
			if (plan->steps[i].kind == ES_PROP)
				STEP("rule property", uprops_set(&p->g.props, plan->steps[i].path,
								 plan->steps[i].target));
		pub.props = &p->g.props;
		pub.links = p->g.link_ptr;
		pub.nlinks = p->g.nlinks;
		pub.tags = p->g.tags;
		pub.ntags = p->g.ntags;
		pub.usec_initialized = o->usec ? o->usec : now_usec();
		if (devname) {
			/* links the device had and has no more (a new label) */
			const char *stale[OLD_LINKS_MAX];
			size_t ns = 0;

			for (i = 0; i < o->nlinks; i++)
				if (!in_list(o->links[i], pub.links, pub.nlinks))
					stale[ns++] = o->links[i];
			STEP("remove links", links_apply(p, stale, ns, devname, 0));
			STEP("links", links_apply(p, pub.links, pub.nlinks, devname, 1));
		}
		STEP("database", udev_pub_db(&p->db, &pub));
	}
	if (ev->seqnum) {
		ssize_t n;

		r = udev_pub_props(&p->msg, &pub);
		if (r < 0)
			STEP("message", r);
		else if ((n = udev_pub_send(&p->nl, &p->msg)) < 0)
			STEP("send", (int)n);
	}
#undef STEP
	return first;
}

void eng_publish_handled(void *arg, const struct eng_plan *plan, const char *msg, size_t len)
{
	struct eng_publish *p = arg;
	const char *nul = memchr(msg, '\0', len);
	int r;

	/* "ACTION@DEVPATH\0" then the variables; replayed events have no
	 * SEQNUM, which the variables parser allows */
	if (!nul)
		return;
	r = uev_parse_vars(&p->ev, nul + 1, len - (size_t)(nul + 1 - msg));
	if (r != UEV_OK) {
		plog(p, "publish: cannot parse a handled event: %s", uev_reason_str(r));
		return;
	}
	eng_publish_event(p, &p->ev, plan);
}
