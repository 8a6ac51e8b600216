/* nl_msg.c — bounds-checked netlink message/attribute walkers and the
 * request builder (contract in nl_msg.h).
 *
 * The buffers must be 4-byte aligned (recv buffers declared with an
 * aligned type); every length read from the data is checked against what
 * is left before anything past the header is touched. */
#include <errno.h>
#include <string.h>

#include "nl_msg.h"

/* ---- messages ---------------------------------------------------------- */

void nl_msg_iter_init(struct nl_msg_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->err = 0;
}

const struct nlmsghdr *nl_msg_next(struct nl_msg_iter *it)
{
	const struct nlmsghdr *nlh;
	size_t left, step;

	if (it->err || it->off >= it->len)
		return NULL;
	left = it->len - it->off;
	if (left < NLMSG_HDRLEN) {
		/* a fragment too short for a header: truncated datagram */
		it->err = -EBADMSG;
		return NULL;
	}
	nlh = (const struct nlmsghdr *)(it->buf + it->off);
	if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > left) {
		it->err = -EBADMSG;
		return NULL;
	}
	/* the padding after the last message may be absent: clamp */
	step = NLMSG_ALIGN((size_t)nlh->nlmsg_len);
	it->off += step < left ? step : left;
	return nlh;
}

int nl_msg_payload(const struct nlmsghdr *nlh, size_t hdrlen,
		   const void **hdr, const void **attrs, size_t *attrlen)
{
	size_t total = nlh->nlmsg_len, start = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	if (total < NLMSG_HDRLEN + hdrlen)
		return -EBADMSG;
	if (hdr)
		*hdr = (const unsigned char *)nlh + NLMSG_HDRLEN;
	if (attrs) {
		/* an unpadded family header at the very end leaves no attrs */
		*attrs = (const unsigned char *)nlh + (start < total ? start : total);
		*attrlen = start < total ? total - start : 0;
	}
	return 0;
}

int nl_msg_parse(const struct nlmsghdr *nlh, size_t hdrlen, const void **hdr,
		 const struct nlattr **tb, unsigned max)
{
	const void *attrs;
	size_t alen;

	if (nl_msg_payload(nlh, hdrlen, hdr, &attrs, &alen) < 0)
		return -EBADMSG;
	return nl_attr_parse(attrs, alen, tb, max);
}

/* ---- attributes -------------------------------------------------------- */

void nl_attr_iter_init(struct nl_attr_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->err = 0;
}

void nl_attr_iter_nested(struct nl_attr_iter *it, const struct nlattr *nla)
{
	nl_attr_iter_init(it, nl_attr_data(nla), nl_attr_len(nla));
}

const struct nlattr *nl_attr_next(struct nl_attr_iter *it)
{
	const struct nlattr *a;
	size_t left, step;

	if (it->err || it->off >= it->len)
		return NULL;
	left = it->len - it->off;
	if (left < NLA_HDRLEN) {
		it->err = -EBADMSG;
		return NULL;
	}
	a = (const struct nlattr *)(it->buf + it->off);
	if (a->nla_len < NLA_HDRLEN || a->nla_len > left) {
		it->err = -EBADMSG;
		return NULL;
	}
	step = NLA_ALIGN((size_t)a->nla_len);
	it->off += step < left ? step : left;
	return a;
}

int nl_attr_parse(const void *buf, size_t len, const struct nlattr **tb, unsigned max)
{
	struct nl_attr_iter it;
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof *tb);
	nl_attr_iter_init(&it, buf, len);
	while ((a = nl_attr_next(&it)))
		if (nl_attr_type(a) <= max)
			tb[nl_attr_type(a)] = a;
	return it.err;
}

int nl_attr_parse_nested(const struct nlattr *nla, const struct nlattr **tb, unsigned max)
{
	return nl_attr_parse(nl_attr_data(nla), nl_attr_len(nla), tb, max);
}

int nl_attr_get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || nl_attr_len(a) < 1)
		return -EBADMSG;
	*v = *(const uint8_t *)nl_attr_data(a);
	return 0;
}

int nl_attr_get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nl_attr_len(a) < 4)
		return -EBADMSG;
	memcpy(v, nl_attr_data(a), 4);
	return 0;
}

const char *nl_attr_get_str(const struct nlattr *a)
{
	if (!a || nl_attr_len(a) < 1 || !memchr(nl_attr_data(a), 0, nl_attr_len(a)))
		return NULL;
	return nl_attr_data(a);
}

/* ---- builder ----------------------------------------------------------- */

/* Reserve `len` bytes, zero-filled up to the next alignment boundary. */
static unsigned char *reserve(struct nl_mb *b, size_t len)
{
	size_t al = NLMSG_ALIGN(len);
	unsigned char *p;

	if (b->err)
		return NULL;
	if (al < len || b->cap - b->len < al) {
		b->err = -EMSGSIZE;
		return NULL;
	}
	p = b->buf + b->len;
	memset(p, 0, al);
	b->len += al;
	return p;
}

void nl_mb_init(struct nl_mb *b, void *buf, size_t cap, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->err = 0;
	nlh = (struct nlmsghdr *)reserve(b, NLMSG_HDRLEN);
	if (nlh) {
		nlh->nlmsg_type = type;
		nlh->nlmsg_flags = flags;
	}
}

void *nl_mb_put(struct nl_mb *b, const void *data, size_t len)
{
	unsigned char *p = reserve(b, len);

	if (p && data)
		memcpy(p, data, len);
	return p;
}

int nl_mb_attr(struct nl_mb *b, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (len > 0xffff - NLA_HDRLEN) {
		if (!b->err)
			b->err = -EMSGSIZE;
		return b->err;
	}
	a = (struct nlattr *)reserve(b, NLA_HDRLEN + len);
	if (!a)
		return b->err;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
	return 0;
}

int nl_mb_attr_u32(struct nl_mb *b, uint16_t type, uint32_t v)
{
	return nl_mb_attr(b, type, &v, sizeof v);
}

int nl_mb_attr_str(struct nl_mb *b, uint16_t type, const char *s)
{
	return nl_mb_attr(b, type, s, strlen(s) + 1);
}

long nl_mb_nest_start(struct nl_mb *b, uint16_t type)
{
	size_t off = b->len;
	struct nlattr *a = (struct nlattr *)reserve(b, NLA_HDRLEN);

	if (!a)
		return -1;
	a->nla_type = type | NLA_F_NESTED;
	return (long)off;
}

int nl_mb_nest_end(struct nl_mb *b, long start)
{
	struct nlattr *a;

	if (b->err)
		return b->err;
	if (start < 0 || (size_t)start + NLA_HDRLEN > b->len || b->len - start > 0xffff)
		return b->err = -EMSGSIZE;
	a = (struct nlattr *)(b->buf + start);
	a->nla_len = b->len - start;
	return 0;
}

long nl_mb_end(struct nl_mb *b)
{
	if (b->err)
		return b->err;
	((struct nlmsghdr *)b->buf)->nlmsg_len = b->len;
	return (long)b->len;
}
