/* test_uev.c — the uevent classifier on byte-exact datagrams: every
 * rejection reason, both wire formats, and the sender checks. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>

#include "unit.h"
#include "uev.h"

#define GOOD "add@/devices/virtual/mem/null\0ACTION=add\0DEVPATH=/devices/virtual/mem/null\0" \
	     "SUBSYSTEM=mem\0MAJOR=1\0MINOR=3\0DEVNAME=null\0SEQNUM=1234\0"

static const struct nl_from kernel = { .portid = 0, .groups = 1 };

static int kparse(const char *buf, size_t len)
{
	struct uevent ev;

	return uev_parse_kernel(&ev, buf, len);
}

TEST(uev_kernel_good)
{
	struct uevent ev;

	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &kernel), UEV_OK);
	CHECK_INT(ev.source, UEV_SRC_KERNEL);
	CHECK_STR(ev.action, "add");
	CHECK_STR(ev.devpath, "/devices/virtual/mem/null");
	CHECK_STR(ev.subsystem, "mem");
	CHECK_STR(ev.devname, "null");
	CHECK(ev.devtype == NULL);
	CHECK_INT(ev.seqnum, 1234);
	CHECK_INT(ev.nvars, 7);
	CHECK_STR(uev_get(&ev, "MINOR"), "3");
	CHECK(uev_get(&ev, "MINO") == NULL);
	CHECK(uev_get(&ev, "NOPE") == NULL);
}

TEST(uev_reject_framing)
{
	CHECK_INT(kparse("", 0), UEV_E_EMPTY);
	/* the last byte must be NUL: cut the final terminator off */
	CHECK_INT(kparse(GOOD, sizeof(GOOD) - 2), UEV_E_NO_NUL);
	CHECK_INT(kparse(BYTES("add@/devices/x")), UEV_E_NO_NUL);
}

