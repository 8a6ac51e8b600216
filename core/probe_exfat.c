/* probe_exfat.c — exFAT.  Boot sector: "EXFAT   " (+3), FAT offset
 * (le32 +80, sectors), cluster heap offset (le32 +88), cluster count
 * (le32 +92), root directory cluster (le32 +96), serial (le32 +100),
 * revision minor/major (+104, +105), bytes-per-sector shift (+108),
 * sectors-per-cluster shift (+109).  The label is the root directory's
 * entry of type 0x83: character count (+1), UTF-16LE name (+2, at most
 * 11 units).  UUID "%02X%02X-%02X%02X" of the serial bytes 3,2,1,0
 * (libblkid superblocks/exfat.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define EXFAT_MAX_CLUSTERS 16	/* root directory clusters followed */

static int probe_exfat(const struct probe_src *s, struct uprops *out)
{
	unsigned char b[512], *dir, next[4];
	char uuid[10], label[64] = "", ver[16];
	uint32_t cl, heap, fatoff, nclusters, n;
	unsigned bps, spc;
	size_t clen, i;
	int r = probe_read(s, 0, b, sizeof b), found = 0;

	if (r <= 0)
		return r;
	if (memcmp(b + 3, "EXFAT   ", 8))
		return 0;
	bps = b[108];
	spc = b[109];
	if (bps < 9 || bps > 12 || spc > 25 - bps)
		return 0;
	fatoff = probe_le32(b + 80);
	heap = probe_le32(b + 88);
	nclusters = probe_le32(b + 92);
	cl = probe_le32(b + 96);
	clen = (size_t)1 << (bps + spc);
	if (clen > 1 << 20)
		clen = 1 << 20;
	dir = malloc(clen);
	if (!dir)
		return -ENOMEM;
	for (n = 0; n < EXFAT_MAX_CLUSTERS && !found && cl >= 2 && cl < nclusters + 2; n++) {
		uint64_t off = ((uint64_t)heap + ((uint64_t)(cl - 2) << spc)) << bps;

		if ((r = probe_read(s, off, dir, clen)) <= 0)
			break;
		for (i = 0; i + 32 <= clen; i += 32) {
			if (dir[i] == 0)	/* end of directory */
				goto done;
			if (dir[i] == 0x83) {
				unsigned cnt = dir[i + 1] > 11 ? 11 : dir[i + 1];

				probe_utf16_to_utf8(label, sizeof label, dir + i + 2, cnt * 2, 1);
				found = 1;
				break;
			}
		}
		/* next cluster of the root directory from the FAT */
		if ((r = probe_read(s, ((uint64_t)fatoff << bps) + (uint64_t)cl * 4, next, 4)) <= 0)
			break;
		cl = probe_le32(next);
	}
done:
	free(dir);
	if (r < 0)
		return r;
	snprintf(uuid, sizeof uuid, "%02X%02X-%02X%02X", b[103], b[102], b[101], b[100]);
	snprintf(ver, sizeof ver, "%u.%u", b[105], b[104]);
	r = probe_set_fs(out, "exfat", "filesystem", ver, uuid, label);
	if (r > 0 && probe_set_blocksize(out, 1UL << bps) < 0)
		r = -ENOSPC;
	return r;
}

const struct probe_def probe_exfat_def = { "exfat", PROBE_FS, probe_exfat, NULL };
