/* uev.c — the uevent classifier: sender checks and parsing of the kernel
 * and libudev wire formats into struct uevent.  Pure: no syscalls, so the
 * unit tests and the fuzzer drive it with byte-exact datagrams.
 *
 * What it promises: an event that returns UEV_OK has ACTION, DEVPATH,
 * SUBSYSTEM (and SEQNUM unless UEV_SRC_VARS), no duplicated required key,
 * at most UEV_MAX_VARS variables, keys of [A-Z0-9_] (libudev: also a-z
 * and '.'), and a DEVPATH and DEVNAME that are safe to turn into paths
 * below a root (DEVNAME relative, but absolute in libudev messages). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "uev.h"

static const char *const reasons[UEV_NREASONS] = {
	[UEV_OK] = "ok",
	[UEV_E_SENDER_PORTID] = "sender is not the kernel (portid != 0)",
	[UEV_E_SENDER_GROUP] = "not multicast to the uevent group",
	[UEV_E_SENDER_UID] = "sender uid is not 0",
	[UEV_E_EMPTY] = "empty message",
	[UEV_E_TRUNCATED] = "truncated message",
	[UEV_E_NO_NUL] = "message does not end with NUL",
	[UEV_E_HEADER] = "no ACTION@DEVPATH header",
	[UEV_E_HEADER_MISMATCH] = "header does not match ACTION/DEVPATH",
	[UEV_E_LIBUDEV_MAGIC] = "bad libudev header",
	[UEV_E_MISSING_KEY] = "missing ACTION, DEVPATH, SUBSYSTEM or SEQNUM",
	[UEV_E_DUP_KEY] = "duplicated required key",
	[UEV_E_SEQNUM] = "SEQNUM is not a decimal number",
	[UEV_E_BAD_KEY] = "malformed KEY=VALUE",
	[UEV_E_TOO_MANY] = "too many variables",
	[UEV_E_BAD_PATH] = "unsafe DEVPATH or DEVNAME",
	[UEV_E_EMPTY_VALUE] = "required key with empty value",
};

const char *uev_reason_str(int reason)
{
	if (reason < 0 || reason >= UEV_NREASONS)
		return "unknown reason";
	return reasons[reason];
}

int uev_check_sender(const struct nl_from *from, enum uev_source expect)
{
	/* kernel: lib/kobject_uevent.c:uevent_net_broadcast sends from portid
	 * 0 to group 1.  Anything else on group 1 is a userspace process
	 * with CAP_NET_ADMIN in this netns pretending to be the kernel. */
	if (expect == UEV_SRC_KERNEL) {
		if (from->portid != 0)
			return UEV_E_SENDER_PORTID;
		if (from->groups != 1u << (UEV_GROUP_KERNEL - 1))
			return UEV_E_SENDER_GROUP;
	} else if (expect == UEV_SRC_LIBUDEV) {
		if (from->groups == 0)
			return UEV_E_SENDER_GROUP;
	}
	if (from->has_cred && from->uid != 0)
		return UEV_E_SENDER_UID;
	return UEV_OK;
}

static int ctrl_char(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int uev_path_ok(const char *s, int absolute)
{
	const char *comp;

	if (!*s || (*s == '/') != !!absolute)
		return 0;
	if (absolute)
		s++;
	/* every component non-empty, not "." or ".." */
	for (comp = s;; s++) {
		if (*s && ctrl_char((unsigned char)*s))
			return 0;
		if (*s == '/' || !*s) {
			size_t n = (size_t)(s - comp);

			if (n == 0 || (n == 1 && comp[0] == '.') ||
			    (n == 2 && comp[0] == '.' && comp[1] == '.'))
				return 0;
			if (!*s)
				return 1;
			comp = s + 1;
		}
	}
}

static int key_ok(const char *k, size_t n, int strict)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = k[i];

		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
			continue;
		/* udev rules may set properties with lower case or dots */
		if (!strict && ((c >= 'a' && c <= 'z') || c == '.'))
			continue;
		return 0;
	}
	return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int keyeq(const struct uev_var *v, const char *key)
{
	size_t n = strlen(key);

	return v->klen == n && !memcmp(v->key, key, n);
}

/* Split buf[0..len) (whose last byte is NUL) into KEY=VAL strings, then
 * pick out and validate the well-known keys. */
static int parse_body(struct uevent *ev, const char *p, const char *end, int strict)
{
	static const char *const required[] = { "ACTION", "DEVPATH", "SUBSYSTEM", "SEQNUM" };
	const char **slot[] = { &ev->action, &ev->devpath, &ev->subsystem, NULL };
	const char *seqnum = NULL;
	unsigned i;

	ev->nvars = 0;
	while (p < end) {
		size_t slen = strlen(p);	/* bounded: end[-1] is NUL */
		const char *eq = memchr(p, '=', slen);
		struct uev_var *v;

		if (!eq || !key_ok(p, (size_t)(eq - p), strict))
			return UEV_E_BAD_KEY;
		if (ev->nvars == UEV_MAX_VARS)
			return UEV_E_TOO_MANY;
		v = &ev->vars[ev->nvars++];
		v->key = p;
		v->klen = (size_t)(eq - p);
		v->val = eq + 1;
		for (i = 0; i < 4; i++) {
			const char **dst = slot[i] ? slot[i] : &seqnum;

			if (!keyeq(v, required[i]))
				continue;
			if (*dst)
				return UEV_E_DUP_KEY;
			if (!*v->val)
				return UEV_E_EMPTY_VALUE;
			*dst = v->val;
		}
		if (keyeq(v, "DEVTYPE"))
			ev->devtype = v->val;
		else if (keyeq(v, "DEVNAME"))
			ev->devname = v->val;
		p += slen + 1;
	}
	if (!ev->action || !ev->devpath || !ev->subsystem)
		return UEV_E_MISSING_KEY;
	if (ev->source != UEV_SRC_VARS && !seqnum)
		return UEV_E_MISSING_KEY;
	if (seqnum && parse_u64(seqnum, &ev->seqnum) < 0)
		return UEV_E_SEQNUM;
	/* the kernel names nodes relative to /dev; sd-device republishes
	 * them absolute (device_set_devname prefixes "/dev/") */
	if (!uev_path_ok(ev->devpath, 1) ||
	    (ev->devname && !uev_path_ok(ev->devname, ev->source == UEV_SRC_LIBUDEV)))
		return UEV_E_BAD_PATH;
	return UEV_OK;
}

