/* kidx_bin.c — kmod's binary module index (format 2.x), read through mmap.
 *
 * Owns: opening/validating a .bin file and the two lookups on it.
 * Promises: no read outside the mapping whatever the file holds; a child
 * must lie below its parent (depmod writes children first), so a corrupt
 * file cannot make a lookup loop; recursion depth is bounded; results are
 * exactly kmod's (libkmod-index.c: index_mm_search, index_mm_searchwild),
 * including the order of values.
 *
 * File layout (all big-endian): u32 magic, u32 version (major<<16|minor),
 * u32 root node offset.  A node offset carries flags in its top bits; at
 * the offset: [PREFIX] NUL-terminated string, [CHILDS] u8 first, u8 last,
 * (last-first+1) u32 child offsets, [VALUES] u32 count, then count times
 * (u32 priority, NUL-terminated string).
 *
 * Wildcard search: kmod walks the whole subtree under a '*', '?' or '['
 * and fnmatch()es every pattern found there.  We walk the same nodes in
 * the same order but carry the set of key positions the pattern so far
 * can have consumed (a bitset; "shift-and"), and skip a subtree as soon
 * as that set is empty.  Patterns this matcher does not model exactly
 * (backslash escapes, character classes, keys over 255 bytes) switch the
 * pruning off for that subtree, and every candidate is confirmed with
 * fnmatch(), so the answer is fnmatch's in every case.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kidx.h"
#include "kidx_int.h"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int kidx_open_bin(struct kidx **out, const char *path, const char **why)
{
	struct kidx *ix;
	struct stat st;
	void *map;
	int fd, err;
	uint32_t ver;

	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (st.st_size == 0) {
		/* depmod leaves an empty file when it had no input (no
		 * modules.builtin, say); kmod then finds nothing: same here */
		close(fd);
		return -ENOENT;
	}
	if (st.st_size < 12 || (unsigned long long)st.st_size > KIDX_NODE_MASK) {
		close(fd);
		*why = st.st_size < 12 ? "truncated (no header)" : "too large";
		return -EBADMSG;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (be32(map) != KIDX_MAGIC) {
		*why = "bad magic (not a kmod index)";
		err = -EBADMSG;
	} else if ((ver = be32((unsigned char *)map + 4)) >> 16 != KIDX_VERSION_MAJOR) {
		*why = "unsupported index version";
		err = -EBADMSG;
	} else if ((be32((unsigned char *)map + 8) & KIDX_NODE_MASK) >= (uint32_t)st.st_size) {
		*why = "truncated (root node outside the file)";
		err = -EBADMSG;
	}
	ix = err ? NULL : calloc(1, sizeof(*ix) + strlen(path) + 1);
	if (!ix) {
		munmap(map, (size_t)st.st_size);
		return err ? err : -ENOMEM;
	}
	ix->bin = 1;
	ix->map = map;
	ix->size = (size_t)st.st_size;
	ix->root = be32((unsigned char *)map + 8);
	strcpy(ix->path, path);
	*out = ix;
	return 0;
}

/* A decoded node; strings point into the mapping. */
struct node {
	uint32_t off;			/* masked file offset */
	const char *prefix;
	unsigned first, last;		/* first > last: no children */
	const unsigned char *kids;
	uint32_t nvals;
	const unsigned char *vals;	/* first value record */
};

/* Decode the node at OFF (flags included).  0, or -EBADMSG. */
static int node_read(const struct kidx *ix, uint32_t off, struct node *n)
{
	const unsigned char *m = ix->map;
	size_t p = off & KIDX_NODE_MASK, size = ix->size;
	const void *z;

	if (p < 12 || p >= size)
		return -EBADMSG;
	n->off = (uint32_t)p;
	n->prefix = "";
	if (off & KIDX_NODE_PREFIX) {
		z = memchr(m + p, 0, size - p);
		if (!z)
			return -EBADMSG;
		n->prefix = (const char *)m + p;
		p = (size_t)((const unsigned char *)z - m) + 1;
	}
	n->first = 1;
	n->last = 0;
	if (off & KIDX_NODE_CHILDS) {
		if (size - p < 2)
			return -EBADMSG;
		n->first = m[p];
		n->last = m[p + 1];
		p += 2;
		if (n->first > n->last || n->last >= 128 ||
		    (size - p) / 4 < n->last - n->first + 1)
			return -EBADMSG;
		n->kids = m + p;
		p += 4 * (n->last - n->first + 1);
	}
	n->nvals = 0;
	if (off & KIDX_NODE_VALUES) {
		if (size - p < 4)
			return -EBADMSG;
		n->nvals = be32(m + p);
		p += 4;
		if (n->nvals > (size - p) / 5)	/* each value takes >= 5 bytes */
			return -EBADMSG;
		n->vals = m + p;
	}
	return 0;
}

