/* test_input_id.c — evdev classification on capability texts as sysfs
 * shows them for real devices (x86_64, 64-bit words), and the sysfs
 * reader on a scratch tree.  Compiled only with GATHER's input_id. */
#include "gather.gen.h"
#ifdef GATHER_HAVE_input_id
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "input_id.h"

/* The ID_INPUT* keys set, sorted by insertion, joined by ' '. */
static const char *classify(const struct input_caps *c)
{
	static struct uprops p;
	static char out[512];
	const char *e;
	size_t pos = 0;

	uprops_init(&p);
	out[0] = '\0';
	if (input_id_classify(c, &p) < 0)
		return "error";
	while ((e = uprops_next(&p, &pos))) {
		if (out[0])
			strcat(out, " ");
		if (!strncmp(e, "ID_INPUT=", 9))
			strcat(out, "ID_INPUT");
		else	/* the part after "ID_INPUT_" */
			strncat(out, e + 9, strcspn(e + 9, "="));
	}
	return out;
}

TEST(input_keyboard)
{
	/* AT Translated Set 2 keyboard */
	struct input_caps c = { .ev = "120013",
		.key = "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe" };

	CHECK_STR(classify(&c), "ID_INPUT KEY KEYBOARD");
}

TEST(input_ps2_mouse)
{
	/* ImExPS/2 Generic Explorer Mouse */
	struct input_caps c = { .ev = "7", .key = "1f0000 0 0 0 0", .rel = "143" };

	CHECK_STR(classify(&c), "ID_INPUT MOUSE");
}

TEST(input_qemu_tablet)
{
	/* QEMU USB Tablet: absolute axes and mouse buttons */
	struct input_caps c = { .ev = "1f", .key = "70000 0 0 0 0", .rel = "900",
		.abs = "3", .bustype = 3 };

	CHECK_STR(classify(&c), "ID_INPUT MOUSE");
}

TEST(input_touchpad)
{
	/* SynPS/2 Synaptics TouchPad */
	struct input_caps c = { .ev = "b", .key = "e520 10000 0 0 0 0",
		.abs = "660800011000003", .props = "5" };

	CHECK_STR(classify(&c), "ID_INPUT TOUCHPAD");
}

TEST(input_touchscreen)
{
	/* a direct-touch screen: BTN_TOUCH, MT axes, INPUT_PROP_DIRECT */
	struct input_caps c = { .ev = "b", .key = "400 0 0 0 0 0",
		.abs = "3273800000000003", .props = "2" };

	CHECK_STR(classify(&c), "ID_INPUT TOUCHSCREEN");
}

TEST(input_pen_tablet)
{
	/* Wacom pen: BTN_TOOL_PEN, RUBBER, TOUCH, STYLUS, STYLUS2 */
	struct input_caps c = { .ev = "1b", .key = "1c03 0 0 0 0 0",
		.abs = "3000003", .props = "1" };

	CHECK_STR(classify(&c), "ID_INPUT TABLET");
}

TEST(input_gamepad)
{
	/* Microsoft X-Box 360 pad */
	struct input_caps c = { .ev = "20000b", .key = "7cdb000000000000 0 0 0 0",
		.abs = "3003f", .bustype = 3 };
	static struct uprops p;
	const char *tags[4];

	CHECK_STR(classify(&c), "ID_INPUT JOYSTICK");
	uprops_init(&p);
	input_id_classify(&c, &p);
	CHECK_INT(input_id_tags(&p, "input7", tags, 4), 2);
	CHECK_STR(tags[0], "seat");
	CHECK_STR(tags[1], "uaccess");
	CHECK_INT(input_id_tags(&p, "event7", tags, 4), 1);
	CHECK_STR(tags[0], "uaccess");
}

TEST(input_power_button_lid)
{
	struct input_caps pb = { .ev = "3", .key = "10000000000000 0" };
	struct input_caps lid = { .ev = "21", .sw = "1" };
	struct input_caps none = { .ev = "1" };

	CHECK_STR(classify(&pb), "ID_INPUT KEY");
	CHECK_STR(classify(&lid), "ID_INPUT SWITCH");
	CHECK_STR(classify(&none), "ID_INPUT");
}

TEST(input_accelerometer_wheel)
{
	/* no keys, X/Y/Z: an accelerometer; a lone scroll wheel is a key */
	struct input_caps acc = { .ev = "9", .abs = "7" };
	struct input_caps whl = { .ev = "5", .rel = "100" };
	/* i2c "mouse" is a pointing stick */
	struct input_caps i2c = { .ev = "7", .key = "70000 0 0 0 0", .rel = "3", .bustype = 0x18 };

	CHECK_STR(classify(&acc), "ID_INPUT ACCELEROMETER");
	CHECK_STR(classify(&whl), "ID_INPUT KEY");
	CHECK_STR(classify(&i2c), "ID_INPUT POINTINGSTICK MOUSE");
}

/* a sysfs attribute as the kernel shows it: the value and a newline */
static void put(const char *dir, const char *name, const char *val)
{
	char line[512];

	snprintf(line, sizeof line, "%s\n", val);
	unit_put(dir, name, line);
}

TEST(input_sysfs_event_child)
{
	char dir[64] = "/tmp/uevbox-input.XXXXXX", p[128], cmd[160];
	static struct uprops props;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof p, "%s/capabilities", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/id", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/event3", dir);
	mkdir(p, 0755);
	put(dir, "capabilities/ev", "7");
	put(dir, "capabilities/key", "1f0000 0 0 0 0");
	put(dir, "capabilities/rel", "143");
	put(dir, "id/bustype", "0011");
	uprops_init(&props);
	fd = open(p, O_RDONLY | O_DIRECTORY);
	CHECK_INT(input_id_sysfs(fd, &props), 1);
	close(fd);
	CHECK_STR(uprops_get(&props, "ID_INPUT_MOUSE"), "1");
	/* a directory that is no input device */
	uprops_init(&props);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_INT(input_id_sysfs(fd, &props), 0);
	close(fd);
	CHECK_INT(props.len, 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}
#endif
