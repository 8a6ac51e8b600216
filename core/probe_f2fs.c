/* probe_f2fs.c — F2FS.  Superblock at 1024: magic 0xF2F52010 (le32 +0),
 * major/minor version (+4, +6), uuid[16] (+108), volume_name as UTF-16LE
 * (+124, 512 units). */
#include <errno.h>
#include <stdio.h>

#include "probe.h"

static int probe_f2fs(const struct probe_src *s, struct uprops *out)
{
	unsigned char sb[124 + 1024];
	char uuid[37], label[1600], ver[16];
	int r = probe_read(s, 1024, sb, sizeof sb);

	if (r <= 0)
		return r;
	if (probe_le32(sb) != 0xF2F52010)
		return 0;
	probe_uuid_str(uuid, sb + 108);
	probe_utf16_to_utf8(label, sizeof label, sb + 124, 1024, 1);
	snprintf(ver, sizeof ver, "%u.%u", probe_le16(sb + 4), probe_le16(sb + 6));
	r = probe_set_fs(out, "f2fs", "filesystem", ver, uuid, label);
	/* 1 << log_blocksize (le32 +16) */
	if (r > 0 && probe_le32(sb + 16) < 31 && probe_set_blocksize(out, 1UL << probe_le32(sb + 16)) < 0)
		r = -ENOSPC;
	return r;
}

const struct probe_def probe_f2fs_def = { "f2fs", PROBE_FS, probe_f2fs, NULL };
