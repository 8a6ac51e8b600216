/* test_kidx.c — the binary index reader on small byte-exact tries, good
 * and damaged, and the text reader on the same content. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kidx.h"
#include "unit.h"

/* Trie: root "a" with children '*' -> {prio 0 "m2"} and '+' -> {prio 1 "m1"}
 * i.e. keys "a*" (a wildcard) and "a+" (exact).  Children come first in the
 * file, as depmod writes them. */
static const unsigned char trie[] = {
	0xB0, 0x07, 0xF4, 0x57,  0x00, 0x02, 0x00, 0x01,  0xC0, 0x00, 0x00, 0x22,
	/* 12: '*' child: values only */
	0x00, 0x00, 0x00, 0x01,  0x00, 0x00, 0x00, 0x00,  'm', '2', 0,
	/* 23: '+' child */
	0x00, 0x00, 0x00, 0x01,  0x00, 0x00, 0x00, 0x01,  'm', '1', 0,
	/* 34 (0x22): root: prefix "a", children '*'..'+' */
	'a', 0,  '*', '+',  0x40, 0x00, 0x00, 0x0C,  0x40, 0x00, 0x00, 0x17,
};
/* root offset above carries PREFIX|CHILDS: 0x80|0x20 = 0xA0 */

static char path[64];

static const char *put(const unsigned char *b, size_t n)
{
	FILE *f;

	strcpy(path, "/tmp/uevbox-kidx.XXXXXX");
	close(mkstemp(path));
	f = fopen(path, "wb");
	fwrite(b, 1, n, f);
	fclose(f);
	return path;
}

static unsigned char *copy(void)
{
	unsigned char *b = malloc(sizeof(trie));

	memcpy(b, trie, sizeof(trie));
	b[8] = 0xA0;		/* root: PREFIX | CHILDS */
	return b;
}

static int open_buf(const unsigned char *b, size_t n, struct kidx **ix, const char **why)
{
	int r = kidx_open_bin(ix, put(b, n), why);

	unlink(path);
	return r;
}

TEST(kidx_good_trie)
{
	unsigned char *b = copy();
	struct kidx *ix = NULL;
	struct kidx_res res = { 0 };
	const char *why, *v = NULL;

	CHECK_INT(open_buf(b, sizeof(trie), &ix, &why), 0);
	if (!ix)
		return;
	CHECK_INT(kidx_get(ix, "a+", &v), 1);
	CHECK_STR(v, "m1");
	CHECK_INT(kidx_get(ix, "a", &v), 0);
	CHECK_INT(kidx_get(ix, "a+x", &v), 0);
	/* "a+" matches itself and the pattern "a*"; lower priority first */
	CHECK_INT(kidx_wild(ix, "a+", &res), 2);
	CHECK_STR(res.v[0].val, "m2");
	CHECK_STR(res.v[1].val, "m1");
	res.n = 0;
	CHECK_INT(kidx_wild(ix, "a", &res), 1);		/* "*" matches "" */
	CHECK_STR(res.v[0].val, "m2");
	res.n = 0;
	CHECK_INT(kidx_wild(ix, "axyz", &res), 1);
	res.n = 0;
	CHECK_INT(kidx_wild(ix, "b", &res), 0);
	kidx_res_free(&res);
	kidx_close(ix);
	free(b);
}

TEST(kidx_bad_headers)
{
	unsigned char *b = copy();
	struct kidx *ix = NULL;
	const char *why = NULL;

	CHECK_INT(open_buf(b, 8, &ix, &why), -EBADMSG);
	CHECK(why && strstr(why, "truncated"));
	b[0] = 0xB1;
	CHECK_INT(open_buf(b, sizeof(trie), &ix, &why), -EBADMSG);
	CHECK_STR(why, "bad magic (not a kmod index)");
	b[0] = 0xB0;
	b[5] = 0x03;		/* version 3.1 */
	CHECK_INT(open_buf(b, sizeof(trie), &ix, &why), -EBADMSG);
	CHECK_STR(why, "unsupported index version");
	b[5] = 0x02;
	b[7] = 0x07;		/* minor versions are compatible */
	CHECK_INT(open_buf(b, sizeof(trie), &ix, &why), 0);
	kidx_close(ix);
	b[11] = 0x80;		/* root beyond the end */
	CHECK_INT(open_buf(b, sizeof(trie), &ix, &why), -EBADMSG);
	CHECK(why && strstr(why, "root node outside"));
	CHECK_INT(open_buf(b, 0, &ix, &why), -ENOENT);	/* empty: nothing indexed */
	free(b);
}