/* Byte-exact kernel datagrams and the verdict each must get. */
static const struct {
	const char *buf;
	size_t len;
	int want;
} kcases[] = {
	{ BYTES("add/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER },
	{ BYTES("@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER },
	{ BYTES("add@devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER },
	{ BYTES("remove@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER_MISMATCH },
	{ BYTES("add@/devices/y\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER_MISMATCH },
	{ BYTES("ad@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_HEADER_MISMATCH },
	{ BYTES("add@/devices/x\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_MISSING_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_MISSING_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SEQNUM=1\0"),
	  UEV_E_MISSING_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0"),
	  UEV_E_MISSING_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=\0SEQNUM=1\0"),
	  UEV_E_EMPTY_VALUE },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0" "SUBSYSTEM=b\0SEQNUM=1\0"),
	  UEV_E_DUP_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_DUP_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0SEQNUM=2\0"),
	  UEV_E_DUP_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=12a\0"),
	  UEV_E_SEQNUM },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=-1\0"),
	  UEV_E_SEQNUM },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM= 1\0"),
	  UEV_E_SEQNUM },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=18446744073709551616\0"),
	  UEV_E_SEQNUM },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=18446744073709551615\0"),
	  UEV_OK },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0lower=1\0"),
	  UEV_E_BAD_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0NOEQUALS\0"),
	  UEV_E_BAD_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0=v\0"),
	  UEV_E_BAD_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0"),
	  UEV_E_BAD_KEY },
	{ BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0K-Y=1\0"),
	  UEV_E_BAD_KEY },
};

TEST(uev_reject_table)
{
	size_t i;

	for (i = 0; i < sizeof kcases / sizeof *kcases; i++)
		if (!CHECK_INT(kparse(kcases[i].buf, kcases[i].len), kcases[i].want))
			printf("    case %zu: %s\n", i, kcases[i].buf);
}

TEST(uev_too_many_vars)
{
	char buf[4096];
	size_t len;
	int i;

	len = (size_t)snprintf(buf, sizeof buf, "add@/devices/x") + 1;
	CHECK_INT(uev_buf_add(buf, sizeof buf, &len, "ACTION", "add"), 0);
	uev_buf_add(buf, sizeof buf, &len, "DEVPATH", "/devices/x");
	uev_buf_add(buf, sizeof buf, &len, "SUBSYSTEM", "a");
	uev_buf_add(buf, sizeof buf, &len, "SEQNUM", "7");
	for (i = 4; i < UEV_MAX_VARS; i++) {
		char k[16];

		snprintf(k, sizeof k, "V%d", i);
		CHECK_INT(uev_buf_add(buf, sizeof buf, &len, k, "x"), 0);
	}
	CHECK_INT(kparse(buf, len), UEV_OK);	/* exactly the maximum */
	uev_buf_add(buf, sizeof buf, &len, "ONEMORE", "x");
	CHECK_INT(kparse(buf, len), UEV_E_TOO_MANY);
}

TEST(uev_reject_paths)
{
	CHECK_INT(kparse(BYTES("add@/devices/../x\0ACTION=add\0DEVPATH=/devices/../x\0SUBSYSTEM=a\0SEQNUM=1\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices//x\0ACTION=add\0DEVPATH=/devices//x\0SUBSYSTEM=a\0SEQNUM=1\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=/etc/passwd\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=../../etc/passwd\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=a/..\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=a\nb\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=a\x1b" "b\0")),
		  UEV_E_BAD_PATH);
	CHECK_INT(kparse(BYTES("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=\0")),
		  UEV_E_BAD_PATH);
	/* names that merely contain dots are fine */
	CHECK_INT(kparse(BYTES("add@/devices/x..y\0ACTION=add\0DEVPATH=/devices/x..y\0SUBSYSTEM=a\0SEQNUM=1\0DEVNAME=bus/usb/001/..2\0")),
		  UEV_OK);
}

TEST(uev_path_rules)
{
	CHECK(uev_path_ok("/devices/a@1/b", 1));
	CHECK(!uev_path_ok("devices/a", 1));
	CHECK(!uev_path_ok("/", 1));
	CHECK(!uev_path_ok("a/", 0));
	CHECK(!uev_path_ok("./a", 0));
	CHECK(uev_path_ok("snd/controlC0", 0));
}

TEST(uev_sender)
{
	struct nl_from f = kernel;
	struct uevent ev;

	CHECK_INT(uev_check_sender(&f, UEV_SRC_KERNEL), UEV_OK);
	f.portid = 4242;
	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &f), UEV_E_SENDER_PORTID);
	f.portid = 0;
	f.groups = 2;
	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &f), UEV_E_SENDER_GROUP);
	f.groups = 0;	/* unicast */
	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &f), UEV_E_SENDER_GROUP);
	f.groups = 1;
	f.has_cred = 1;
	f.uid = 1000;
	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &f), UEV_E_SENDER_UID);
	f.uid = 0;
	CHECK_INT(uev_classify(&ev, BYTES(GOOD), &f), UEV_OK);
}

/* A libudev message: 40-byte header, then properties. */
static size_t mk_libudev(char *buf, size_t size, const char *props, size_t plen, uint32_t magic)
{
	uint32_t v;

	memset(buf, 0, 40);
	memcpy(buf, "libudev", 8);
	v = htobe32(magic);
	memcpy(buf + 8, &v, 4);
	v = 40;
	memcpy(buf + 12, &v, 4);	/* header_size */
	memcpy(buf + 16, &v, 4);	/* properties_off */
	v = (uint32_t)plen;
	memcpy(buf + 20, &v, 4);
	if (40 + plen > size)
		return 0;
	memcpy(buf + 40, props, plen);
	return 40 + plen;
}

#define UPROPS "ACTION=add\0DEVPATH=/devices/virtual/net/lo\0SUBSYSTEM=net\0SEQNUM=9\0ID_NET_NAME=lo\0net.ifname_x=1\0"
#define UPROPS_DEVNAME(n) "ACTION=add\0DEVPATH=/devices/virtual/block/loop9\0SUBSYSTEM=block\0SEQNUM=9\0DEVNAME=" n "\0"

