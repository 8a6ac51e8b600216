/* uev.h — uevent messages: who may send them and what they say.
 *
 * The classifier is pure (bytes + sender in, verdict out) so unit tests and
 * the fuzzer drive it without root.  A parsed event points into the
 * caller's buffer (zero copy); keep the buffer alive while using it.
 *
 * Formats (kernel: lib/kobject_uevent.c):
 *   kernel   "ACTION@DEVPATH\0KEY=VAL\0KEY=VAL\0..."       group 1
 *   libudev  "libudev\0" + 0xfeedcafe header, then KEY=VAL\0...  group 2
 *   vars     "KEY=VAL\0..." only (a sysfs uevent file, mdev's environment)
 */
#ifndef UEVBOX_UEV_H
#define UEVBOX_UEV_H

#include <stddef.h>
#include <stdint.h>

#include "nl_sock.h"

#define UEV_MAX_VARS 64
#define UEV_GROUP_KERNEL 1
#define UEV_GROUP_LIBUDEV 2

enum uev_source { UEV_SRC_KERNEL = 1, UEV_SRC_LIBUDEV, UEV_SRC_VARS };

/* Why a message was rejected.  UEV_OK is 0; the rest index uev_reason_str()
 * and make a counter array of UEV_NREASONS. */
enum uev_reason {
	UEV_OK = 0,
	UEV_E_SENDER_PORTID,	/* not from the kernel (portid != 0) */
	UEV_E_SENDER_GROUP,	/* not multicast to the expected group */
	UEV_E_SENDER_UID,	/* credentials present and uid != 0 */
	UEV_E_EMPTY,		/* zero-length datagram */
	UEV_E_TRUNCATED,	/* shorter than its header claims / cut off */
	UEV_E_NO_NUL,		/* last byte is not NUL */
	UEV_E_HEADER,		/* no "ACTION@/DEVPATH" header */
	UEV_E_HEADER_MISMATCH,	/* header differs from ACTION/DEVPATH vars */
	UEV_E_LIBUDEV_MAGIC,	/* libudev prefix with a bad magic/offsets */
	UEV_E_MISSING_KEY,	/* ACTION, DEVPATH, SUBSYSTEM or SEQNUM absent */
	UEV_E_DUP_KEY,		/* a required key given twice */
	UEV_E_SEQNUM,		/* SEQNUM not a decimal u64 */
	UEV_E_BAD_KEY,		/* key not [A-Z0-9_]+ or no '=' */
	UEV_E_TOO_MANY,		/* more than UEV_MAX_VARS variables */
	UEV_E_BAD_PATH,		/* DEVPATH/DEVNAME: "..", "//", control chars,
				   absolute DEVNAME, DEVPATH not absolute */
	UEV_E_EMPTY_VALUE,	/* a required key with an empty value */
	UEV_NREASONS
};

struct uev_var {
	const char *key;	/* not NUL-terminated at '=' : use klen */
	size_t klen;
	const char *val;	/* NUL-terminated */
};

struct uevent {
	enum uev_source source;
	const char *action;
	const char *devpath;
	const char *subsystem;
	const char *devtype;	/* NULL if absent */
	const char *devname;	/* NULL if absent */
	uint64_t seqnum;	/* 0 when absent (allowed for UEV_SRC_VARS) */
	unsigned nvars;
	struct uev_var vars[UEV_MAX_VARS];
};

/* Sender check for a datagram on the uevent socket: kernel events must come
 * from portid 0 on group 1; libudev ones (group 2) from any portid, but
 * with uid 0 credentials when present.  Returns UEV_OK or a reason. */
int uev_check_sender(const struct nl_from *from, enum uev_source expect);

/* Parse a datagram of either wire format into ev.  Returns UEV_OK or a
 * reason.  Does not check the sender: uev_classify does both. */
int uev_parse(struct uevent *ev, const char *buf, size_t len);
int uev_parse_kernel(struct uevent *ev, const char *buf, size_t len);
int uev_parse_libudev(struct uevent *ev, const char *buf, size_t len);
/* KEY=VAL\0... with no header; ACTION, DEVPATH, SUBSYSTEM required,
 * SEQNUM optional (0 if absent). */
int uev_parse_vars(struct uevent *ev, const char *buf, size_t len);

/* Sender check, then uev_parse; a kernel message must arrive from the
 * kernel, a libudev one from uid 0. */
int uev_classify(struct uevent *ev, const char *buf, size_t len,
		 const struct nl_from *from);

/* Append "KEY=VAL\0" to buf (capacity size, current length *len): for
 * building UEV_SRC_VARS messages from a uevent file or the environment.
 * Returns 0 or -ENOSPC (buf unchanged). */
int uev_buf_add(char *buf, size_t size, size_t *len, const char *key, const char *val);

/* Value of KEY, or NULL. */
const char *uev_get(const struct uevent *ev, const char *key);

/* Is s safe to become a path below a root?  For DEVPATH (must start
 * with '/') and DEVNAME (must not): no "..", no "//", no control chars. */
int uev_path_ok(const char *s, int absolute);

const char *uev_reason_str(int reason);

#endif
