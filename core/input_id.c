/* input_id.c — evdev classification (see input_id.h).  The decisions
 * follow udev's input_id builtin; the bit numbers are the kernel's
 * (linux/input-event-codes.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/input.h>

#include "input_id.h"
#include "sysfs.h"

#ifndef INPUT_PROP_ACCELEROMETER
#define INPUT_PROP_ACCELEROMETER 0x06
#endif
#ifndef INPUT_PROP_POINTING_STICK
#define INPUT_PROP_POINTING_STICK 0x05
#endif

#define LBITS (sizeof(unsigned long) * 8)
#define NLONGS(n) (((n) + LBITS - 1) / LBITS)

struct bits {
	unsigned long ev[NLONGS(EV_MAX + 1)], key[NLONGS(KEY_MAX + 1)],
		rel[NLONGS(REL_MAX + 1)], abs[NLONGS(ABS_MAX + 1)],
		props[NLONGS(INPUT_PROP_MAX + 1)];
};

/* Set property k to "1", keeping the first error in *err. */
#define SET(k) do { if (!*err) *err = uprops_set(out, k, "1"); } while (0)

static int bit(const unsigned long *a, unsigned n)
{
	return (a[n / LBITS] >> (n % LBITS)) & 1;
}

/* Parse "hex hex hex" into words, the last word being bits 0..LBITS-1.
 * Words beyond the array are ignored, as udev does. */
static void parse(const char *s, unsigned long *out, size_t nlongs)
{
	const char *end, *p;
	size_t i = 0;

	memset(out, 0, nlongs * sizeof *out);
	if (!s)
		return;
	end = s + strlen(s);
	while (end > s && i < nlongs) {
		char word[24];
		size_t l;

		while (end > s && (end[-1] == ' ' || end[-1] == '\n'))
			end--;
		for (p = end; p > s && p[-1] != ' '; p--)
			;
		l = (size_t)(end - p);
		if (l == 0)
			break;
		if (l < sizeof word) {
			memcpy(word, p, l);
			word[l] = '\0';
			out[i] = strtoul(word, NULL, 16);
		}
		i++;
		end = p;
	}
}

