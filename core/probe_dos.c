/* probe_dos.c — MBR ("dos") partition tables.  Sector 0: 0x55 0xaa at
 * 510, disk id (le32 +440), four 16-byte entries from +446: boot flag
 * (0 or 0x80), type (+4), start LBA (le32 +8), sectors (le32 +12).
 * Extended partitions (types 0x05, 0x0f, 0x85) chain EBRs: entry 0 a
 * logical partition relative to this EBR, entry 1 the next EBR relative
 * to the extended partition; logical partitions are numbered from 5.
 * Not a table: a protective MBR (type 0xee: GPT's), a FAT or NTFS boot
 * sector (libblkid partitions/dos.c rejects those too; an exFAT one it
 * reports as an empty "dos" table, and so do we).
 * ID_PART_TABLE_UUID is the disk id "%08x"; an entry's UUID is
 * "<disk id>-<number %02x>", TYPE "0x<type>", FLAGS "0x80" if bootable. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

#define EBR_MAX 128	/* logical partitions followed */

static int is_ext(unsigned t)
{
	return t == 0x05 || t == 0x0f || t == 0x85;
}

static int read_mbr(const struct probe_src *s, unsigned char b[512])
{
	int r = probe_read(s, 0, b, 512), i;

	if (r <= 0)
		return r;
	if (b[510] != 0x55 || b[511] != 0xaa)
		return 0;
	/* exFAT boot sectors pass: libblkid reports "dos" for them too */
	if (!memcmp(b + 3, "NTFS    ", 8) ||
	    !memcmp(b + 54, "FAT1", 4) || !memcmp(b + 82, "FAT32   ", 8))
		return 0;
	for (i = 0; i < 4; i++) {
		const unsigned char *e = b + 446 + 16 * i;

		if (e[0] != 0 && e[0] != 0x80)
			return 0;
		if (e[4] == 0xee)
			return 0;
	}
	return 1;
}

static int probe_dos(const struct probe_src *s, struct uprops *out)
{
	unsigned char b[512];
	char id[16];
	int r = read_mbr(s, b);

	if (r <= 0)
		return r;
	snprintf(id, sizeof id, "%08x", probe_le32(b + 440));
	/* a zero disk id is no id */
	if ((probe_le32(b + 440) && (r = uprops_set(out, "ID_PART_TABLE_UUID", id)) < 0) ||
	    (r = uprops_set(out, "ID_PART_TABLE_TYPE", "dos")) < 0)
		return r;
	return 1;
}

static int set_entry(struct uprops *out, uint32_t diskid, unsigned num,
		     const unsigned char *e, uint64_t start)
{
	char v[32];
	int r;

	snprintf(v, sizeof v, "%08x-%02x", diskid, num);
	if ((r = uprops_set(out, "ID_PART_ENTRY_SCHEME", "dos")) < 0 ||
	    (r = uprops_set(out, "ID_PART_ENTRY_UUID", v)) < 0)
		return r;
	snprintf(v, sizeof v, "0x%x", e[4]);
	if ((r = uprops_set(out, "ID_PART_ENTRY_TYPE", v)) < 0)
		return r;
	if (e[0] == 0x80 && (r = uprops_set(out, "ID_PART_ENTRY_FLAGS", "0x80")) < 0)
		return r;
	snprintf(v, sizeof v, "%u", num);
	if ((r = uprops_set(out, "ID_PART_ENTRY_NUMBER", v)) < 0)
		return r;
	snprintf(v, sizeof v, "%llu", (unsigned long long)start);
	if ((r = uprops_set(out, "ID_PART_ENTRY_OFFSET", v)) < 0)
		return r;
	snprintf(v, sizeof v, "%u", probe_le32(e + 12));
	if ((r = uprops_set(out, "ID_PART_ENTRY_SIZE", v)) < 0)
		return r;
	return 1;
}

static int dos_entry(const struct probe_src *s, uint64_t start, struct uprops *out)
{
	unsigned char b[512], ebr[512];
	uint32_t diskid;
	int r = read_mbr(s, b), i, n;

	if (r <= 0)
		return r;
	diskid = probe_le32(b + 440);
	for (i = 0; i < 4; i++) {
		const unsigned char *e = b + 446 + 16 * i;
		uint64_t ext, cur;
		unsigned num = 5;

		if (!e[4] || !probe_le32(e + 12))
			continue;
		if (probe_le32(e + 8) == start)
			return set_entry(out, diskid, (unsigned)i + 1, e, start);
		if (!is_ext(e[4]))
			continue;
		ext = cur = probe_le32(e + 8);
		for (n = 0; n < EBR_MAX; n++) {
			const unsigned char *l = ebr + 446, *nx = ebr + 462;

			if ((r = probe_read(s, cur * 512, ebr, sizeof ebr)) <= 0)
				return r;
			if (ebr[510] != 0x55 || ebr[511] != 0xaa)
				break;
			if (l[4] && probe_le32(l + 12)) {
				if (cur + probe_le32(l + 8) == start)
					return set_entry(out, diskid, num, l, start);
				num++;
			}
			if (!is_ext(nx[4]) || !probe_le32(nx + 8))
				break;
			cur = ext + probe_le32(nx + 8);
		}
	}
	return 0;
}

const struct probe_def probe_dos_def = { "dos", PROBE_PT, probe_dos, dos_entry };
