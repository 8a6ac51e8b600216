/* probe_gpt.c — GUID partition tables.  Header at LBA 1 (512- or
 * 4096-byte sectors): "EFI PART", header size (le32 +12), header CRC32
 * (le32 +16, computed with the field zeroed), disk GUID (+56), entries
 * LBA (le64 +72), entry count (le32 +80), entry size (le32 +84), entries
 * CRC32 (le32 +88).  Entry: type GUID (+0), unique GUID (+16), first LBA
 * (le64 +32), last LBA (le64 +40), attributes (le64 +48), name UTF-16LE
 * (+56, 72 bytes).  GUIDs print with their first three fields
 * little-endian, lower case.  Only the primary header is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <zlib.h>

#include "probe.h"

#define GPT_ENTRIES_MAX (1u << 20)	/* bytes of entry array accepted */

struct gpt {
	unsigned ssz;
	unsigned char hdr[512];
	unsigned char *ents;
	uint32_t n, esz;
};

static int gpt_read(const struct probe_src *s, struct gpt *g)
{
	static const unsigned sizes[] = { 512, 4096 };
	unsigned char tmp[512];
	size_t i;
	int r;

	g->ents = NULL;
	for (i = 0; i < 2; i++) {
		uint32_t hsz, crc;

		g->ssz = sizes[i];
		if ((r = probe_read(s, g->ssz, g->hdr, 512)) <= 0)
			return r;
		if (memcmp(g->hdr, "EFI PART", 8))
			continue;
		hsz = probe_le32(g->hdr + 12);
		if (hsz < 92 || hsz > 512)
			continue;
		memcpy(tmp, g->hdr, hsz);
		memset(tmp + 16, 0, 4);
		crc = (uint32_t)crc32(0, tmp, hsz);
		if (crc != probe_le32(g->hdr + 16))
			continue;
		g->n = probe_le32(g->hdr + 80);
		g->esz = probe_le32(g->hdr + 84);
		if (g->esz < 128 || (g->esz & 7) || !g->n ||
		    (uint64_t)g->n * g->esz > GPT_ENTRIES_MAX)
			return 0;
		g->ents = malloc((size_t)g->n * g->esz);
		if (!g->ents)
			return -ENOMEM;
		r = probe_read(s, probe_le64(g->hdr + 72) * g->ssz, g->ents, (size_t)g->n * g->esz);
		if (r > 0 && (uint32_t)crc32(0, g->ents, g->n * g->esz) != probe_le32(g->hdr + 88))
			r = 0;
		if (r <= 0) {
			free(g->ents);
			g->ents = NULL;
		}
		return r;
	}
	return 0;
}

static int probe_gpt(const struct probe_src *s, struct uprops *out)
{
	struct gpt g;
	char id[37];
	int r = gpt_read(s, &g);

	if (r <= 0)
		return r;
	free(g.ents);
	probe_guid_str(id, g.hdr + 56);
	if ((r = uprops_set(out, "ID_PART_TABLE_UUID", id)) < 0 ||
	    (r = uprops_set(out, "ID_PART_TABLE_TYPE", "gpt")) < 0)
		return r;
	return 1;
}

static int gpt_entry(const struct probe_src *s, uint64_t start, struct uprops *out)
{
	static const unsigned char zero[16];
	struct gpt g;
	char v[512], name[300];
	uint32_t i;
	int r = gpt_read(s, &g);

	if (r <= 0)
		return r;
	r = 0;
	for (i = 0; i < g.n && !r; i++) {
		const unsigned char *e = g.ents + (size_t)i * g.esz;
		uint64_t first = probe_le64(e + 32), last = probe_le64(e + 40);
		uint64_t mul = g.ssz / 512, attrs = probe_le64(e + 48);

		if (!memcmp(e, zero, 16) || first * mul != start || last < first)
			continue;
		r = uprops_set(out, "ID_PART_ENTRY_SCHEME", "gpt");
		probe_utf16_to_utf8(name, sizeof name, e + 56, 72, 1);
		if (!r && name[0]) {
			probe_encode_string(v, sizeof v, name);
			r = uprops_set(out, "ID_PART_ENTRY_NAME", v);
		}
		probe_guid_str(v, e + 16);
		if (!r)
			r = uprops_set(out, "ID_PART_ENTRY_UUID", v);
		probe_guid_str(v, e);
		if (!r)
			r = uprops_set(out, "ID_PART_ENTRY_TYPE", v);
		if (!r && attrs) {
			snprintf(v, sizeof v, "0x%llx", (unsigned long long)attrs);
			r = uprops_set(out, "ID_PART_ENTRY_FLAGS", v);
		}
		snprintf(v, sizeof v, "%u", i + 1);
		if (!r)
			r = uprops_set(out, "ID_PART_ENTRY_NUMBER", v);
		snprintf(v, sizeof v, "%llu", (unsigned long long)(first * mul));
		if (!r)
			r = uprops_set(out, "ID_PART_ENTRY_OFFSET", v);
		snprintf(v, sizeof v, "%llu", (unsigned long long)((last - first + 1) * mul));
		if (!r)
			r = uprops_set(out, "ID_PART_ENTRY_SIZE", v);
		if (!r)
			r = 1;
	}
	free(g.ents);
	return r;
}

const struct probe_def probe_gpt_def = { "gpt", PROBE_PT, probe_gpt, gpt_entry };
