/* probe_btrfs.c — btrfs.  Superblock at 64 KiB: fsid[16] (+0x20), magic
 * "_BHRfS_M" (+0x40), dev_item (+0xc9) whose uuid is at +66, label[256]
 * (+0x12b). */
#include <errno.h>
#include <string.h>

#include "probe.h"

static int probe_btrfs(const struct probe_src *s, struct uprops *out)
{
	unsigned char sb[0x12b + 256];
	char uuid[37], sub[37], label[257], buf[80];
	int r = probe_read(s, 65536, sb, sizeof sb);

	if (r <= 0)
		return r;
	if (memcmp(sb + 0x40, "_BHRfS_M", 8))
		return 0;
	probe_uuid_str(uuid, sb + 0x20);
	probe_uuid_str(sub, sb + 0xc9 + 66);
	probe_field(label, sizeof label, sb + 0x12b, 256);
	r = probe_set_fs(out, "btrfs", "filesystem", NULL, uuid, label);
	/* sectorsize (le32 +0x90) */
	if (r > 0 && probe_set_blocksize(out, probe_le32(sb + 0x90)) < 0)
		return -ENOSPC;
	if (r > 0) {
		probe_safe_string(buf, sizeof buf, sub);
		uprops_set(out, "ID_FS_UUID_SUB", buf);
		probe_encode_string(buf, sizeof buf, sub);
		uprops_set(out, "ID_FS_UUID_SUB_ENC", buf);
	}
	return r;
}

const struct probe_def probe_btrfs_def = { "btrfs", PROBE_FS, probe_btrfs, NULL };