/* Child for character ch: 1 and *c filled, 0 if none, -EBADMSG. */
static int node_child(const struct kidx *ix, const struct node *n, unsigned ch, struct node *c)
{
	uint32_t off;
	int r;

	if (ch < n->first || ch > n->last)
		return 0;
	off = be32(n->kids + 4 * (ch - n->first));
	if (!(off & KIDX_NODE_MASK))
		return 0;
	if ((off & KIDX_NODE_MASK) >= n->off)	/* children precede parents */
		return -EBADMSG;
	r = node_read(ix, off, c);
	return r < 0 ? r : 1;
}

/* Iterate values: *cur starts at n->vals; fills prio and string. */
static int val_next(const struct kidx *ix, const unsigned char **cur, uint32_t *prio, const char **s)
{
	const unsigned char *m = ix->map, *p = *cur;
	size_t left = ix->size - (size_t)(p - m);
	const unsigned char *z;

	if (left < 5)
		return -EBADMSG;
	z = memchr(p + 4, 0, left - 4);
	if (!z)
		return -EBADMSG;
	*prio = be32(p);
	*s = (const char *)p + 4;
	*cur = z + 1;
	return 0;
}

static int bin_get(const struct kidx *ix, const char *key, const char **val, uint32_t *prio)
{
	struct node n;
	size_t i = 0, j;
	int r, depth = 0;

	if ((r = node_read(ix, ix->root, &n)) < 0)
		return r;
	for (;;) {
		for (j = 0; n.prefix[j]; j++)
			if (n.prefix[j] != key[i + j])
				return 0;
		i += j;
		if (!key[i]) {
			const unsigned char *cur = n.vals;

			if (!n.nvals)
				return 0;
			r = val_next(ix, &cur, prio, val);
			return r < 0 ? r : 1;
		}
		r = node_child(ix, &n, (unsigned char)key[i], &n);
		if (r <= 0)
			return r;
		if (++depth > KIDX_MAX_DEPTH)
			return -EBADMSG;
		i++;
	}
}

/* ---- wildcard search ---------------------------------------------------- */

#define WORDS 4				/* key positions 0..255 */
#define CHARS 64			/* distinct key characters modelled */
#define PAT_MAX 2047			/* longest pattern below a wildcard */

struct wkey {				/* the part of the key after the literal prefix */
	const char *s;
	unsigned len;
	int exact;			/* bitset model usable (len < 64*WORDS) */
	unsigned char slot[128];	/* char -> 1 + index into mask */
	unsigned char chars[CHARS];
	unsigned nchars;
	uint64_t mask[CHARS][WORDS];	/* positions holding each char */
	uint64_t valid[WORDS];			/* positions 0..len-1 */
};

struct wstate {				/* pattern consumed so far, as a set */
	uint64_t set[WORDS];
	unsigned char dirty;		/* no pruning below here */
	unsigned char inbr;		/* inside [...], bracket text in br */
	unsigned char brlen;
	char br[30];
};

struct wsearch {
	const struct kidx *ix;
	struct wkey *k;
	char pat[PAT_MAX + 1];
	size_t plen;
	struct kidx_res *res;
	int err;
};

static void wkey_init(struct wkey *k, const char *s)
{
	unsigned i, w;

	k->s = s;
	k->len = (unsigned)strnlen(s, 64 * WORDS);
	k->exact = k->len < 64 * WORDS;
	if (!k->exact)
		return;
	memset(k->slot, 0, sizeof(k->slot));
	memset(k->valid, 0, sizeof(k->valid));
	k->nchars = 0;
	for (i = 0; i < k->len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 128) {		/* never in the trie; class tests need care */
			k->exact = 0;
			return;
		}
		if (!k->slot[c] && k->nchars == CHARS) {
			k->exact = 0;	/* unusual key: leave it all to fnmatch */
			return;
		}
		if (!k->slot[c]) {
			k->chars[k->nchars] = c;
			memset(k->mask[k->nchars], 0, sizeof(k->mask[0]));
			k->slot[c] = (unsigned char)++k->nchars;
		}
		k->mask[k->slot[c] - 1][i / 64] |= 1ull << (i % 64);
		k->valid[i / 64] |= 1ull << (i % 64);
	}
	(void)w;
}

