/* utf8.h — one UTF-8 validity rule for everything that passes device
 * strings through (labels, serials, link names, JSON output). */
#ifndef UEVBOX_UTF8_H
#define UEVBOX_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid UTF-8 character at s, looking at no more
 * than n bytes, or 0 if it is not one.  Valid means what udev and blkid
 * accept: shortest form, at most U+10FFFF, no surrogates, no
 * noncharacters (U+FDD0..U+FDEF, U+xxFFFE/U+xxFFFF).  ASCII is 1. */
int utf8_char_len(const unsigned char *s, size_t n);

#endif
