/* probe.c — the probe table walk and the helpers probes share (see
 * probe.h).  The table is generated from the config's GATHER line
 * (gather.gen.h: GATHER_PROBE(name) for each probe_<name>). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>

#include "probe.h"
#include "utf8.h"
#include "gather.gen.h"

#define GATHER_PROBE(n) extern const struct probe_def probe_##n##_def;
GATHER_PROBES
#undef GATHER_PROBE

static const struct probe_def *const probes[] = {
#define GATHER_PROBE(n) &probe_##n##_def,
	GATHER_PROBES
#undef GATHER_PROBE
	NULL
};

size_t probe_list(const struct probe_def *const **defs)
{
	*defs = probes;
	return sizeof probes / sizeof *probes - 1;
}

int probe_src_init(struct probe_src *s, int fd)
{
	struct stat st;
	uint64_t sz;

	s->fd = fd;
	s->off = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &sz) < 0)
			return -errno;
		s->size = sz;
	} else if (S_ISREG(st.st_mode))
		s->size = (uint64_t)st.st_size;
	else
		return -ENOTBLK;
	return 0;
}

int probe_src_sub(struct probe_src *s, const struct probe_src *parent,
		  uint64_t off, uint64_t size)
{
	if (off > parent->size)
		return -ERANGE;
	s->fd = parent->fd;
	s->off = parent->off + off;
	s->size = size < parent->size - off ? size : parent->size - off;
	return 0;
}

int probe_read(const struct probe_src *s, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	if (off > s->size || len > s->size - off)
		return 0;
	while (done < len) {
		ssize_t n = pread(s->fd, (char *)buf + done, len - done, (off_t)(s->off + off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;	/* shrank under us */
		done += (size_t)n;
	}
	return 1;
}

static int walk(const struct probe_src *s, struct uprops *out, enum probe_kind kind)
{
	size_t i;
	int r;

	for (i = 0; probes[i]; i++) {
		if (probes[i]->kind != kind)
			continue;
		r = probes[i]->probe(s, out);
		if (r != 0)
			return r;
	}
	return 0;
}

int probe_fs(const struct probe_src *s, struct uprops *out)
{
	return walk(s, out, PROBE_FS);
}

int probe_table(const struct probe_src *s, struct uprops *out)
{
	return walk(s, out, PROBE_PT);
}

int probe_part_entry(const struct probe_src *disk, uint64_t start, struct uprops *out)
{
	size_t i;
	int r;

	for (i = 0; probes[i]; i++) {
		if (probes[i]->kind != PROBE_PT)
			continue;
		/* The table that claims the disk describes its partitions. */
		struct uprops tmp;

		uprops_init(&tmp);
		r = probes[i]->probe(disk, &tmp);
		if (r < 0)
			return r;
		if (r > 0)
			return probes[i]->entry(disk, start, out);
	}
	return 0;
}

int probe_device(const struct probe_src *dev, const struct probe_src *disk,
		 uint64_t start, struct uprops *out)
{
	int pt, fs, pe = 0;

	if ((pt = probe_table(dev, out)) < 0)
		return pt;
	if ((fs = probe_fs(dev, out)) < 0)
		return fs;
	if (disk && (pe = probe_part_entry(disk, start, out)) < 0)
		return pe;
	return pt > 0 || fs > 0 || pe > 0;
}

uint16_t probe_le16(const void *p)
{
	const unsigned char *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

uint32_t probe_le32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t probe_le64(const void *p)
{
	return probe_le32(p) | (uint64_t)probe_le32((const char *)p + 4) << 32;
}

uint16_t probe_be16(const void *p)
{
	const unsigned char *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t probe_be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int probe_uuid_str(char out[37], const unsigned char u[16])
{
	static const unsigned char zero[16];

	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
	return memcmp(u, zero, 16) != 0;
}

void probe_guid_str(char out[37], const unsigned char g[16])
{
	unsigned char u[16];

	/* time_low, time_mid, time_hi are stored little-endian */
	u[0] = g[3]; u[1] = g[2]; u[2] = g[1]; u[3] = g[0];
	u[4] = g[5]; u[5] = g[4];
	u[6] = g[7]; u[7] = g[6];
	memcpy(u + 8, g + 8, 8);
	probe_uuid_str(out, u);
}

size_t probe_utf16_to_utf8(char *out, size_t outsize, const unsigned char *in,
			   size_t inbytes, int le)
{
	size_t i, o = 0;

	for (i = 0; i + 1 < inbytes; i += 2) {
		uint32_t c = le ? (uint32_t)(in[i] | in[i + 1] << 8)
				: (uint32_t)(in[i] << 8 | in[i + 1]);

		if (c == 0)
			break;
		/* surrogate pair */
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < inbytes) {
			uint32_t c2 = le ? (uint32_t)(in[i + 2] | in[i + 3] << 8)
					 : (uint32_t)(in[i + 2] << 8 | in[i + 3]);

			if (c2 >= 0xdc00 && c2 < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
				i += 2;
			}
		}
		if (c < 0x80 && o + 1 < outsize)
			out[o++] = (char)c;
		else if (c < 0x800 && o + 2 < outsize) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000 && o + 3 < outsize) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c >= 0x10000 && o + 4 < outsize) {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else
			break;
	}
	if (outsize)
		out[o] = '\0';
	return o;
}

