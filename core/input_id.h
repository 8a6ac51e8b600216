/* input_id.h — classify evdev devices from their capability bitmaps the
 * way udev's input_id builtin does (src/udev/udev-builtin-input_id.c):
 * ID_INPUT, ID_INPUT_KEY, _KEYBOARD, _MOUSE, _TOUCHPAD, _TOUCHSCREEN,
 * _TABLET, _TABLET_PAD, _JOYSTICK, _ACCELEROMETER, _POINTINGSTICK,
 * _SWITCH.  Optional part (GATHER = ... input_id).  Never prints. */
#ifndef UEVBOX_INPUT_ID_H
#define UEVBOX_INPUT_ID_H

#include <stddef.h>

#include "udev_props.h"

/* The sysfs texts of an input device (inputN): capabilities/ev, key, rel,
 * abs, sw and properties — hex words of the kernel's unsigned long,
 * most significant first, separated by spaces (kernel:
 * drivers/input/input.c:input_print_bitmap) — and id/bustype (hex). NULL
 * means absent/empty. */
struct input_caps {
	const char *ev, *key, *rel, *abs, *sw, *props;
	unsigned bustype;
};

/* Set the ID_INPUT* properties for c.  Returns 0 or -ENOSPC. */
int input_id_classify(const struct input_caps *c, struct uprops *out);

/* Read the capabilities of the input device at dirfd (an inputN
 * directory, or an eventN/mouseN/jsN one whose parent is it) and
 * classify.  Returns 1 if it is an input device, 0 if not, -errno. */
int input_id_sysfs(int dirfd, struct uprops *out);

/* The tags udev's stock rules give an input device with these properties
 * (71-seat.rules: "seat" on every inputN; 70-uaccess.rules: "uaccess" on
 * joysticks).  Fills at most max names; returns the count. */
size_t input_id_tags(const struct uprops *props, const char *sysname,
		     const char **tags, size_t max);

#endif
