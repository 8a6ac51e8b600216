/* probe_ext.c — ext2, ext3, ext4 (and an external ext journal, "jbd").
 * Superblock at 1024: magic 0xEF53 (le16 at +56), feature words compat
 * (+92), incompat (+96), ro_compat (+100), rev_level (+76), minor (+62),
 * uuid[16] (+104), volume_name[16] (+120), s_flags (+352).
 * Which name, as libblkid decides it (superblocks/ext.c): a journal device
 * is "jbd"; without has_journal and no feature ext2 lacks: "ext2"; with a
 * journal and nothing ext3 lacks: "ext3"; anything beyond: "ext4". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

#define COMPAT_HAS_JOURNAL	0x0004
#define INCOMPAT_FILETYPE	0x0002
#define INCOMPAT_RECOVER	0x0004
#define INCOMPAT_JOURNAL_DEV	0x0008
#define INCOMPAT_META_BG	0x0010
#define RO_COMPAT_SUPP		0x0007	/* sparse_super, large_file, btree_dir */
#define EXT2_INCOMPAT_SUPP	(INCOMPAT_FILETYPE | INCOMPAT_META_BG)
#define EXT3_INCOMPAT_SUPP	(INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG)

static int probe_ext(const struct probe_src *s, struct uprops *out)
{
	unsigned char sb[1024];
	char uuid[37], label[17], ver[24];
	uint32_t compat, incompat, ro;
	const char *type;
	int r = probe_read(s, 1024, sb, sizeof sb);

	if (r <= 0)
		return r;
	if (probe_le16(sb + 56) != 0xEF53)
		return 0;
	compat = probe_le32(sb + 92);
	incompat = probe_le32(sb + 96);
	ro = probe_le32(sb + 100);
	if (incompat & INCOMPAT_JOURNAL_DEV)
		type = "jbd";
	else if (!(compat & COMPAT_HAS_JOURNAL) && !(incompat & ~EXT2_INCOMPAT_SUPP) &&
		 !(ro & ~RO_COMPAT_SUPP))
		type = "ext2";
	else if ((compat & COMPAT_HAS_JOURNAL) && !(incompat & ~EXT3_INCOMPAT_SUPP) &&
		 !(ro & ~RO_COMPAT_SUPP))
		type = "ext3";
	else
		type = "ext4";
	probe_uuid_str(uuid, sb + 104);
	probe_field(label, sizeof label, sb + 120, 16);
	snprintf(ver, sizeof ver, "%u.%u", probe_le32(sb + 76), probe_le16(sb + 62));
	r = probe_set_fs(out, type, strcmp(type, "jbd") ? "filesystem" : "other",
			 ver, uuid, label);
	/* an ext3 mounts as ext2 too: libblkid names that secondary type */
	if (r > 0 && !strcmp(type, "ext3") && uprops_set(out, "ID_FS_SEC_TYPE", "ext2") < 0)
		return -ENOSPC;
	/* block size 1024 << s_log_block_size (+24) */
	if (r > 0 && probe_le32(sb + 24) < 8 && (r = probe_set_blocksize(out, 1024UL << probe_le32(sb + 24))) >= 0)
		r = 1;
	return r;
}

const struct probe_def probe_ext_def = { "ext", PROBE_FS, probe_ext, NULL };
