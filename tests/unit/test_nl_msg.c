/* test_nl_msg.c — the netlink walkers with honest and lying lengths, the
 * attribute table and getters, and the request builder byte for byte. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nl_msg.h"
#include "unit.h"

/* walkers need 4-byte aligned data: literals are copied into a heap block
 * of exactly their size (malloc aligns), so under ASan any read past the
 * end is caught, not just wrong results */
static void *abuf;
static const void *al(const char *p, size_t n)
{
	free(abuf);
	abuf = malloc(n ? n : 1);
	if (abuf)
		memcpy(abuf, p, n);
	return abuf;
}
#define AL(lit) al((lit), sizeof(lit) - 1), sizeof(lit) - 1

/* two messages: NOOP with 4 payload bytes, then DONE with an int 0 */
#define TWO "\x14\x00\x00\x00" "\x01\x00" "\x02\x00" "\x07\x00\x00\x00" "\x00\x00\x00\x00" "ABCD" \
	    "\x14\x00\x00\x00" "\x03\x00" "\x02\x00" "\x07\x00\x00\x00" "\x00\x00\x00\x00" "\x00\x00\x00\x00"

TEST(msg_walk_two)
{
	struct nl_msg_iter it;
	const struct nlmsghdr *a, *b;

	nl_msg_iter_init(&it, AL(TWO));
	a = nl_msg_next(&it);
	b = nl_msg_next(&it);
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK_INT(a->nlmsg_type, NLMSG_NOOP);
	CHECK_INT(b->nlmsg_type, NLMSG_DONE);
	CHECK_INT(a->nlmsg_seq, 7);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, 0);
}

TEST(msg_len_below_header)
{
	struct nl_msg_iter it;

	/* nlmsg_len 8 < 16: would loop or underflow if trusted */
	nl_msg_iter_init(&it, AL("\x08\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"));
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
	/* nlmsg_len 0: the classic infinite loop */
	nl_msg_iter_init(&it, AL("\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"));
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
}

TEST(msg_len_beyond_buffer)
{
	struct nl_msg_iter it;
	const struct nlmsghdr *m;

	/* first message fine, second claims 0x100 bytes of a 20-byte rest */
	nl_msg_iter_init(&it, AL("\x14\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "ABCD"
				 "\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "ABCD"));
	m = nl_msg_next(&it);
	CHECK(m != NULL);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
	/* and the walk stays stopped */
	CHECK(nl_msg_next(&it) == NULL);
	/* 0xffffffff must not wrap anything */
	nl_msg_iter_init(&it, AL("\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"));
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
}

TEST(msg_truncated_header)
{
	struct nl_msg_iter it;

	/* a whole message, then 6 bytes that cannot be a header */
	nl_msg_iter_init(&it, AL("\x10\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
				 "\x10\x00\x00\x00\x01\x00"));
	CHECK(nl_msg_next(&it) != NULL);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
	nl_msg_iter_init(&it, AL("\x10\x00"));
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, -EBADMSG);
	/* empty: just the end */
	nl_msg_iter_init(&it, abuf, 0);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, 0);
}

TEST(msg_unpadded_last)
{
	struct nl_msg_iter it;
	const struct nlmsghdr *m;

	/* 17 bytes: len 17 is legal, its 3 padding bytes are not there */
	nl_msg_iter_init(&it, AL("\x11\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00X"));
	m = nl_msg_next(&it);
	CHECK(m != NULL);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, 0);
	/* and with the padding present */
	nl_msg_iter_init(&it, AL("\x11\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00X\0\0\0"));
	CHECK(nl_msg_next(&it) != NULL);
	CHECK(nl_msg_next(&it) == NULL);
	CHECK_INT(it.err, 0);
}

