/* probe_xfs.c — XFS.  Superblock at 0, big-endian: magic "XFSB", blocksize
 * (+4), uuid[16] (+32), sectsize (+102 be16), fname[12] (+108). */
#include <errno.h>
#include <string.h>

#include "probe.h"

static int probe_xfs(const struct probe_src *s, struct uprops *out)
{
	unsigned char sb[128];
	char uuid[37], label[13];
	uint32_t bs;
	uint16_t ss;
	int r = probe_read(s, 0, sb, sizeof sb);

	if (r <= 0)
		return r;
	if (memcmp(sb, "XFSB", 4))
		return 0;
	/* sanity as libblkid's xfs_verify_sb: power-of-two sizes in range */
	bs = probe_be32(sb + 4);
	ss = probe_be16(sb + 102);
	if (bs < 512 || bs > 65536 || (bs & (bs - 1)) || ss < 512 || ss > 32768 ||
	    (ss & (ss - 1)))
		return 0;
	probe_uuid_str(uuid, sb + 32);
	probe_field(label, sizeof label, sb + 108, 12);
	r = probe_set_fs(out, "xfs", "filesystem", NULL, uuid, label);
	/* libblkid gives the sector size here */
	if (r > 0 && probe_set_blocksize(out, ss) < 0)
		r = -ENOSPC;
	return r;
}

const struct probe_def probe_xfs_def = { "xfs", PROBE_FS, probe_xfs, NULL };