/* Returns whether it is a pointer of some kind. */
static int pointers(const struct bits *b, unsigned bustype, struct uprops *out, int *err)
{
	int has_keys = bit(b->ev, EV_KEY);
	int has_abs = bit(b->abs, ABS_X) && bit(b->abs, ABS_Y);
	int has_3d = has_abs && bit(b->abs, ABS_Z);
	int accel = bit(b->props, INPUT_PROP_ACCELEROMETER) || (!has_keys && has_3d);
	int stick, stylus, pen, finger, mousebtn = 0, rel, mt, direct, touch, pad, wheel;
	int is_mouse = 0, abs_mouse = 0, touchpad = 0, touchscreen = 0, tablet = 0;
	int tablet_pad = 0, joystick = 0;
	unsigned jbtn = 0, jaxes = 0, i;

	if (accel) {
		SET("ID_INPUT_ACCELEROMETER");
		return 1;
	}
	stick = bit(b->props, INPUT_PROP_POINTING_STICK);
	stylus = bit(b->key, BTN_STYLUS);
	pen = bit(b->key, BTN_TOOL_PEN);
	finger = bit(b->key, BTN_TOOL_FINGER) && !pen;
	for (i = BTN_MOUSE; i < BTN_JOYSTICK && !mousebtn; i++)
		mousebtn = bit(b->key, i);
	rel = bit(b->ev, EV_REL) && bit(b->rel, REL_X) && bit(b->rel, REL_Y);
	mt = bit(b->abs, ABS_MT_POSITION_X) && bit(b->abs, ABS_MT_POSITION_Y);
	/* a device claiming every abs axis is not really multitouch */
	if (mt && bit(b->abs, ABS_MT_SLOT) && bit(b->abs, ABS_MT_SLOT - 1))
		mt = 0;
	direct = bit(b->props, INPUT_PROP_DIRECT);
	touch = bit(b->key, BTN_TOUCH);
	pad = bit(b->key, BTN_0) && bit(b->key, BTN_1) && !pen;
	wheel = bit(b->ev, EV_REL) && (bit(b->rel, REL_WHEEL) || bit(b->rel, REL_HWHEEL));

	/* a mouse with more than 16 buttons runs into the joystick range */
	if (!bit(b->key, BTN_JOYSTICK - 1)) {
		for (i = BTN_JOYSTICK; i < BTN_DIGI; i++)
			jbtn += (unsigned)bit(b->key, i);
		for (i = BTN_TRIGGER_HAPPY1; i <= BTN_TRIGGER_HAPPY40; i++)
			jbtn += (unsigned)bit(b->key, i);
		for (i = BTN_DPAD_UP; i <= BTN_DPAD_RIGHT; i++)
			jbtn += (unsigned)bit(b->key, i);
	}
	for (i = ABS_RX; i < ABS_PRESSURE; i++)
		jaxes += (unsigned)bit(b->abs, i);

	if (has_abs) {
		if (stylus || pen)
			tablet = 1;
		else if (finger && !direct)
			touchpad = 1;
		else if (mousebtn)
			abs_mouse = 1;	/* e.g. an emulated USB tablet "mouse" */
		else if (touch || direct)
			touchscreen = 1;
		else if (jbtn || jaxes)
			joystick = 1;
	} else if (jbtn || jaxes)
		joystick = 1;
	if (mt) {
		if (stylus || pen)
			tablet = 1;
		else if (finger && !direct)
			touchpad = 1;
		else if (touch || direct)
			touchscreen = 1;
	}
	if (tablet && pad)
		tablet_pad = 1;
	if (pad && wheel && !rel)
		tablet = tablet_pad = 1;
	if (!tablet && !touchpad && !joystick && mousebtn && (rel || !has_abs))
		is_mouse = 1;
	if (is_mouse && bustype == BUS_I2C)
		stick = 1;	/* there are no i2c mice */
	if (joystick) {
		/* keyboards with stray joystick buttons */
		static const unsigned kbd[] = { KEY_LEFTCTRL, KEY_CAPSLOCK, KEY_NUMLOCK, KEY_INSERT,
						KEY_MUTE, KEY_CALC, KEY_FILE, KEY_MAIL, KEY_PLAYPAUSE,
						KEY_BRIGHTNESSDOWN };
		unsigned known = 0;

		for (i = 0; has_keys && i < sizeof kbd / sizeof *kbd; i++)
			known += (unsigned)bit(b->key, kbd[i]);
		if (known >= 4 || jbtn + jaxes < 2)
			joystick = 0;
		if (wheel && pad)
			joystick = 0;
	}
	if (stick)
		SET("ID_INPUT_POINTINGSTICK");
	if (is_mouse || abs_mouse)
		SET("ID_INPUT_MOUSE");
	if (touchpad)
		SET("ID_INPUT_TOUCHPAD");
	if (touchscreen)
		SET("ID_INPUT_TOUCHSCREEN");
	if (joystick)
		SET("ID_INPUT_JOYSTICK");
	if (tablet)
		SET("ID_INPUT_TABLET");
	if (tablet_pad)
		SET("ID_INPUT_TABLET_PAD");
	return tablet || is_mouse || abs_mouse || touchpad || touchscreen || joystick || stick;
}

/* Key-like devices: any KEY_* below BTN_MISC, or in the high key blocks
 * [KEY_OK, BTN_DPAD_UP) and [KEY_ALS_TOGGLE, BTN_TRIGGER_HAPPY). */