void probe_safe_string(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0, i = 0;

	if (!size)
		return;
	while (n && isspace(s[n - 1]))
		n--;
	while (i < n && isspace(s[i]))
		i++;
	while (i < n && o + 1 < size) {
		int l;

		if (isspace(s[i])) {
			while (isspace(s[i]))
				i++;
			out[o++] = '_';
			continue;
		}
		if (s[i] > 0x20 && s[i] <= 0x7e) {
			out[o++] = (char)s[i++];
			continue;
		}
		l = utf8_char_len(s + i, n - i);
		if (l > 1 && o + (size_t)l < size) {
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
			i += (size_t)l;
		} else {
			out[o++] = '_';
			i++;
		}
	}
	out[o] = '\0';
}

void probe_encode_string(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in, *end = s + strlen(in);
	size_t o = 0;

	if (!size)
		return;
	while (*s) {
		int l = utf8_char_len(s, (size_t)(end - s));

		if (l > 1) {
			if (o + (size_t)l >= size)
				break;
			memcpy(out + o, s, (size_t)l);
			o += (size_t)l;
			s += l;
		} else if (isalnum(*s) ? (*s < 0x80) : (strchr("#+-.:=@_", *s) != NULL)) {
			if (o + 1 >= size)
				break;
			out[o++] = (char)*s++;
		} else {
			if (o + 4 >= size)
				break;
			snprintf(out + o, 5, "\\x%02x", *s++);
			o += 4;
		}
	}
	out[o] = '\0';
}

int probe_set_blocksize(struct uprops *out, unsigned long bs)
{
	char v[24];

	snprintf(v, sizeof v, "%lu", bs);
	return uprops_set(out, "ID_FS_BLOCK_SIZE", v);
}

int probe_set_pair(struct uprops *out, const char *key, const char *keyenc, const char *v)
{
	char buf[1024];
	int r;

	probe_safe_string(buf, sizeof buf, v);
	if ((r = uprops_set(out, key, buf)) < 0)
		return r;
	probe_encode_string(buf, sizeof buf, v);
	return uprops_set(out, keyenc, buf);
}

int probe_set_fs(struct uprops *out, const char *type, const char *usage,
		 const char *version, const char *uuid, const char *label)
{
	char buf[256];
	int r = 0;

	if (uuid && *uuid)
		r = probe_set_pair(out, "ID_FS_UUID", "ID_FS_UUID_ENC", uuid);
	if (!r && label && *label)
		r = probe_set_pair(out, "ID_FS_LABEL", "ID_FS_LABEL_ENC", label);
	/* TYPE and VERSION go out encoded, as blkid -o udev prints them */
	if (!r && version) {
		probe_encode_string(buf, sizeof buf, version);
		r = uprops_set(out, "ID_FS_VERSION", buf);
	}
	if (!r) {
		probe_encode_string(buf, sizeof buf, type);
		r = uprops_set(out, "ID_FS_TYPE", buf);
	}
	if (!r)
		r = uprops_set(out, "ID_FS_USAGE", usage);
	return r < 0 ? r : 1;
}

void probe_field(char *out, size_t size, const void *field, size_t n)
{
	const char *f = field;
	size_t l = strnlen(f, n);

	while (l && (f[l - 1] == ' ' || f[l - 1] == '\0'))
		l--;
	if (l >= size)
		l = size - 1;
	memcpy(out, f, l);
	out[l] = '\0';
}
