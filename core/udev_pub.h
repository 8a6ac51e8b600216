/* udev_pub.h — publishing a handled device event to libudev clients, the
 * step after the node is made and the gatherer ran: the properties a
 * client sees (on netlink group 2 and through the database), the
 * database entry, the send.  Never prints; >= 0 or -errno.
 *
 * What clients get, as systemd-udevd gives it (sd-device: device_amend,
 * device_properties_prepare): the kernel's variables with DEVNAME made
 * absolute ("/dev/sda"), USEC_INITIALIZED, the gathered ID_* and rule
 * properties, DEVLINKS ("/dev/a /dev/b"), TAGS and CURRENT_TAGS
 * (":a:b:").  Unlike systemd-udevd, a kernel value's trailing newline
 * (hdaudio's MODALIAS) is dropped and a value with an inner newline is
 * left out: the property list is newline-free. */
#ifndef UEVBOX_UDEV_PUB_H
#define UEVBOX_UDEV_PUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "udev_db.h"
#include "udev_props.h"
#include "uev.h"

struct udev_pub {
	const struct uevent *ev;	/* the kernel event, as parsed */
	const struct uprops *props;	/* gathered + rules (ID_*...); may be NULL */
	const char *const *links;	/* below /dev: "disk/by-uuid/…" */
	size_t nlinks;
	const char *const *tags;
	size_t ntags;
	uint64_t usec_initialized;	/* CLOCK_MONOTONIC µs of the first add */
};

/* The properties of the message, in that order.  Returns 0, -EINVAL (no
 * ACTION/DEVPATH/SUBSYSTEM/SEQNUM) or -ENOSPC. */
int udev_pub_props(struct uprops *out, const struct udev_pub *p);

/* data/<id> id of the event's device (udev_db_id() from MAJOR/MINOR,
 * IFINDEX, SUBSYSTEM, DEVPATH). */
int udev_pub_db_id(char *buf, size_t size, const struct uevent *ev);

/* "remove": drop the device's entry and tags; anything else: write them. */
int udev_pub_db(struct udev_db *db, const struct udev_pub *p);

/* Encode props and send them to group 2 on s (a NETLINK_KOBJECT_UEVENT
 * socket).  Clients drop messages whose sender uid is not 0, so this only
 * reaches them when we run as root.  Returns the length sent or -errno. */
ssize_t udev_pub_send(struct nl_sock *s, const struct uprops *props);

#endif
