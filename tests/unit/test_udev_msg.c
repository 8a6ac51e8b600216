/* test_udev_msg.c — libudev wire format: hash vectors, bloom, the exact
 * header bytes, decoding and rejection of what clients would drop. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "udev_msg.h"
#include "udev_props.h"

/* Vectors computed independently (a separate Python transcription of
 * MurmurHash2, little-endian blocks); "abc" matches the published value. */
TEST(murmur2_vectors)
{
	CHECK_INT(udev_hash32(""), 0);
	CHECK_INT(udev_hash32("a"), 0x92685f5e);
	CHECK_INT(udev_hash32("ab"), 0x1aa14063);
	CHECK_INT(udev_hash32("abc"), 0x13577c9b);
	CHECK_INT(udev_hash32("abcd"), 0x26873021);
	CHECK_INT(udev_hash32("block"), 0xf0031db7);
	CHECK_INT(udev_hash32("input"), 0xc1a28470);
	CHECK_INT(udev_hash32("disk"), 0x7bcbc5ee);
	CHECK_INT(udev_hash32("partition"), 0xcb234489);
	CHECK_INT(udev_hash32("hello world"), 0x44a81419);
	CHECK_INT(udev_murmur2("abc", 3, 1) != udev_hash32("abc"), 1);
}

TEST(bloom_bits)
{
	CHECK(udev_bloom64("seat") == UINT64_C(0x208000000400001));
	CHECK(udev_bloom64("uaccess") == UINT64_C(0x200800001008));
	CHECK(udev_bloom64("systemd") == UINT64_C(0x200040010800000));
	/* at most 4 bits, at least 1 */
	CHECK(__builtin_popcountll(udev_bloom64("seat")) <= 4);
}

