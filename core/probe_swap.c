/* probe_swap.c — Linux swap.  "SWAPSPACE2" (v1) or "SWAP-SPACE" (v0) in
 * the last 10 bytes of the first page; libblkid tries page sizes 4K to
 * 64K.  v1 header at 1024: version (le32), last_page, nr_badpages,
 * uuid[16] (+12), volume_name[16] (+28). */
#include <string.h>

#include "probe.h"

static int probe_swap(const struct probe_src *s, struct uprops *out)
{
	unsigned char sig[10], hdr[44];
	char uuid[37], label[17];
	unsigned pg;
	int r;

	for (pg = 4096; pg <= 65536; pg <<= 1) {
		if ((r = probe_read(s, pg - 10, sig, sizeof sig)) <= 0)
			return r;
		if (!memcmp(sig, "SWAP-SPACE", 10))
			return probe_set_fs(out, "swap", "other", "0", NULL, NULL);
		if (memcmp(sig, "SWAPSPACE2", 10))
			continue;
		if ((r = probe_read(s, 1024, hdr, sizeof hdr)) <= 0)
			return r;
		/* a v1 header that says version 1 (either byte order) */
		if (probe_le32(hdr) != 1 && probe_be32(hdr) != 1)
			return 0;
		if (!probe_uuid_str(uuid, hdr + 12))
			uuid[0] = '\0';
		probe_field(label, sizeof label, hdr + 28, 16);
		return probe_set_fs(out, "swap", "other", "1", uuid, label);
	}
	return 0;
}

const struct probe_def probe_swap_def = { "swap", PROBE_FS, probe_swap, NULL };