static int set_empty(const uint64_t *s)
{
	int w;

	for (w = 0; w < WORDS; w++)
		if (s[w])
			return 0;
	return 1;
}

/* s = (s & m) << 1 */
static void set_step(uint64_t *s, const uint64_t *m)
{
	uint64_t carry = 0, t;
	int w;

	for (w = 0; w < WORDS; w++) {
		t = s[w] & m[w];
		s[w] = t << 1 | carry;
		carry = t >> 63;
	}
}

/* Does character c belong to bracket text br (without the brackets)?
 * Only called for texts bracket_simple() accepted. */
static int bracket_has(const char *br, unsigned len, unsigned char c)
{
	unsigned i = 0;
	int neg = 0, in = 0;

	if (len && (br[0] == '!' || br[0] == '^')) {
		neg = 1;
		i = 1;
	}
	for (; i < len; i++) {
		unsigned char lo = (unsigned char)br[i], hi = lo;

		if (i + 2 < len && br[i + 1] == '-') {
			hi = (unsigned char)br[i + 2];
			i += 2;
		}
		if (c >= lo && c <= hi)
			in = 1;
	}
	return in != neg;
}

/* Feed one pattern character to the state.  Returns 0 to go on, 1 if no
 * pattern continuing from here can match the key. */
static int wstate_feed(struct wstate *st, const struct wkey *k, char ch)
{
	uint64_t m[WORDS];
	unsigned i, w;

	if (st->dirty)
		return 0;
	if (st->inbr) {
		/* ']' closes unless it is the first member ("[]" or "[!]") */
		unsigned first = (st->brlen && (st->br[0] == '!' || st->br[0] == '^')) ? 1 : 0;

		if (ch != ']' || st->brlen == first) {
			if (ch == '[' || ch == '\\' || st->brlen >= sizeof(st->br)) {
				st->dirty = 1;	/* classes, escapes: leave it to fnmatch */
				return 0;
			}
			st->br[st->brlen++] = ch;
			return 0;
		}
		st->inbr = 0;
		memset(m, 0, sizeof(m));
		for (i = 0; i < k->nchars; i++)
			if (bracket_has(st->br, st->brlen, k->chars[i]))
				for (w = 0; w < WORDS; w++)
					m[w] |= k->mask[i][w];
		set_step(st->set, m);
		return set_empty(st->set);
	}
	switch (ch) {
	case '*': {
		/* every position from the lowest reachable one up to len */
		int lo = -1;

		for (w = 0; w < WORDS && lo < 0; w++)
			if (st->set[w])
				lo = (int)(w * 64 + (unsigned)__builtin_ctzll(st->set[w]));
		if (lo < 0)
			return 1;
		for (w = 0; w < WORDS; w++) {
			uint64_t all = k->valid[w] | (w == k->len / 64 ? 1ull << (k->len % 64) : 0);

			if ((unsigned)lo >= (w + 1) * 64)
				all = 0;
			else if ((unsigned)lo > w * 64)
				all &= ~0ull << (lo - (int)(w * 64));
			st->set[w] = all;
		}
		return 0;
	}
	case '?':
		set_step(st->set, k->valid);
		return set_empty(st->set);
	case '[':
		st->inbr = 1;
		st->brlen = 0;
		return 0;
	case '\\':
		st->dirty = 1;
		return 0;
	default: {
		unsigned char c = (unsigned char)ch;

		if (c >= 128 || !k->slot[c]) {
			memset(st->set, 0, sizeof(st->set));
			return 1;
		}
		set_step(st->set, k->mask[k->slot[c] - 1]);
		return set_empty(st->set);
	}
	}
}

/* Could the pattern so far be complete and match?  0 = certainly not. */
static int wstate_final(const struct wstate *st, const struct wkey *k)
{
	if (st->dirty || st->inbr)
		return 1;
	return (int)(st->set[k->len / 64] >> (k->len % 64) & 1);
}

static int add_values(struct wsearch *ws, const struct node *n)
{
	const unsigned char *cur = n->vals;
	uint32_t i, prio;
	const char *s;
	int r;

	for (i = 0; i < n->nvals; i++) {
		if ((r = val_next(ws->ix, &cur, &prio, &s)) < 0)
			return r;
		if ((r = kidx_res_add(ws->res, s, prio)) < 0)
			return r;
	}
	return 0;
}

