/* test_probe_garbage.c — every built-in probe on hostile input: random
 * bytes with each format's magic planted at its offset, truncated
 * devices, absurd sizes and offsets in the headers.  Nothing may crash or
 * read outside the device (probe_read bounds every access); results are
 * only required to be 0/1 and, when 1, to carry ID_FS_TYPE or
 * ID_PART_TABLE_TYPE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "unit.h"
#include "probe.h"

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

struct magic {
	size_t off;
	const char *bytes;
	size_t len;
};

static const struct magic magics[] = {
	{ 1024 + 56, "\x53\xef", 2 },		/* ext */
	{ 4096 - 10, "SWAPSPACE2", 10 },
	{ 0, "XFSB\0\0\x10\0", 8 },
	{ 65536 + 0x40, "_BHRfS_M", 8 },
	{ 1024, "\x10\x20\xf5\xf2", 4 },	/* f2fs */
	{ 0, "hsqs", 4 },
	{ 0, "LUKS\xba\xbe\0\x02", 8 },
	{ 3, "EXFAT   ", 8 },
	{ 54, "FAT16   ", 8 },
	{ 82, "FAT32   ", 8 },
	{ 32769, "CD001", 5 },
	{ 510, "\x55\xaa", 2 },
	{ 512, "EFI PART", 8 },
};

TEST(probe_garbage)
{
	size_t size = 128 * 1024, i, m;
	unsigned char *img = malloc(size);
	int fd = memfd_create("probe", 0), iter, bad = 0;

	CHECK(img != NULL && fd >= 0);
	if (!img || fd < 0)
		return;
	for (iter = 0; iter < 600; iter++) {
		static struct uprops p;
		struct probe_src s, d;
		size_t len = (iter % 7 == 0) ? (rnd() % 70000) : size;
		int r;

		for (i = 0; i < size; i++)
			img[i] = (unsigned char)rnd();
		m = (size_t)iter % (sizeof magics / sizeof *magics);
		memcpy(img + magics[m].off, magics[m].bytes, magics[m].len);
		/* sometimes zeros, as real images have, to reach deeper code */
		if (iter & 1)
			memset(img + 1024 + 4, 0, 200);
		if (ftruncate(fd, 0) < 0 || pwrite(fd, img, len, 0) != (ssize_t)len)
			break;
		if (probe_src_init(&s, fd) < 0)
			break;
		uprops_init(&p);
		r = probe_device(&s, &s, rnd() % 256, &p);
		if (r < 0 || r > 1)
			bad++;
		if (r == 1 && !uprops_get(&p, "ID_FS_TYPE") && !uprops_get(&p, "ID_PART_TABLE_TYPE") &&
		    !uprops_get(&p, "ID_PART_ENTRY_SCHEME"))
			bad++;
		/* a window past the end is refused, not read */
		CHECK_INT(probe_src_sub(&d, &s, len + 1, 10), -ERANGE);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(iter, 600);
	close(fd);
	free(img);
}
