/* eng_publish.h — `uevd -U`: after the daemon has completely handled an
 * event (eng_daemon_cfg.handled), publish it to libudev clients the way
 * systemd-udevd does, in this order so a client that hears the message
 * already finds everything it points at:
 *   1. gather properties (gather_event: ID_FS_*, ID_INPUT*, ID_NET_*...);
 *      block devices are read through their node below ROOT, so one a
 *      rule left out ("!") or moved ("=path") gets no ID_FS_* / links
 *   2. make the /dev/disk/by-* links below the daemon's ROOT (and remove
 *      links an earlier event made that the device no longer has)
 *   3. write the database entry RUNDIR/data/<id> (+ tags/) atomically
 *   4. send the libudev message on netlink group 2
 * A "remove" takes links, properties and tags from the database entry the
 * add wrote (udev sends them with the remove too), removes the links and
 * the entry, then sends.  USEC_INITIALIZED is kept from the first event
 * that wrote the entry.  Replayed events (coldplug -C, resync) carry no
 * SEQNUM: they update links and database but are not sent (every libudev
 * client drops a message without SEQNUM; clients enumerate instead).
 * RUNDIR/control exists from eng_publish_open to eng_publish_close.
 * Never prints: failures go to the log callback as one line each. */
#ifndef UEVBOX_ENG_PUBLISH_H
#define UEVBOX_ENG_PUBLISH_H

#include <stddef.h>

struct eng_publish;

struct eng_publish_cfg {
	const char *rundir;	/* "/run/udev" */
	const char *root;	/* the daemon's ROOT ("/dev"): nodes and links */
	const char *sysfs;	/* "/sys" */
	void (*log)(void *arg, const char *line);
	void *arg;
};

/* Open the run directory (creating data/, tags/), create control, open
 * ROOT and the sending socket.  *out is allocated.  0 or -errno. */
int eng_publish_open(struct eng_publish **out, const struct eng_publish_cfg *cfg);

/* Remove control, close everything, free p (NULL is fine). */
void eng_publish_close(struct eng_publish *p);

/* The eng_daemon_cfg.handled hook: arg is the struct eng_publish, plan
 * the event's plan (its ES_PROP steps, the rules' "+KEY=VALUE", are set
 * over the gatherer's properties), msg the event in kernel wire format. */
struct eng_plan;
void eng_publish_handled(void *arg, const struct eng_plan *plan, const char *msg, size_t len);

/* The same for a parsed event (plan may be NULL); returns 0, or -errno of
 * the first step that failed (later steps still ran where they could). */
struct uevent;
int eng_publish_event(struct eng_publish *p, const struct uevent *ev,
		      const struct eng_plan *plan);

#endif