/* kmod's searchwild "all": every pattern below n (its prefix from j on),
 * matched against the key remainder.  st is the state before prefix[j]. */
static int wild_all(struct wsearch *ws, const struct node *n, size_t j,
		    const struct wstate *in, int depth)
{
	struct wstate st = *in, cs;
	struct node c;
	size_t pushed = 0;
	unsigned ch;
	int r, dead = 0;

	if (depth > KIDX_MAX_DEPTH)
		return -EBADMSG;
	for (; n->prefix[j]; j++, pushed++) {
		if (ws->plen >= PAT_MAX)
			return -EBADMSG;
		ws->pat[ws->plen++] = n->prefix[j];
		if (!dead && ws->k->exact && wstate_feed(&st, ws->k, n->prefix[j]))
			dead = 1;
	}
	if (dead)
		goto out;
	for (ch = n->first; ch <= n->last; ch++) {
		r = node_child(ws->ix, n, ch, &c);
		if (r < 0)
			return r;
		if (!r)
			continue;
		cs = st;
		if (ws->k->exact && wstate_feed(&cs, ws->k, (char)ch))
			continue;
		if (ws->plen >= PAT_MAX)
			return -EBADMSG;
		ws->pat[ws->plen++] = (char)ch;
		r = wild_all(ws, &c, 0, &cs, depth + 1);
		ws->plen--;
		if (r < 0)
			return r;
	}
	if (n->nvals && (!ws->k->exact || wstate_final(&st, ws->k))) {
		ws->pat[ws->plen] = '\0';
		if (fnmatch(ws->pat, ws->k->s, 0) == 0 && (r = add_values(ws, n)) < 0)
			return r;
	}
out:
	ws->plen -= pushed;
	return 0;
}

/* Start a wildcard subtree at node n, prefix index j, key remainder s. */
static int wild_start(struct wsearch *ws, struct wkey *k, const struct node *n,
		      size_t j, const char *s, const char *lead, int depth)
{
	struct wstate st;
	int r;

	wkey_init(k, s);
	ws->k = k;
	memset(&st, 0, sizeof(st));
	st.set[0] = 1;			/* nothing consumed yet */
	ws->plen = 0;
	if (lead) {
		ws->pat[ws->plen++] = *lead;
		if (k->exact && wstate_feed(&st, k, *lead))
			return 0;
	}
	r = wild_all(ws, n, j, &st, depth);
	return r;
}

static int bin_wild(const struct kidx *ix, const char *key, struct kidx_res *res)
{
	static const char wc[3] = { '*', '?', '[' };
	struct wsearch wss, *ws = &wss;	/* ~4.5 KB of stack, no allocation */
	struct wkey kk, *k = &kk;
	struct node n, c;
	size_t i = 0, j, before = res->n;
	int r, w, depth = 0;

	ws->ix = ix;
	ws->res = res;
	if ((r = node_read(ix, ix->root, &n)) < 0)
		goto out;
	for (;;) {
		for (j = 0; n.prefix[j]; j++) {
			char ch = n.prefix[j];

			if (ch == '*' || ch == '?' || ch == '[') {
				r = wild_start(ws, k, &n, j, key + i + j, NULL, depth);
				goto out;
			}
			if (ch != key[i + j]) {
				r = 0;
				goto out;
			}
		}
		i += j;
		for (w = 0; w < 3; w++) {
			r = node_child(ix, &n, (unsigned char)wc[w], &c);
			if (r < 0)
				goto out;
			if (r && (r = wild_start(ws, k, &c, 0, key + i, &wc[w], depth + 1)) < 0)
				goto out;
		}
		if (!key[i]) {
			ws->k = k;
			r = add_values(ws, &n);
			goto out;
		}
		r = node_child(ix, &n, (unsigned char)key[i], &n);
		if (r <= 0)
			goto out;
		if (++depth > KIDX_MAX_DEPTH) {
			r = -EBADMSG;
			goto out;
		}
		i++;
	}
out:
	if (r < 0)
		return r;
	return (int)(res->n - before);
}

int kidx_bin_get(const struct kidx *ix, const char *key, const char **val, uint32_t *prio)
{
	return bin_get(ix, key, val, prio);
}

int kidx_bin_wild(const struct kidx *ix, const char *key, struct kidx_res *res)
{
	return bin_wild(ix, key, res);
}

void kidx_bin_unmap(struct kidx *ix)
{
	munmap((void *)ix->map, ix->size);
}
