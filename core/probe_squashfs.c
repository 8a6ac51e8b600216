/* probe_squashfs.c — SquashFS: "hsqs" at 0 (little-endian images),
 * version s_major/s_minor (le16 +28, +30).  No UUID, no label. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

static int probe_squashfs(const struct probe_src *s, struct uprops *out)
{
	unsigned char sb[32];
	char ver[16];
	int r = probe_read(s, 0, sb, sizeof sb);

	if (r <= 0)
		return r;
	if (memcmp(sb, "hsqs", 4))
		return 0;
	/* version 4 is "squashfs"; libblkid names older ones squashfs3 */
	if (probe_le16(sb + 28) < 4)
		return probe_set_fs(out, "squashfs3", "filesystem", NULL, NULL, NULL);
	snprintf(ver, sizeof ver, "%u.%u", probe_le16(sb + 28), probe_le16(sb + 30));
	return probe_set_fs(out, "squashfs", "filesystem", ver, NULL, NULL);
}

const struct probe_def probe_squashfs_def = { "squashfs", PROBE_FS, probe_squashfs, NULL };
