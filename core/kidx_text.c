/* kidx_text.c — the text module indexes, for trees without .bin files
 * (busybox depmod writes only text) or with a damaged .bin.
 *
 * Owns: reading modules.dep / modules.alias / modules.symbols /
 * modules.builtin / modules.builtin.modinfo into one table per file: a
 * hash of literal keys and a list of wildcard keys.  Promises: the same
 * answers as the binary reader for the same depmod run — keys normalised
 * as depmod does before writing the .bin ('-' -> '_' outside brackets),
 * alias priorities taken from the module's line in modules.dep (depmod
 * numbers modules in that order), wildcard keys matched with fnmatch().
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kidx.h"
#include "kidx_int.h"

#define TEXT_MAX (256u << 20)	/* a modules.* text file larger is not sane */

static int read_all(const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || (unsigned long long)st.st_size > TEXT_MAX) {
		err = st.st_size > 0 ? -EFBIG : -errno;
		close(fd);
		return err ? err : -EIO;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (err) {
		free(*buf);
		return err;
	}
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* depmod's alias_normalize(): '-' -> '_' outside [...]; -1 on a bad bracket */
static int alias_norm(char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			*s = '_';
		else if (*s == ']')
			return -1;
		else if (*s == '[') {
			while (*s && *s != ']')
				s++;
			if (!*s)
				return -1;
		}
	}
	return 0;
}

/* module name of a path: basename up to the first '.', '-' -> '_' */
static void path_modname(char *path)
{
	char *b = strrchr(path, '/'), *d = path;

	for (b = b ? b + 1 : path; *b && *b != '.'; b++)
		*d++ = *b == '-' ? '_' : *b;
	*d = '\0';
}

static int add_ent(struct kidx *ix, size_t *cap, const char *key, const char *val, uint32_t prio)
{
	if (ix->nent == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct kidx_tent *e = realloc(ix->ent, nc * sizeof(*e));

		if (!e)
			return -ENOMEM;
		ix->ent = e;
		*cap = nc;
	}
	ix->ent[ix->nent].key = key;
	ix->ent[ix->nent].val = val;
	ix->ent[ix->nent].prio = prio;
	ix->ent[ix->nent].next = 0;
	ix->nent++;
	return 0;
}

static int build_hash(struct kidx *ix)
{
	uint32_t i, h;

	for (ix->nhash = 16; ix->nhash < 2 * ix->nent; ix->nhash *= 2)
		;
	ix->hash = calloc(ix->nhash, sizeof(*ix->hash));
	ix->wild = malloc((ix->nent ? ix->nent : 1) * sizeof(*ix->wild));
	if (!ix->hash || !ix->wild)
		return -ENOMEM;
	/* insert in reverse so each chain lists entries in file order */
	for (i = ix->nent; i-- > 0;) {
		if (strpbrk(ix->ent[i].key, "*?["))
			continue;
		h = hash_str(ix->ent[i].key) & (ix->nhash - 1);
		ix->ent[i].next = ix->hash[h];
		ix->hash[h] = i + 1;
	}
	for (i = 0; i < ix->nent; i++)
		if (strpbrk(ix->ent[i].key, "*?["))
			ix->wild[ix->nwild++] = i;
	return 0;
}

