/* udev_props.c — the bounded KEY=VAL\0 list (see udev_props.h).
 * Entries are packed back to back; deleting moves the tail down so the
 * buffer stays one contiguous nulstr, ready to be sent or written. */
#include <errno.h>
#include <string.h>

#include "udev_props.h"

void uprops_init(struct uprops *p)
{
	p->len = 0;
}

/* Offset of the entry for key (klen bytes), or -1. */
static long find(const struct uprops *p, const char *key, size_t klen)
{
	size_t pos = 0;

	while (pos < p->len) {
		const char *e = p->buf + pos;
		size_t elen = strlen(e);

		if (elen > klen && e[klen] == '=' && !memcmp(e, key, klen))
			return (long)pos;
		pos += elen + 1;
	}
	return -1;
}

static void cut(struct uprops *p, size_t off)
{
	size_t elen = strlen(p->buf + off) + 1;

	memmove(p->buf + off, p->buf + off + elen, p->len - off - elen);
	p->len -= elen;
}

static int key_ok(const char *key, size_t klen)
{
	return klen > 0 && !memchr(key, '=', klen);
}

int uprops_setn(struct uprops *p, const char *key, const char *val, size_t vlen)
{
	size_t klen = strlen(key), need = klen + 1 + vlen + 1;
	long old;

	if (!key_ok(key, klen) || memchr(val, '\0', vlen) || memchr(val, '\n', vlen))
		return -EINVAL;
	old = find(p, key, klen);
	/* Room check before touching anything, counting the space the old
	 * entry gives back. */
	if (p->len - (old >= 0 ? strlen(p->buf + old) + 1 : 0) + need > sizeof p->buf)
		return -ENOSPC;
	if (old >= 0)
		cut(p, (size_t)old);
	memcpy(p->buf + p->len, key, klen);
	p->buf[p->len + klen] = '=';
	memcpy(p->buf + p->len + klen + 1, val, vlen);
	p->buf[p->len + need - 1] = '\0';
	p->len += need;
	return 0;
}

int uprops_set(struct uprops *p, const char *key, const char *val)
{
	return uprops_setn(p, key, val, strlen(val));
}

const char *uprops_get(const struct uprops *p, const char *key)
{
	size_t klen = strlen(key);
	long off = find(p, key, klen);

	return off < 0 ? NULL : p->buf + off + klen + 1;
}

int uprops_del(struct uprops *p, const char *key)
{
	long off = find(p, key, strlen(key));

	if (off < 0)
		return 0;
	cut(p, (size_t)off);
	return 1;
}

const char *uprops_next(const struct uprops *p, size_t *pos)
{
	const char *e;

	if (*pos >= p->len)
		return NULL;
	e = p->buf + *pos;
	*pos += strlen(e) + 1;
	return e;
}

int uprops_set_list(struct uprops *p, const char *key, const char *const *list,
		    size_t n, char sep, int wrap)
{
	char v[UPROPS_MAX];
	size_t i, len = 0;

	if (n == 0) {
		uprops_del(p, key);
		return 0;
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(list[i]);

		if (len + l + 3 > sizeof v)
			return -ENOSPC;
		if (i > 0 || wrap)
			v[len++] = sep;
		memcpy(v + len, list[i], l);
		len += l;
	}
	if (wrap)
		v[len++] = sep;
	return uprops_setn(p, key, v, len);
}
