/* probe_vfat.c — FAT12/16/32.  Boot sector BPB: sector size (le16 +11),
 * sectors per cluster (+13), reserved sectors (le16 +14), FAT count (+16),
 * root entries (le16 +17), sectors16 (le16 +19), media (+21), FAT size16
 * (le16 +22), sectors32 (le32 +32).  FAT12/16: serial (+39), label[11]
 * (+43), "FAT1x   " (+54); FAT32: FAT size32 (le32 +36), root cluster
 * (le32 +44), serial (+67), label[11] (+71), "FAT32   " (+82).
 * UUID is the serial as "%02X%02X-%02X%02X" of bytes 3,2,1,0; the label
 * is the root directory's volume-label entry when there is one, else the
 * boot sector's, "NO NAME" meaning none (libblkid superblocks/vfat.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define ROOTDIR_MAX 65536	/* bytes of root directory looked at */


/* Volume label entry in a directory buffer: attr 0x08 (not an LFN
 * 0x0f), not deleted (0xe5); a name starting with 0 ends the list. */
static int dir_label(const unsigned char *d, size_t len, char label[12])
{
	size_t i;

	for (i = 0; i + 32 <= len; i += 32) {
		const unsigned char *e = d + i;

		if (e[0] == 0)
			break;
		if (e[0] == 0xe5 || (e[11] & 0x3f) == 0x0f || !(e[11] & 0x08))
			continue;
		probe_field(label, 12, e, 11);
		if (label[0] == 0x05)	/* escaped 0xe5 */
			label[0] = (char)0xe5;
		return 1;
	}
	return 0;
}

static int probe_vfat(const struct probe_src *s, struct uprops *out)
{
	unsigned char b[512];
	char uuid[10], label[12] = "", dirlab[12], bootlab[12];
	const unsigned char *ser, *lab;
	uint32_t ss, cs, resv, nfat, rootent, total, fatlen, rootsec, clusters;
	uint64_t rootoff;
	size_t rootlen;
	const char *ver;
	unsigned char *dir;
	int r = probe_read(s, 0, b, sizeof b);

	if (r <= 0)
		return r;
	if (memcmp(b + 54, "FAT1", 4) && memcmp(b + 82, "FAT32   ", 8) &&
	    memcmp(b + 3, "MSDOS", 5) && memcmp(b + 3, "MSWIN", 5) && memcmp(b + 3, "mkfs.fat", 8))
		return 0;
	ss = probe_le16(b + 11);
	cs = b[13];
	resv = probe_le16(b + 14);
	nfat = b[16];
	rootent = probe_le16(b + 17);
	total = probe_le16(b + 19) ? probe_le16(b + 19) : probe_le32(b + 32);
	fatlen = probe_le16(b + 22) ? probe_le16(b + 22) : probe_le32(b + 36);
	if ((b[21] < 0xf8 && b[21] != 0xf0) || ss < 512 || ss > 4096 || (ss & (ss - 1)) ||
	    !cs || (cs & (cs - 1)) || !resv || !nfat || !fatlen || !total)
		return 0;
	rootsec = (rootent * 32 + ss - 1) / ss;
	if (resv + nfat * fatlen + rootsec >= total)
		return 0;
	clusters = (total - resv - nfat * fatlen - rootsec) / cs;
	if (probe_le16(b + 22) == 0) {
		ver = "FAT32";
		ser = b + 67;
		lab = b + 71;
		rootoff = ((uint64_t)resv + (uint64_t)nfat * fatlen +
			   (uint64_t)(probe_le32(b + 44) - 2) * cs) * ss;
		rootlen = (size_t)cs * ss;
	} else {
		ver = clusters < 4085 ? "FAT12" : "FAT16";
		ser = b + 39;
		lab = b + 43;
		rootoff = ((uint64_t)resv + (uint64_t)nfat * fatlen) * ss;
		rootlen = (size_t)rootent * 32;
	}
	snprintf(uuid, sizeof uuid, "%02X%02X-%02X%02X", ser[3], ser[2], ser[1], ser[0]);
	probe_field(bootlab, sizeof bootlab, lab, 11);
	if (!strcmp(bootlab, "NO NAME"))
		bootlab[0] = '\0';
	strcpy(label, bootlab);
	if (rootlen > ROOTDIR_MAX)
		rootlen = ROOTDIR_MAX;
	if (rootlen && (dir = malloc(rootlen))) {
		r = probe_read(s, rootoff, dir, rootlen);
		if (r > 0 && dir_label(dir, rootlen, dirlab))
			strcpy(label, strcmp(dirlab, "NO NAME") ? dirlab : "");
		free(dir);
		if (r < 0)
			return r;
	}
	r = probe_set_fs(out, "vfat", "filesystem", ver, uuid, label);
	/* libblkid also reports the boot sector's own label, and calls
	 * FAT12/16 "msdos" as a secondary type */
	if (r > 0 && bootlab[0])
		r = probe_set_pair(out, "ID_FS_LABEL_FATBOOT", "ID_FS_LABEL_FATBOOT_ENC", bootlab);
	if (r >= 0 && strcmp(ver, "FAT32"))
		r = uprops_set(out, "ID_FS_SEC_TYPE", "msdos");
	if (r >= 0)
		r = probe_set_blocksize(out, ss);
	return r < 0 ? r : 1;
}

const struct probe_def probe_vfat_def = { "vfat", PROBE_FS, probe_vfat, NULL };
