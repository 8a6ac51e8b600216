/* test_utf8.c — the one UTF-8 validity rule. */
#include "unit.h"
#include "utf8.h"

#define U(lit) (const unsigned char *)(lit), (sizeof(lit) - 1)

TEST(utf8_valid_lengths)
{
	CHECK_INT(utf8_char_len(U("a")), 1);
	CHECK_INT(utf8_char_len(U("\xc3\xa9")), 2);		/* é */
	CHECK_INT(utf8_char_len(U("\xe2\x82\xac")), 3);		/* € */
	CHECK_INT(utf8_char_len(U("\xf0\x9f\x98\x80")), 4);	/* U+1F600 */
	CHECK_INT(utf8_char_len(U("\xf4\x8f\xbf\xbd")), 4);	/* U+10FFFD */
}

TEST(utf8_invalid)
{
	CHECK_INT(utf8_char_len(U("")), 0);
	CHECK_INT(utf8_char_len(U("\x80")), 0);			/* lone continuation */
	CHECK_INT(utf8_char_len(U("\xc3")), 0);			/* cut short by n */
	CHECK_INT(utf8_char_len(U("\xc3\x28")), 0);		/* bad continuation */
	CHECK_INT(utf8_char_len(U("\xc0\xaf")), 0);		/* overlong '/' */
	CHECK_INT(utf8_char_len(U("\xe0\x80\xaf")), 0);		/* overlong, 3 bytes */
	CHECK_INT(utf8_char_len(U("\xed\xa0\x80")), 0);		/* surrogate U+D800 */
	CHECK_INT(utf8_char_len(U("\xef\xb7\x90")), 0);		/* U+FDD0 nonchar */
	CHECK_INT(utf8_char_len(U("\xef\xbf\xbe")), 0);		/* U+FFFE */
	CHECK_INT(utf8_char_len(U("\xf4\x90\x80\x80")), 0);	/* U+110000 */
	CHECK_INT(utf8_char_len(U("\xf8\x88\x80\x80\x80")), 0);	/* 5-byte form */
}