static int keys(const struct bits *b, struct uprops *out, int *err)
{
	static const unsigned blocks[][2] = { { KEY_OK, BTN_DPAD_UP },
					      { KEY_ALS_TOGGLE, BTN_TRIGGER_HAPPY } };
	int found = 0;
	size_t i, k;

	if (!bit(b->ev, EV_KEY))
		return 0;
	for (i = 0; i < BTN_MISC / LBITS && !found; i++)
		found = b->key[i] != 0;
	for (k = 0; k < 2 && !found; k++)
		for (i = blocks[k][0]; i < blocks[k][1] && !found; i++)
			found = bit(b->key, (unsigned)i);
	if (found)
		SET("ID_INPUT_KEY");
	/* ESC, digits and Q..D all there: a full keyboard */
	if ((b->key[0] & 0xfffffffeUL) == 0xfffffffeUL) {
		SET("ID_INPUT_KEYBOARD");
		return 1;
	}
	return found;
}

int input_id_classify(const struct input_caps *c, struct uprops *out)
{
	struct bits b;
	unsigned long sw[NLONGS(SW_MAX + 1)];
	int e = 0, *err = &e, ptr, key;

	parse(c->ev, b.ev, NLONGS(EV_MAX + 1));
	parse(c->key, b.key, NLONGS(KEY_MAX + 1));
	parse(c->rel, b.rel, NLONGS(REL_MAX + 1));
	parse(c->abs, b.abs, NLONGS(ABS_MAX + 1));
	parse(c->props, b.props, NLONGS(INPUT_PROP_MAX + 1));
	parse(c->sw, sw, NLONGS(SW_MAX + 1));
	SET("ID_INPUT");
	ptr = pointers(&b, c->bustype, out, err);
	key = keys(&b, out, err);
	/* some evdev nodes have only a scroll wheel */
	if (!ptr && !key && bit(b.ev, EV_REL) && (bit(b.rel, REL_WHEEL) || bit(b.rel, REL_HWHEEL)))
		SET("ID_INPUT_KEY");
	if (bit(b.ev, EV_SW))
		SET("ID_INPUT_SWITCH");
	return e;
}

int input_id_sysfs(int dirfd, struct uprops *out)
{
	static const char *const names[] = { "capabilities/ev", "capabilities/key",
		"capabilities/rel", "capabilities/abs", "capabilities/sw", "properties" };
	char buf[6][1024], bus[16];
	const char *v[6];
	struct input_caps c;
	int dir = dirfd, opened = -1;
	size_t i;
	ssize_t r;

	/* eventN, mouseN, jsN: the capabilities are on the parent inputN */
	if (sysfs_read_attr(dir, "capabilities/ev", buf[0], sizeof buf[0]) < 0) {
		opened = openat(dirfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (opened < 0)
			return -errno;
		dir = opened;
		if (sysfs_read_attr(dir, "capabilities/ev", buf[0], sizeof buf[0]) < 0) {
			close(opened);
			return 0;
		}
	}
	for (i = 0; i < 6; i++) {
		r = sysfs_read_attr(dir, names[i], buf[i], sizeof buf[i]);
		v[i] = r >= 0 ? buf[i] : NULL;
	}
	c.ev = v[0];
	c.key = v[1];
	c.rel = v[2];
	c.abs = v[3];
	c.sw = v[4];
	c.props = v[5];
	c.bustype = sysfs_read_attr(dir, "id/bustype", bus, sizeof bus) > 0 ?
		    (unsigned)strtoul(bus, NULL, 16) : 0;
	if (opened >= 0)
		close(opened);
	r = input_id_classify(&c, out);
	return r < 0 ? (int)r : 1;
}

size_t input_id_tags(const struct uprops *props, const char *sysname,
		     const char **tags, size_t max)
{
	size_t n = 0;

	if (!uprops_get(props, "ID_INPUT"))
		return 0;
	if (n < max && !strncmp(sysname, "input", 5))
		tags[n++] = "seat";
	if (n < max && uprops_get(props, "ID_INPUT_JOYSTICK"))
		tags[n++] = "uaccess";
	return n;
}