static void reset(struct uevent *ev, enum uev_source src)
{
	ev->source = src;
	ev->action = ev->devpath = ev->subsystem = ev->devtype = ev->devname = NULL;
	ev->seqnum = 0;
	ev->nvars = 0;
}

static int frame_ok(const char *buf, size_t len)
{
	if (!len)
		return UEV_E_EMPTY;
	if (buf[len - 1] != '\0')
		return UEV_E_NO_NUL;
	return UEV_OK;
}

int uev_parse_kernel(struct uevent *ev, const char *buf, size_t len)
{
	const char *at, *hdr_end;
	size_t alen;
	int r;

	reset(ev, UEV_SRC_KERNEL);
	if ((r = frame_ok(buf, len)))
		return r;
	hdr_end = buf + strlen(buf);
	at = memchr(buf, '@', (size_t)(hdr_end - buf));
	if (!at || at == buf || at[1] != '/')
		return UEV_E_HEADER;
	if ((r = parse_body(ev, hdr_end + 1, buf + len, 1)))
		return r;
	alen = (size_t)(at - buf);
	if (strlen(ev->action) != alen || memcmp(ev->action, buf, alen) ||
	    strcmp(ev->devpath, at + 1))
		return UEV_E_HEADER_MISMATCH;
	return UEV_OK;
}

/* systemd: src/libsystemd/sd-device/device-monitor.c, struct
 * monitor_netlink_header: "libudev\0", magic (big-endian 0xfeedcafe),
 * header_size, properties_off, properties_len (host order), then four
 * filter words; 40 bytes in all. */
#define LIBUDEV_HDR 40
#define LIBUDEV_MAGIC 0xfeedcafeu

static uint32_t get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int uev_parse_libudev(struct uevent *ev, const char *buf, size_t len)
{
	uint32_t hsize, off, plen;
	int r;

	reset(ev, UEV_SRC_LIBUDEV);
	if (len < LIBUDEV_HDR)
		return len == 0 ? UEV_E_EMPTY : UEV_E_TRUNCATED;
	if (memcmp(buf, "libudev", 8) || be32toh(get32(buf + 8)) != LIBUDEV_MAGIC)
		return UEV_E_LIBUDEV_MAGIC;
	hsize = get32(buf + 12);
	off = get32(buf + 16);
	plen = get32(buf + 20);
	if (hsize < LIBUDEV_HDR || off < LIBUDEV_HDR || hsize > off)
		return UEV_E_LIBUDEV_MAGIC;
	if (off > len || plen > len - off || plen == 0)
		return UEV_E_TRUNCATED;
	if ((r = frame_ok(buf + off, plen)))
		return r;
	return parse_body(ev, buf + off, buf + off + plen, 0);
}

int uev_parse_vars(struct uevent *ev, const char *buf, size_t len)
{
	int r;

	reset(ev, UEV_SRC_VARS);
	if ((r = frame_ok(buf, len)))
		return r;
	return parse_body(ev, buf, buf + len, 1);
}

int uev_parse(struct uevent *ev, const char *buf, size_t len)
{
	if (len >= 8 && !memcmp(buf, "libudev", 8))
		return uev_parse_libudev(ev, buf, len);
	return uev_parse_kernel(ev, buf, len);
}

int uev_classify(struct uevent *ev, const char *buf, size_t len, const struct nl_from *from)
{
	int libudev = len >= 8 && !memcmp(buf, "libudev", 8);
	int r = uev_check_sender(from, libudev ? UEV_SRC_LIBUDEV : UEV_SRC_KERNEL);

	if (r) {
		reset(ev, libudev ? UEV_SRC_LIBUDEV : UEV_SRC_KERNEL);
		return r;
	}
	return libudev ? uev_parse_libudev(ev, buf, len) : uev_parse_kernel(ev, buf, len);
}

const char *uev_get(const struct uevent *ev, const char *key)
{
	unsigned i;

	for (i = 0; i < ev->nvars; i++)
		if (keyeq(&ev->vars[i], key))
			return ev->vars[i].val;
	return NULL;
}

int uev_buf_add(char *buf, size_t size, size_t *len, const char *key, const char *val)
{
	size_t k = strlen(key), v = strlen(val);

	if (*len > size || size - *len < k + v + 2)
		return -ENOSPC;
	memcpy(buf + *len, key, k);
	buf[*len + k] = '=';
	memcpy(buf + *len + k + 1, val, v + 1);
	*len += k + v + 2;
	return 0;
}
