/* utf8.c — see utf8.h.  The rule is systemd's utf8_encoded_valid_unichar
 * (src/basic/utf8.c), which blkid's encoder follows too, so names we make
 * escape exactly as udev's and blkid's do. */
#include <stdint.h>

#include "utf8.h"

int utf8_char_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	int len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
		return 0;	/* overlong */
	if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000) || (c >= 0xfdd0 && c <= 0xfdef) ||
	    (c & 0xfffe) == 0xfffe)
		return 0;
	return len;
}