static size_t mkprops(struct uprops *p, const char *tags)
{
	uprops_init(p);
	uprops_set(p, "ACTION", "add");
	uprops_set(p, "DEVPATH", "/devices/virtual/block/loop7");
	uprops_set(p, "SUBSYSTEM", "block");
	uprops_set(p, "DEVNAME", "/dev/loop7");
	uprops_set(p, "DEVTYPE", "disk");
	uprops_set(p, "SEQNUM", "4711");
	uprops_set(p, "MAJOR", "7");
	uprops_set(p, "MINOR", "7");
	if (tags)
		uprops_set(p, "TAGS", tags);
	return p->len;
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static uint32_t h32(const unsigned char *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

TEST(header_bytes)
{
	struct uprops p;
	unsigned char buf[UDEV_MSG_MAX];
	size_t plen = mkprops(&p, ":seat:uaccess:");
	ssize_t n = udev_msg_encode(buf, sizeof buf, p.buf, plen);
	uint64_t bloom = udev_bloom64("seat") | udev_bloom64("uaccess");

	CHECK_INT(n, 40 + plen);
	CHECK(!memcmp(buf, "libudev\0", 8));
	/* magic big-endian: fe ed ca fe */
	CHECK(buf[8] == 0xfe && buf[9] == 0xed && buf[10] == 0xca && buf[11] == 0xfe);
	CHECK_INT(h32(buf + 12), 40);
	CHECK_INT(h32(buf + 16), 40);
	CHECK_INT(h32(buf + 20), plen);
	CHECK_INT(be32(buf + 24), 0xf0031db7);	/* "block" */
	CHECK_INT(be32(buf + 28), 0x7bcbc5ee);	/* "disk" */
	CHECK_INT(be32(buf + 32), (uint32_t)(bloom >> 32));
	CHECK_INT(be32(buf + 36), (uint32_t)bloom);
	CHECK(!memcmp(buf + 40, "ACTION=add\0DEVPATH=/devices/virtual/block/loop7\0", 48));
	CHECK_INT(buf[n - 1], 0);
}

TEST(header_no_devtype_no_tags)
{
	struct uprops p;
	unsigned char buf[UDEV_MSG_MAX];
	ssize_t n;

	mkprops(&p, NULL);
	uprops_del(&p, "DEVTYPE");
	n = udev_msg_encode(buf, sizeof buf, p.buf, p.len);
	CHECK(n > 40);
	CHECK_INT(be32(buf + 28), 0);
	CHECK_INT(be32(buf + 32), 0);
	CHECK_INT(be32(buf + 36), 0);
}

TEST(encode_rejects)
{
	struct uprops p;
	unsigned char buf[UDEV_MSG_MAX];

	mkprops(&p, NULL);
	uprops_set(&p, "SEQNUM", "0");
	CHECK_INT(udev_msg_encode(buf, sizeof buf, p.buf, p.len), -EINVAL);
	mkprops(&p, NULL);
	uprops_del(&p, "ACTION");
	CHECK_INT(udev_msg_encode(buf, sizeof buf, p.buf, p.len), -EINVAL);
	mkprops(&p, NULL);
	uprops_del(&p, "SUBSYSTEM");
	CHECK_INT(udev_msg_encode(buf, sizeof buf, p.buf, p.len), -EINVAL);
	mkprops(&p, NULL);
	CHECK_INT(udev_msg_encode(buf, 60, p.buf, p.len), -EMSGSIZE);
	CHECK_INT(udev_msg_encode(buf, sizeof buf, "A=b", 3), -EINVAL); /* no NUL */
	CHECK_INT(udev_msg_encode(buf, sizeof buf, "Ab\0", 3), -EINVAL); /* no = */
}

TEST(encode_too_big)
{
	static char big[UDEV_MSG_MAX + 64];
	struct uprops p;
	static unsigned char buf[2 * UDEV_MSG_MAX];
	size_t len;

	len = mkprops(&p, NULL);
	memcpy(big, p.buf, len);
	memcpy(big + len, "X=", 2);
	memset(big + len + 2, 'y', UDEV_MSG_MAX - len - 40);
	big[UDEV_MSG_MAX - 40 + 2] = '\0';
	/* exactly 8192 + 3 bytes: one over */
	CHECK_INT(udev_msg_encode(buf, sizeof buf, big, UDEV_MSG_MAX - 40 + 3), -EMSGSIZE);
}

TEST(decode_roundtrip)
{
	struct uprops p;
	unsigned char buf[UDEV_MSG_MAX];
	struct udev_msg_hdr h;
	const char *props;
	size_t plen;
	ssize_t n;

	mkprops(&p, ":seat:");
	n = udev_msg_encode(buf, sizeof buf, p.buf, p.len);
	CHECK_INT(udev_msg_decode(buf, (size_t)n, &h, &props, &plen), 0);
	CHECK_INT(plen, p.len);
	CHECK_INT(h.subsystem_hash, udev_hash32("block"));
	CHECK_INT(h.devtype_hash, udev_hash32("disk"));
	CHECK(h.tag_bloom == udev_bloom64("seat"));
	CHECK_STR(udev_nulstr_get(props, plen, "DEVNAME"), "/dev/loop7");
	CHECK(udev_nulstr_get(props, plen, "DEV") == NULL);
	/* damaged copies */
	buf[10] ^= 1;
	CHECK_INT(udev_msg_decode(buf, (size_t)n, &h, &props, &plen), -EINVAL);
	buf[10] ^= 1;
	CHECK_INT(udev_msg_decode(buf, (size_t)n - 1, &h, &props, &plen), -EBADMSG);
	CHECK_INT(udev_msg_decode(buf, 39, &h, &props, &plen), -EINVAL);
	CHECK_INT(udev_msg_decode("add@/devices/x\0ACTION=add", 25, &h, &props, &plen), -EINVAL);
	buf[16] = 200;	/* properties_off past the end */
	CHECK_INT(udev_msg_decode(buf, (size_t)n, &h, &props, &plen), -EBADMSG);
}

TEST(props_list)
{
	struct uprops p;
	const char *l[] = { "seat", "uaccess" };
	size_t pos = 0;

	uprops_init(&p);
	CHECK_INT(uprops_set(&p, "A", "1"), 0);
	CHECK_INT(uprops_set(&p, "B", "2"), 0);
	CHECK_INT(uprops_set(&p, "A", "3"), 0);	/* replace moves to end */
	CHECK_STR(uprops_next(&p, &pos), "B=2");
	CHECK_STR(uprops_next(&p, &pos), "A=3");
	CHECK(uprops_next(&p, &pos) == NULL);
	CHECK_INT(uprops_set(&p, "C=", "x"), -EINVAL);
	CHECK_INT(uprops_set(&p, "C", "x\ny"), -EINVAL);
	CHECK_INT(uprops_set_list(&p, "TAGS", l, 2, ':', 1), 0);
	CHECK_STR(uprops_get(&p, "TAGS"), ":seat:uaccess:");
	CHECK_INT(uprops_set_list(&p, "DEVLINKS", l, 2, ' ', 0), 0);
	CHECK_STR(uprops_get(&p, "DEVLINKS"), "seat uaccess");
	CHECK_INT(uprops_del(&p, "B"), 1);
	CHECK_INT(uprops_del(&p, "B"), 0);
	CHECK(uprops_get(&p, "B") == NULL);
	CHECK_STR(uprops_get(&p, "A"), "3");
}

TEST(props_full)
{
	static struct uprops p;
	static char v[UPROPS_MAX];
	int i, r = 0;

	uprops_init(&p);
	memset(v, 'v', 100);
	v[100] = '\0';
	for (i = 0; i < 1000 && !r; i++) {
		char k[16];

		snprintf(k, sizeof k, "K%d", i);
		r = uprops_set(&p, k, v);
	}
	CHECK_INT(r, -ENOSPC);
	CHECK(p.len <= UPROPS_MAX);
	/* replacing an existing key with a same-size value still fits */
	CHECK_INT(uprops_set(&p, "K1", v), 0);
}
