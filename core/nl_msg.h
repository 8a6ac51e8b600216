/* nl_msg.h — netlink message framing: bounds-checked walkers over the
 * nlmsghdr stream of a datagram and over nlattr lists (nested too), and a
 * small builder for request messages.
 *
 * Promise: no function here ever reads or writes outside [buf, buf+len) —
 * a lying nlmsg_len (< header, > what is left) or nla_len (< 4, > what is
 * left) stops the walk with -EBADMSG instead.  Walkers return pointers into
 * the caller's buffer (zero copy).  Never prints, never exits.
 *
 * kernel: include/uapi/linux/netlink.h — messages and attributes are
 * 4-byte aligned; the last one's padding may be missing from the datagram.
 */
#ifndef UEVBOX_NL_MSG_H
#define UEVBOX_NL_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/* ---- walking messages ------------------------------------------------ */

struct nl_msg_iter {
	const unsigned char *buf;
	size_t len;
	size_t off;
	int err;		/* 0, or -EBADMSG once framing was bad */
};

void nl_msg_iter_init(struct nl_msg_iter *it, const void *buf, size_t len);
/* The next whole message, or NULL at the end (it->err == 0) or on bad
 * framing (it->err == -EBADMSG; the walk stops there for good). */
const struct nlmsghdr *nl_msg_next(struct nl_msg_iter *it);

/* The family header of `hdrlen` bytes right after the nlmsghdr, and the
 * attributes after its aligned end.  -EBADMSG if the message is too short
 * for the family header. */
int nl_msg_payload(const struct nlmsghdr *nlh, size_t hdrlen,
		   const void **hdr, const void **attrs, size_t *attrlen);

/* nl_msg_payload, then nl_attr_parse of the attributes into tb[0..max]:
 * the usual first step of reading a message.  0 or -EBADMSG. */
int nl_msg_parse(const struct nlmsghdr *nlh, size_t hdrlen, const void **hdr,
		 const struct nlattr **tb, unsigned max);

/* ---- walking attributes ---------------------------------------------- */

struct nl_attr_iter {
	const unsigned char *buf;
	size_t len;
	size_t off;
	int err;		/* 0, or -EBADMSG */
};

void nl_attr_iter_init(struct nl_attr_iter *it, const void *buf, size_t len);
/* Iterate over the payload of a (nested) attribute. */
void nl_attr_iter_nested(struct nl_attr_iter *it, const struct nlattr *nla);
const struct nlattr *nl_attr_next(struct nl_attr_iter *it);

/* Type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits, payload, and
 * payload length (always <= what the walker validated). */
static inline unsigned nl_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}
static inline const void *nl_attr_data(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}
static inline size_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* Fill tb[0..max] with the last attribute of each type (types > max are
 * ignored; tb must hold max+1 entries).  0 or -EBADMSG. */
int nl_attr_parse(const void *buf, size_t len, const struct nlattr **tb, unsigned max);
int nl_attr_parse_nested(const struct nlattr *nla, const struct nlattr **tb, unsigned max);

/* Typed getters: -EBADMSG when the payload has the wrong size (u8/u16/u32
 * need at least that many bytes) or a string has no NUL inside. */
int nl_attr_get_u8(const struct nlattr *a, uint8_t *v);
int nl_attr_get_u32(const struct nlattr *a, uint32_t *v);
const char *nl_attr_get_str(const struct nlattr *a);	/* NULL if bad */

/* ---- building requests ------------------------------------------------ */

/* A request under construction in a caller-supplied buffer.  Errors are
 * sticky: after the first overflow every call is a no-op and nl_mb_end()
 * returns -EMSGSIZE, so callers check once at the end. */
struct nl_mb {
	unsigned char *buf;
	size_t cap;
	size_t len;
	int err;
};

/* Start one message: nlmsghdr with type/flags, seq and pid 0 (the request
 * layer sets seq).  The buffer should be 4-byte aligned. */
void nl_mb_init(struct nl_mb *b, void *buf, size_t cap, uint16_t type, uint16_t flags);
/* Append `len` bytes of family header (zero-padded to alignment); returns
 * a pointer to it inside the buffer or NULL after an overflow. */
void *nl_mb_put(struct nl_mb *b, const void *data, size_t len);
int nl_mb_attr(struct nl_mb *b, uint16_t type, const void *data, size_t len);
int nl_mb_attr_u32(struct nl_mb *b, uint16_t type, uint32_t v);
int nl_mb_attr_str(struct nl_mb *b, uint16_t type, const char *s);
/* Nesting: nl_mb_nest_start returns an offset for nl_mb_nest_end (or -1). */
long nl_mb_nest_start(struct nl_mb *b, uint16_t type);
int nl_mb_nest_end(struct nl_mb *b, long start);
/* Finish: sets nlmsg_len; returns the total length or -EMSGSIZE. */
long nl_mb_end(struct nl_mb *b);

#endif