TEST(msg_payload_short)
{
	const void *hdr, *attrs;
	size_t alen = 99;
	struct nl_msg_iter it;
	const struct nlmsghdr *m;

	/* 16 + 4 bytes: too short for a 16-byte family header */
	nl_msg_iter_init(&it, AL("\x14\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "ABCD"));
	m = nl_msg_next(&it);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(nl_msg_payload(m, 16, &hdr, &attrs, &alen), -EBADMSG);
	CHECK_INT(nl_msg_payload(m, 4, &hdr, &attrs, &alen), 0);
	CHECK_INT(alen, 0);
	CHECK(!memcmp(hdr, "ABCD", 4));
	/* unaligned family header of 3 at the very end: no attributes */
	CHECK_INT(nl_msg_payload(m, 3, &hdr, &attrs, &alen), 0);
	CHECK_INT(alen, 0);
}

/* attributes: u32 type 1 = 5, string type 2 "hi", nested type 3 {u8 type 1 = 9} */
#define ATTRS "\x08\x00\x01\x00\x05\x00\x00\x00" \
	      "\x07\x00\x02\x00hi\0\0" \
	      "\x0c\x00\x03\x80" "\x05\x00\x01\x00\x09\x00\x00\x00"

TEST(attr_walk_and_nested)
{
	const struct nlattr *tb[4], *ntb[2];
	uint32_t v = 0;
	uint8_t b = 0;

	CHECK_INT(nl_attr_parse(AL(ATTRS), tb, 3), 0);
	CHECK(tb[1] && tb[2] && tb[3]);
	if (!tb[1] || !tb[2] || !tb[3])
		return;
	CHECK_INT(nl_attr_get_u32(tb[1], &v), 0);
	CHECK_INT(v, 5);
	CHECK_STR(nl_attr_get_str(tb[2]), "hi");
	CHECK_INT(nl_attr_type(tb[3]), 3);	/* NLA_F_NESTED masked off */
	CHECK_INT(nl_attr_parse_nested(tb[3], ntb, 1), 0);
	CHECK(ntb[1] != NULL);
	CHECK_INT(nl_attr_get_u8(ntb[1], &b), 0);
	CHECK_INT(b, 9);
	/* types above max are ignored, not written past tb */
	CHECK_INT(nl_attr_parse(AL(ATTRS), tb, 1), 0);
	CHECK(tb[1] != NULL);
}

TEST(attr_lying_lengths)
{
	const struct nlattr *tb[4];
	struct nl_attr_iter it;

	/* nla_len 2 < 4 */
	CHECK_INT(nl_attr_parse(AL("\x02\x00\x01\x00\x05\x00\x00\x00"), tb, 3), -EBADMSG);
	/* nla_len 0: would never advance */
	CHECK_INT(nl_attr_parse(AL("\x00\x00\x01\x00\x05\x00\x00\x00"), tb, 3), -EBADMSG);
	/* nla_len 12 > the 8 that are there */
	CHECK_INT(nl_attr_parse(AL("\x0c\x00\x01\x00\x05\x00\x00\x00"), tb, 3), -EBADMSG);
	/* a good one, then 2 stray bytes */
	CHECK_INT(nl_attr_parse(AL("\x08\x00\x01\x00\x05\x00\x00\x00\x01\x00"), tb, 3), -EBADMSG);
	/* unpadded last attribute is fine */
	CHECK_INT(nl_attr_parse(AL("\x08\x00\x01\x00\x05\x00\x00\x00\x05\x00\x02\x00X"), tb, 3), 0);
	CHECK(tb[2] && nl_attr_len(tb[2]) == 1);
	/* nested attribute whose inside lies */
	nl_attr_iter_init(&it, AL("\x0c\x00\x03\x80" "\x09\x00\x01\x00\x09\x00\x00\x00"));
	{
		const struct nlattr *n = nl_attr_next(&it);
		struct nl_attr_iter in;

		CHECK(n != NULL);
		if (!n)
			return;
		nl_attr_iter_nested(&in, n);
		CHECK(nl_attr_next(&in) == NULL);
		CHECK_INT(in.err, -EBADMSG);
	}
}

TEST(attr_getters_check_size)
{
	const struct nlattr *tb[4];
	uint32_t v = 0;
	uint8_t b;

	/* type 1 has 2 bytes: not a u32; type 2 "ab" without NUL */
	CHECK_INT(nl_attr_parse(AL("\x06\x00\x01\x00\x05\x00\x00\x00" "\x06\x00\x02\x00ab\0\0"), tb, 3), 0);
	CHECK_INT(nl_attr_get_u32(tb[1], &v), -EBADMSG);
	CHECK(nl_attr_get_str(tb[2]) == NULL);
	CHECK_INT(nl_attr_get_u8(tb[3], &b), -EBADMSG);	/* absent */
	CHECK_INT(nl_attr_get_u32(NULL, &v), -EBADMSG);
}

TEST(builder_bytes)
{
	uint32_t buf[32];
	struct nl_mb b;
	unsigned char fam[3] = { 2, 24, 0 };
	long nest, n;

	nl_mb_init(&b, buf, sizeof buf, 20, NLM_F_REQUEST | NLM_F_ACK);
	CHECK(nl_mb_put(&b, fam, sizeof fam) != NULL);
	CHECK_INT(nl_mb_attr_u32(&b, 4, 0x01020304), 0);
	CHECK_INT(nl_mb_attr_str(&b, 3, "eth0"), 0);
	nest = nl_mb_nest_start(&b, 7);
	CHECK(nest > 0);
	CHECK_INT(nl_mb_attr(&b, 1, "\x2a", 1), 0);
	CHECK_INT(nl_mb_nest_end(&b, nest), 0);
	n = nl_mb_end(&b);
	CHECK_INT(n, 16 + 4 + 8 + 12 + 4 + 8);
	CHECK(!memcmp(buf,
		"\x34\x00\x00\x00" "\x14\x00" "\x05\x00" "\0\0\0\0" "\0\0\0\0"
		"\x02\x18\x00\x00"
		"\x08\x00\x04\x00\x04\x03\x02\x01"
		"\x09\x00\x03\x00" "eth0\0\0\0\0"
		"\x0c\x00\x07\x80" "\x05\x00\x01\x00\x2a\0\0\0", 52));
}

TEST(builder_overflow_sticky)
{
	uint32_t buf[8];	/* 32 bytes */
	struct nl_mb b;

	nl_mb_init(&b, buf, sizeof buf, 18, NLM_F_REQUEST);
	CHECK_INT(nl_mb_attr_u32(&b, 1, 1), 0);		/* 24 */
	CHECK_INT(nl_mb_attr_str(&b, 2, "toolong"), -EMSGSIZE);	/* 24+12 > 32 */
	CHECK_INT(nl_mb_attr_u32(&b, 1, 1), -EMSGSIZE);	/* would fit, but sticky */
	CHECK(nl_mb_put(&b, "x", 1) == NULL);
	CHECK_INT(nl_mb_nest_start(&b, 3), -1);
	CHECK_INT(nl_mb_end(&b), -EMSGSIZE);
	/* a buffer too small for the header itself */
	nl_mb_init(&b, buf, 8, 18, NLM_F_REQUEST);
	CHECK_INT(nl_mb_end(&b), -EMSGSIZE);
	/* an attribute longer than nla_len can say */
	nl_mb_init(&b, buf, sizeof buf, 18, NLM_F_REQUEST);
	CHECK_INT(nl_mb_attr(&b, 1, buf, 70000), -EMSGSIZE);
}

TEST(builder_roundtrip)
{
	uint32_t buf[64];
	const struct nlattr *tb[5];
	const void *hdr, *attrs;
	struct nl_msg_iter it;
	const struct nlmsghdr *m;
	struct nl_mb b;
	size_t alen;
	uint32_t v;

	nl_mb_init(&b, buf, sizeof buf, 16, NLM_F_REQUEST);
	nl_mb_put(&b, NULL, 16);
	nl_mb_attr_str(&b, 3, "veth0");
	nl_mb_attr_u32(&b, 4, 1500);
	CHECK(nl_mb_end(&b) > 0);
	nl_msg_iter_init(&it, buf, b.len);
	m = nl_msg_next(&it);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(nl_msg_payload(m, 16, &hdr, &attrs, &alen), 0);
	CHECK_INT(nl_attr_parse(attrs, alen, tb, 4), 0);
	CHECK_STR(nl_attr_get_str(tb[3]), "veth0");
	CHECK_INT(nl_attr_get_u32(tb[4], &v), 0);
	CHECK_INT(v, 1500);
}

TEST(msg_parse_header_and_attrs)
{
	const struct nlattr *tb[4];
	const void *hdr;
	struct nl_msg_iter it;
	const struct nlmsghdr *m;
	uint32_t v = 0;

	/* 4-byte family header "ABCD", then u32 attribute type 2 = 7 */
	nl_msg_iter_init(&it, AL("\x1c\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
				 "ABCD" "\x08\x00\x02\x00\x07\x00\x00\x00"));
	m = nl_msg_next(&it);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(nl_msg_parse(m, 4, &hdr, tb, 3), 0);
	CHECK(!memcmp(hdr, "ABCD", 4));
	CHECK(tb[1] == NULL && tb[2] != NULL);
	CHECK(tb[2] && nl_attr_get_u32(tb[2], &v) == 0 && v == 7);
	CHECK_INT(nl_msg_parse(m, 32, &hdr, tb, 3), -EBADMSG);	/* header too long */
	/* an attribute claiming more than the message holds */
	((unsigned char *)m)[20] = 0x0c;
	CHECK_INT(nl_msg_parse(m, 4, &hdr, tb, 3), -EBADMSG);
}