TEST(uev_libudev)
{
	char buf[512];
	struct uevent ev;
	struct nl_from f = { .portid = 777, .groups = 2, .has_cred = 1, .uid = 0 };
	size_t n = mk_libudev(buf, sizeof buf, BYTES(UPROPS), 0xfeedcafe);
	uint32_t v;

	CHECK_INT(uev_classify(&ev, buf, n, &f), UEV_OK);
	CHECK_INT(ev.source, UEV_SRC_LIBUDEV);
	CHECK_STR(ev.subsystem, "net");
	CHECK_INT(ev.seqnum, 9);
	CHECK_STR(uev_get(&ev, "ID_NET_NAME"), "lo");
	f.uid = 1000;
	CHECK_INT(uev_classify(&ev, buf, n, &f), UEV_E_SENDER_UID);
	f.uid = 0;
	/* bad magic */
	n = mk_libudev(buf, sizeof buf, BYTES(UPROPS), 0xcafefeed);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_LIBUDEV_MAGIC);
	/* properties running past the end */
	n = mk_libudev(buf, sizeof buf, BYTES(UPROPS), 0xfeedcafe);
	v = (uint32_t)(n - 40 + 1);
	memcpy(buf + 20, &v, 4);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_TRUNCATED);
	/* offset past the end, with a length that would wrap */
	v = 0xffffffff;
	memcpy(buf + 16, &v, 4);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_TRUNCATED);
	/* offset inside the header */
	v = 20;
	memcpy(buf + 16, &v, 4);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_LIBUDEV_MAGIC);
	/* shorter than the header */
	CHECK_INT(uev_parse(&ev, buf, 30), UEV_E_TRUNCATED);
	/* DEVNAME: absolute in libudev messages, and still checked */
	n = mk_libudev(buf, sizeof buf, BYTES(UPROPS_DEVNAME("/dev/loop9")), 0xfeedcafe);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_OK);
	CHECK_STR(ev.devname, "/dev/loop9");
	n = mk_libudev(buf, sizeof buf, BYTES(UPROPS_DEVNAME("loop9")), 0xfeedcafe);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_BAD_PATH);
	n = mk_libudev(buf, sizeof buf, BYTES(UPROPS_DEVNAME("/dev/../etc/passwd")), 0xfeedcafe);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_BAD_PATH);
	/* properties without a final NUL */
	n = mk_libudev(buf, sizeof buf, "ACTION=add", 10, 0xfeedcafe);
	CHECK_INT(uev_parse(&ev, buf, n), UEV_E_NO_NUL);
}

TEST(uev_vars)
{
	char buf[256];
	size_t len = 0;
	struct uevent ev;

	uev_buf_add(buf, sizeof buf, &len, "ACTION", "add");
	uev_buf_add(buf, sizeof buf, &len, "DEVPATH", "/devices/virtual/mem/zero");
	uev_buf_add(buf, sizeof buf, &len, "SUBSYSTEM", "mem");
	uev_buf_add(buf, sizeof buf, &len, "DEVNAME", "zero");
	CHECK_INT(uev_parse_vars(&ev, buf, len), UEV_OK);
	CHECK_INT(ev.seqnum, 0);
	CHECK_STR(ev.devname, "zero");
	CHECK_INT(uev_buf_add(buf, 20, &len, "X", "y"), -ENOSPC);
}

TEST(uev_reason_strings)
{
	int r;

	for (r = 0; r < UEV_NREASONS; r++)
		CHECK(uev_reason_str(r) && strcmp(uev_reason_str(r), "unknown reason"));
	CHECK_STR(uev_reason_str(-1), "unknown reason");
	CHECK_STR(uev_reason_str(UEV_NREASONS), "unknown reason");
}
