/* udev_props.h — a bounded property list: "KEY=VAL\0KEY=VAL\0..." in one
 * fixed buffer, the shape both the libudev wire format and the udev
 * database carry.  Keys are unique (set replaces); order is insertion
 * order, which is the order a client sees.  No allocation, never prints. */
#ifndef UEVBOX_UDEV_PROPS_H
#define UEVBOX_UDEV_PROPS_H

#include <stddef.h>

/* 8192 is the receive buffer of sd-device's monitor, header included
 * (src/libsystemd/sd-device/device-monitor.c: device_monitor_receive_device):
 * a longer datagram is truncated and dropped by every libudev client. */
#define UPROPS_MAX 8192

struct uprops {
	size_t len;		/* bytes used in buf, each entry NUL-terminated */
	char buf[UPROPS_MAX];
};

void uprops_init(struct uprops *p);

/* Set KEY to VAL (replacing an older value).  Keys must be non-empty and
 * contain no '=' or NUL; values no NUL or newline (a newline would split a
 * udev database line).  Returns 0, -EINVAL, or -ENOSPC (p unchanged). */
int uprops_set(struct uprops *p, const char *key, const char *val);
/* Same with a value of vlen bytes (not NUL-terminated). */
int uprops_setn(struct uprops *p, const char *key, const char *val, size_t vlen);

/* Value of KEY or NULL; points into p. */
const char *uprops_get(const struct uprops *p, const char *key);

/* Remove KEY; returns 1 if it was there, 0 if not. */
int uprops_del(struct uprops *p, const char *key);

/* Iterate: start with *pos = 0; returns the next "KEY=VAL" entry or NULL. */
const char *uprops_next(const struct uprops *p, size_t *pos);

/* Set KEY to the n strings of list joined by sep; with wrap, sep also
 * before the first and after the last (udev's TAGS=":a:b:").  n == 0
 * removes KEY.  Returns 0 or -EINVAL / -ENOSPC. */
int uprops_set_list(struct uprops *p, const char *key, const char *const *list,
		    size_t n, char sep, int wrap);

#endif
