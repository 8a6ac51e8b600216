/* probe.h — block device content probes: filesystem superblocks and
 * partition tables, giving the ID_FS_* / ID_PART_TABLE_* / ID_PART_ENTRY_*
 * properties udev's blkid builtin (and `blkid -p -o udev`) gives.
 *
 * Each probe lives in its own core/probe_<name>.c and is built only when
 * the config's GATHER line names it (Makefile); the build generates the
 * table probe.c walks.  A probe reads through struct probe_src (bounded
 * preads, never past the device end) and fills a uprops; it never prints.
 * Probes return 1 (recognized, properties set), 0 (not this format) or
 * -errno (I/O error). */
#ifndef UEVBOX_PROBE_H
#define UEVBOX_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "udev_props.h"

struct probe_src {
	int fd;
	uint64_t off;		/* where the device starts in fd (a partition
				   inside a disk image); 0 normally */
	uint64_t size;		/* bytes from off */
};

enum probe_kind { PROBE_FS = 1, PROBE_PT };

struct probe_def {
	const char *name;
	enum probe_kind kind;
	/* Recognize the content; set ID_FS_* (PROBE_FS) or ID_PART_TABLE_*
	 * (PROBE_PT). */
	int (*probe)(const struct probe_src *src, struct uprops *out);
	/* PROBE_PT only: describe the entry starting at sector `start` (512
	 * bytes) with ID_PART_ENTRY_*.  1 found, 0 not in this table. */
	int (*entry)(const struct probe_src *disk, uint64_t start, struct uprops *out);
};

/* Set size from the fd (regular file or block device), off 0. */
int probe_src_init(struct probe_src *s, int fd);
/* A window [off, off + size) of parent, clipped to it: -ERANGE if off is
 * past its end. */
int probe_src_sub(struct probe_src *s, const struct probe_src *parent,
		  uint64_t off, uint64_t size);

/* Read len bytes at off; -EIO... or 0 when the range is past the end
 * (a short device simply is not that format); 1 when read. */
int probe_read(const struct probe_src *s, uint64_t off, void *buf, size_t len);

/* Run every compiled-in filesystem probe, first match wins (order of the
 * GATHER line).  Returns 1, 0 or -errno. */
int probe_fs(const struct probe_src *s, struct uprops *out);
/* Every compiled-in partition table probe, first match wins. */
int probe_table(const struct probe_src *s, struct uprops *out);
/* The partition entry starting at sector start on disk. */
int probe_part_entry(const struct probe_src *disk, uint64_t start, struct uprops *out);

/* Everything for one block device, as udev's blkid builtin gathers it:
 * its partition table (ID_PART_TABLE_*), its filesystem (ID_FS_*) and,
 * for a partition (disk != NULL), the entry starting at sector start of
 * the disk's table (ID_PART_ENTRY_*).  Returns 1 if anything was
 * recognized, 0 if nothing, -errno. */
int probe_device(const struct probe_src *dev, const struct probe_src *disk,
		 uint64_t start, struct uprops *out);

/* Names of the compiled-in probes, for --help / listing. */
size_t probe_list(const struct probe_def *const **defs);

/* Helpers for the probes. */
uint16_t probe_le16(const void *p);
uint32_t probe_le32(const void *p);
uint64_t probe_le64(const void *p);
uint16_t probe_be16(const void *p);
uint32_t probe_be32(const void *p);
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" of 16 bytes as stored (DCE
 * byte order, as ext/xfs/btrfs/swap/f2fs keep them); 0 if all zero. */
int probe_uuid_str(char out[37], const unsigned char u[16]);
/* The same for a GUID with its first three fields little-endian (GPT). */
void probe_guid_str(char out[37], const unsigned char g[16]);
/* UTF-16 (le != 0: little-endian) to UTF-8, stopping at NUL; returns
 * the length written (out always terminated). */
size_t probe_utf16_to_utf8(char *out, size_t outsize, const unsigned char *in,
			   size_t inbytes, int le);

/* udev's two spellings of a probed string (libblkid encode.c, as
 * `blkid -o udev` and udev's blkid builtin print them):
 *   safe: outer whitespace stripped, inner runs become one '_', bytes
 *         outside printable ASCII and valid UTF-8 become '_'
 *   enc:  alnum, valid UTF-8 sequences and "#+-.:=@_" kept, every other
 *         byte (and '\') as "\xNN" (lower-case hex) */
void probe_safe_string(char *out, size_t size, const char *in);
void probe_encode_string(char *out, size_t size, const char *in);

/* Set ID_FS_TYPE/USAGE (and VERSION when non-NULL), ID_FS_UUID(+_ENC),
 * ID_FS_LABEL(+_ENC) (label/uuid skipped when NULL or empty). */
int probe_set_fs(struct uprops *out, const char *type, const char *usage,
		 const char *version, const char *uuid, const char *label);
/* ID_FS_BLOCK_SIZE (libblkid reports it for most filesystems). */
int probe_set_blocksize(struct uprops *out, unsigned long bs);
/* KEY=safe(v) and KEYENC=enc(v). */
int probe_set_pair(struct uprops *out, const char *key, const char *keyenc, const char *v);
/* Copy at most n bytes of a fixed-size field, dropping trailing NULs and
 * spaces (and stopping at the first NUL). */
void probe_field(char *out, size_t size, const void *field, size_t n);

#endif