static int lookup_damaged(unsigned char *b, size_t n, const char *key)
{
	struct kidx *ix = NULL;
	struct kidx_res res = { 0 };
	const char *why, *v;
	int r, r2;

	if (open_buf(b, n, &ix, &why) < 0)
		return -1000;
	r = kidx_wild(ix, key, &res);
	r2 = kidx_get(ix, key, &v);
	kidx_res_free(&res);
	kidx_close(ix);
	return r < 0 ? r : r2;
}

TEST(kidx_damaged_nodes)
{
	unsigned char *b = copy();

	/* a child pointing at or after its parent (a loop) */
	b[45] = 0x22;
	CHECK_INT(lookup_damaged(b, sizeof(trie), "a+"), -EBADMSG);
	memcpy(b, trie, sizeof(trie));
	b[8] = 0xA0;
	/* child range beyond 7-bit ASCII */
	b[37] = 0x80;
	CHECK_INT(lookup_damaged(b, sizeof(trie), "a+"), -EBADMSG);
	b[37] = '+';
	/* first > last */
	b[36] = ',';
	CHECK_INT(lookup_damaged(b, sizeof(trie), "a+"), -EBADMSG);
	b[36] = '*';
	/* the child table runs off the end */
	CHECK_INT(lookup_damaged(b, sizeof(trie) - 2, "a+"), -EBADMSG);
	/* a value count far larger than the file */
	b[26] = 0x7F;
	CHECK_INT(lookup_damaged(b, sizeof(trie), "a+"), -EBADMSG);
	b[26] = 0;
	/* prefix without its NUL at the end of the file */
	b[8] = 0x80;
	b[11] = sizeof(trie) - 1;
	b[sizeof(trie) - 1] = 'z';
	CHECK_INT(lookup_damaged(b, sizeof(trie), "z"), -EBADMSG);
	free(b);
}

TEST(kidx_text_alias_order)
{
	static const char dep[] = "kernel/a.ko:\nkernel/b-x.ko: kernel/a.ko\n";
	static const char al[] = "# comment\nalias pci:v1d* b-x\nalias pci:v1d2 a\nalias pci:v[12]d2 b_x\n";
	struct kidx *d = NULL, *a = NULL;
	struct kidx_res res = { 0 };
	const char *v;
	char dp[64], ap[64];

	strcpy(dp, put((const unsigned char *)dep, sizeof(dep) - 1));
	CHECK_INT(kidx_open_text(&d, dp, KIDX_TEXT_DEP, NULL), 0);
	strcpy(ap, put((const unsigned char *)al, sizeof(al) - 1));
	CHECK_INT(kidx_open_text(&a, ap, KIDX_TEXT_ALIAS, d), 0);
	unlink(dp);
	unlink(ap);
	if (!d || !a)
		return;
	CHECK_INT(kidx_get(d, "b_x", &v), 1);
	CHECK_STR(v, "kernel/b-x.ko: kernel/a.ko");
	CHECK_INT(kidx_dep_prio(d, "b_x"), 1);
	/* a (line 0) before both b_x hits (line 1); names normalised */
	CHECK_INT(kidx_wild(a, "pci:v1d2", &res), 3);
	CHECK_STR(res.v[0].val, "a");
	CHECK_STR(res.v[1].val, "b_x");
	CHECK_STR(res.v[2].val, "b_x");
	kidx_res_free(&res);
	kidx_close(a);
	kidx_close(d);
}