/* split the next whitespace-separated word off *p (in place) */
static char *word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static int parse(struct kidx *ix, enum kidx_text_kind kind, size_t len, const struct kidx *pf)
{
	char *p = ix->buf, *end = ix->buf + len, *line, *nl;
	size_t cap = 0;
	uint32_t lineno = 0;
	int r;

	while (p < end) {
		if (kind == KIDX_TEXT_MODINFO) {
			/* records "modname.key=value", NUL-separated */
			char *dot, *eq;

			line = p;
			p += strlen(p) + 1;
			dot = strchr(line, '.');
			eq = dot ? strchr(dot, '=') : NULL;
			if (!eq || eq - dot != 6 || memcmp(dot, ".alias", 6))
				continue;
			*dot = '\0';
			if (alias_norm(eq + 1) < 0 || !eq[1])
				continue;
			if ((r = add_ent(ix, &cap, eq + 1, line, 0)) < 0)
				return r;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		line = p;
		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : end;
		if (!*line || *line == '#')
			continue;
		switch (kind) {
		case KIDX_TEXT_DEP: {
			/* key: module name (written over a copy-free spot: the
			 * line keeps "path: deps"; the name goes in a new string) */
			char *colon = strchr(line, ':'), *name;
			size_t n;

			if (!colon)
				break;
			n = (size_t)(colon - line);
			name = malloc(n + 1);
			if (!name)
				return -ENOMEM;
			memcpy(name, line, n);
			name[n] = '\0';
			path_modname(name);
			if ((r = add_ent(ix, &cap, name, line, lineno++)) < 0) {
				free(name);
				return r;
			}
			break;
		}
		case KIDX_TEXT_ALIAS: {
			char *kw = word(&line), *pat = word(&line), *mod = word(&line);
			long prio;

			if (!kw || strcmp(kw, "alias") || !pat || !mod || alias_norm(pat) < 0)
				break;
			for (char *t = mod; *t; t++)	/* module names as depmod stores them */
				if (*t == '-')
					*t = '_';
			prio = pf ? kidx_dep_prio(pf, mod) : -1;
			if ((r = add_ent(ix, &cap, pat, mod, prio < 0 ? UINT32_MAX : (uint32_t)prio)) < 0)
				return r;
			break;
		}
		case KIDX_TEXT_BUILTIN:
			path_modname(line);
			if (*line && (r = add_ent(ix, &cap, line, "", 0)) < 0)
				return r;
			break;
		default:
			break;
		}
	}
	return build_hash(ix);
}

int kidx_open_text(struct kidx **out, const char *path, enum kidx_text_kind kind,
		   const struct kidx *prio_from)
{
	struct kidx *ix;
	size_t len = 0;
	uint32_t i;
	int r;

	ix = calloc(1, sizeof(*ix) + strlen(path) + 1);
	if (!ix)
		return -ENOMEM;
	strcpy(ix->path, path);
	r = read_all(path, &ix->buf, &len);
	if (r == 0)
		r = parse(ix, kind, len, prio_from);
	if (r < 0) {
		if (kind == KIDX_TEXT_DEP)
			for (i = 0; i < ix->nent; i++)
				free((char *)ix->ent[i].key);
		kidx_close(ix);
		return r;
	}
	if (kind == KIDX_TEXT_DEP)
		ix->owns_keys = 1;
	*out = ix;
	return 0;
}

static uint32_t find(const struct kidx *ix, const char *key)
{
	uint32_t e;

	if (!ix->nhash)
		return 0;
	for (e = ix->hash[hash_str(key) & (ix->nhash - 1)]; e; e = ix->ent[e - 1].next)
		if (!strcmp(ix->ent[e - 1].key, key))
			return e;
	return 0;
}

int kidx_text_get(const struct kidx *ix, const char *key, const char **val)
{
	uint32_t e = find(ix, key);

	if (!e)
		return 0;
	*val = ix->ent[e - 1].val;
	return 1;
}

int kidx_text_wild(const struct kidx *ix, const char *key, struct kidx_res *res)
{
	size_t before = res->n;
	uint32_t e, i;
	int r;

	for (e = find(ix, key); e; e = ix->ent[e - 1].next)
		if (!strcmp(ix->ent[e - 1].key, key) &&
		    (r = kidx_res_add(res, ix->ent[e - 1].val, ix->ent[e - 1].prio)) < 0)
			return r;
	for (i = 0; i < ix->nwild; i++) {
		const struct kidx_tent *t = &ix->ent[ix->wild[i]];

		if (fnmatch(t->key, key, 0) == 0 && (r = kidx_res_add(res, t->val, t->prio)) < 0)
			return r;
	}
	return (int)(res->n - before);
}

long kidx_dep_prio(const struct kidx *ix, const char *name)
{
	uint32_t e;

	if (ix->bin) {
		const char *v;
		uint32_t prio;

		return kidx_bin_get(ix, name, &v, &prio) > 0 ? (long)prio : -1;
	}
	e = find(ix, name);
	return e ? (long)ix->ent[e - 1].prio : -1;
}
