/* test_gather_names.c — udev's escaping of probed strings (libblkid
 * encode.c as `blkid -o udev` and udev print them) and the by-* names and
 * symlinks of disk_links. */
#include "gather.gen.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "probe.h"

TEST(escape_encode)
{
	char b[256];

	probe_encode_string(b, sizeof b, "my data/1");
	CHECK_STR(b, "my\\x20data\\x2f1");
	probe_encode_string(b, sizeof b, "a#+-.:=@_Z9");
	CHECK_STR(b, "a#+-.:=@_Z9");
	probe_encode_string(b, sizeof b, "back\\slash");
	CHECK_STR(b, "back\\x5cslash");
	probe_encode_string(b, sizeof b, "exfät");	/* valid UTF-8 kept */
	CHECK_STR(b, "exfät");
	probe_encode_string(b, sizeof b, "bad\xff\xc3(");	/* invalid bytes */
	CHECK_STR(b, "bad\\xff\\xc3\\x28");
	probe_encode_string(b, 8, "aaaa bbbb");	/* bounded, terminated */
	CHECK(strlen(b) < 8);
}

TEST(escape_safe)
{
	char b[256];

	probe_safe_string(b, sizeof b, "  two   words \t");
	CHECK_STR(b, "two_words");
	probe_safe_string(b, sizeof b, "my data/1");
	CHECK_STR(b, "my_data/1");
	probe_safe_string(b, sizeof b, "ctl\x01x\xffy");
	CHECK_STR(b, "ctl_x_y");
	probe_safe_string(b, sizeof b, "Grüße");
	CHECK_STR(b, "Grüße");
}

TEST(uuid_guid_utf16)
{
	static const unsigned char g[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
					     0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };
	static const unsigned char z[16];
	static const unsigned char u16[] = { 'r', 0, 'o', 0, 0xe4, 0, ' ', 0, 0x3d, 0xd8, 0x00, 0xde, 0, 0 };
	char s[64];

	probe_guid_str(s, g);	/* the EFI system partition type */
	CHECK_STR(s, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	CHECK_INT(probe_uuid_str(s, z), 0);
	CHECK_INT(probe_uuid_str(s, g), 1);
	CHECK_STR(s, "28732ac1-1ff8-d211-ba4b-00a0c93ec93b");
	probe_utf16_to_utf8(s, sizeof s, u16, sizeof u16, 1);
	CHECK_STR(s, "roä \xf0\x9f\x98\x80");	/* surrogate pair U+1F600 */
}

#ifdef GATHER_HAVE_disk_links
#include "disk_links.h"

TEST(links_compute)
{
	static struct uprops p;
	struct disk_links l;

	uprops_init(&p);
	uprops_set(&p, "ID_FS_USAGE", "filesystem");
	uprops_set(&p, "ID_FS_UUID_ENC", "1234-ABCD");
	uprops_set(&p, "ID_FS_LABEL_ENC", "my\\x20data");
	uprops_set(&p, "ID_PART_ENTRY_SCHEME", "gpt");
	uprops_set(&p, "ID_PART_ENTRY_UUID", "6981c397-ca1d-4489-838f-884dba8ec9a7");
	uprops_set(&p, "ID_PART_ENTRY_NAME", "EFI\\x20system");
	CHECK_INT(disk_links_compute(&p, "virtio-SER1", "pci-0000:00:02.0", 2, &l), 6);
	CHECK_STR(l.name[0], "disk/by-id/virtio-SER1-part2");
	CHECK_STR(l.name[1], "disk/by-path/pci-0000:00:02.0-part2");
	CHECK_STR(l.name[2], "disk/by-uuid/1234-ABCD");
	CHECK_STR(l.name[3], "disk/by-label/my\\x20data");
	CHECK_STR(l.name[4], "disk/by-partuuid/6981c397-ca1d-4489-838f-884dba8ec9a7");
	CHECK_STR(l.name[5], "disk/by-partlabel/EFI\\x20system");
	/* whole disk; dos has no partlabel; swap ("other") gets uuid/label */
	uprops_set(&p, "ID_PART_ENTRY_SCHEME", "dos");
	uprops_set(&p, "ID_FS_USAGE", "other");
	CHECK_INT(disk_links_compute(&p, "virtio-SER1", NULL, 0, &l), 4);
	CHECK_STR(l.name[0], "disk/by-id/virtio-SER1");
	/* a RAID member ("raid" usage) gets no by-uuid/by-label */
	uprops_set(&p, "ID_FS_USAGE", "raid");
	CHECK_INT(disk_links_compute(&p, NULL, NULL, 0, &l), 1);
	CHECK_STR(l.name[0], "disk/by-partuuid/6981c397-ca1d-4489-838f-884dba8ec9a7");
	/* names that would leave their directory are dropped */
	uprops_init(&p);
	uprops_set(&p, "ID_FS_USAGE", "filesystem");
	uprops_set(&p, "ID_FS_UUID_ENC", "..");
	uprops_set(&p, "ID_FS_LABEL_ENC", "a/b");
	CHECK_INT(disk_links_compute(&p, NULL, NULL, 0, &l), 0);
}

TEST(links_escape_tag)
{
	char b[128];

	disk_link_escape(b, sizeof b, "Samsung SSD 970 EVO 1TB   \n");
	CHECK_STR(b, "Samsung_SSD_970_EVO_1TB");
	disk_link_escape(b, sizeof b, "a/b..c\\x20ä");
	CHECK_STR(b, "a_b..c\\x20ä");
	disk_path_tag(b, sizeof b, "pci-0000:00:02.0-nvme-1");
	CHECK_STR(b, "pci-0000_00_02_0-nvme-1");
	disk_path_tag(b, sizeof b, "::platform-a.b::");
	CHECK_STR(b, "platform-a_b");
}

TEST(links_apply)
{
	char dir[64] = "/tmp/uevbox-links.XXXXXX", buf[256], cmd[128];
	struct disk_links l = { 2, { "disk/by-uuid/1234-ABCD", "disk/by-label/BOOT" } };
	int fd;
	ssize_t n;

	CHECK(mkdtemp(dir) != NULL);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_INT(disk_links_apply(fd, &l, "vda1", 1), 0);
	n = readlinkat(fd, "disk/by-uuid/1234-ABCD", buf, sizeof buf - 1);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR(buf, "../../vda1");
	/* another device takes the label; removing vda1 leaves it alone */
	l.n = 1;
	strcpy(l.name[0], "disk/by-label/BOOT");
	CHECK_INT(disk_links_apply(fd, &l, "vdb1", 1), 0);
	l.n = 2;
	strcpy(l.name[0], "disk/by-uuid/1234-ABCD");
	CHECK_INT(disk_links_apply(fd, &l, "vda1", 0), 0);
	CHECK(faccessat(fd, "disk/by-uuid/1234-ABCD", F_OK, AT_SYMLINK_NOFOLLOW) != 0);
	n = readlinkat(fd, "disk/by-label/BOOT", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR(buf, "../../vdb1");
	close(fd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}
#endif
