/* udev_msg.c — libudev wire format encoder/decoder and sender (see
 * udev_msg.h for the layout and where each fact comes from). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "udev_msg.h"

uint32_t udev_murmur2(const void *key, size_t len, uint32_t seed)
{
	const uint32_t m = 0x5bd1e995;
	const unsigned char *d = key;
	/* The reference takes an int length; seeds it as seed ^ len. */
	uint32_t h = seed ^ (uint32_t)len;

	while (len >= 4) {
		uint32_t k;

		memcpy(&k, d, 4);	/* host order, like the reference */
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
		d += 4;
		len -= 4;
	}
	switch (len) {
	case 3:
		h ^= (uint32_t)d[2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)d[1] << 8;
		/* fall through */
	case 1:
		h ^= d[0];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

uint32_t udev_hash32(const char *s)
{
	return udev_murmur2(s, strlen(s), 0);
}

uint64_t udev_bloom64(const char *tag)
{
	uint32_t h = udev_hash32(tag);

	return (UINT64_C(1) << (h & 63)) | (UINT64_C(1) << ((h >> 6) & 63)) |
	       (UINT64_C(1) << ((h >> 12) & 63)) | (UINT64_C(1) << ((h >> 18) & 63));
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The three size fields are plain `unsigned` in host order. */
static void put_h32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get_h32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Every entry NUL-terminated and containing '=' after a non-empty key. */
static int nulstr_ok(const char *p, size_t len)
{
	size_t pos = 0;

	if (len == 0 || p[len - 1] != '\0')
		return 0;
	while (pos < len) {
		const char *e = p + pos;
		size_t l = strlen(e);
		const char *eq = memchr(e, '=', l);

		if (!eq || eq == e)
			return 0;
		pos += l + 1;
	}
	return 1;
}

const char *udev_nulstr_get(const char *props, size_t plen, const char *key)
{
	size_t klen = strlen(key), pos = 0;

	while (pos < plen) {
		const char *e = props + pos;
		size_t l = strnlen(e, plen - pos);

		if (l > klen && e[klen] == '=' && !memcmp(e, key, klen))
			return e + klen + 1;
		pos += l + 1;
	}
	return NULL;
}

/* The bloom of every tag in a ":a:b:" list. */
static uint64_t tags_bloom(const char *tags)
{
	uint64_t bits = 0;
	char tag[256];

	while (tags && *tags) {
		size_t l = strcspn(tags, ":");

		if (l > 0 && l < sizeof tag) {
			memcpy(tag, tags, l);
			tag[l] = '\0';
			bits |= udev_bloom64(tag);
		}
		tags += l;
		if (*tags == ':')
			tags++;
	}
	return bits;
}

ssize_t udev_msg_encode(void *buf, size_t size, const char *props, size_t plen)
{
	unsigned char *b = buf;
	const char *subsys, *devtype, *seq;
	uint64_t bloom;
	size_t total = UDEV_MSG_HDR_SIZE + plen;
	char *end;

	if (!nulstr_ok(props, plen))
		return -EINVAL;
	subsys = udev_nulstr_get(props, plen, "SUBSYSTEM");
	devtype = udev_nulstr_get(props, plen, "DEVTYPE");
	seq = udev_nulstr_get(props, plen, "SEQNUM");
	if (!subsys || !*subsys || !udev_nulstr_get(props, plen, "ACTION") ||
	    !udev_nulstr_get(props, plen, "DEVPATH") || !seq ||
	    strtoull(seq, &end, 10) == 0 || *end)
		return -EINVAL;
	if (total > UDEV_MSG_MAX || total > size)
		return -EMSGSIZE;

	memset(b, 0, UDEV_MSG_HDR_SIZE);
	memcpy(b, "libudev", 8);
	put_be32(b + 8, UDEV_MSG_MAGIC);
	put_h32(b + 12, UDEV_MSG_HDR_SIZE);
	put_h32(b + 16, UDEV_MSG_HDR_SIZE);
	put_h32(b + 20, (uint32_t)plen);
	put_be32(b + 24, udev_hash32(subsys));
	if (devtype)
		put_be32(b + 28, udev_hash32(devtype));
	bloom = tags_bloom(udev_nulstr_get(props, plen, "TAGS"));
	put_be32(b + 32, (uint32_t)(bloom >> 32));
	put_be32(b + 36, (uint32_t)bloom);
	memcpy(b + UDEV_MSG_HDR_SIZE, props, plen);
	return (ssize_t)total;
}

int udev_msg_decode(const void *buf, size_t len, struct udev_msg_hdr *h,
		    const char **props, size_t *plen)
{
	const unsigned char *b = buf;
	uint32_t hsz, off, pl;

	if (len < UDEV_MSG_HDR_SIZE || memcmp(b, "libudev", 8) ||
	    get_be32(b + 8) != UDEV_MSG_MAGIC)
		return -EINVAL;
	hsz = get_h32(b + 12);
	off = get_h32(b + 16);
	pl = get_h32(b + 20);
	/* Offsets as a sender wrote them; a receiver must not trust them. */
	if (hsz < UDEV_MSG_HDR_SIZE || off < hsz || off > len || pl > len - off ||
	    pl == 0 || !nulstr_ok((const char *)b + off, pl))
		return -EBADMSG;
	if (h) {
		h->header_size = hsz;
		h->properties_off = off;
		h->properties_len = pl;
		h->subsystem_hash = get_be32(b + 24);
		h->devtype_hash = get_be32(b + 28);
		h->tag_bloom = (uint64_t)get_be32(b + 32) << 32 | get_be32(b + 36);
	}
	*props = (const char *)b + off;
	*plen = pl;
	return 0;
}
