/* modconf.c — modprobe.d and kernel command line parsing (see modconf.h).
 *
 * Owns: turning config text into the tables of struct modconf and the
 * queries on them.  Promises kmod's reading of each line (kmod:
 * libkmod/libkmod-config.c kmod_config_parse, kmod_config_parse_kcmdline;
 * shared/util.c freadline_wrapped): a backslash joins the next line and
 * otherwise keeps only the character after it; '#' comments only in
 * column one; `options`, `install`, `remove` and `softdep` take the rest
 * of the line after the single separator that ends the module name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modconf.h"

#define CONF_FILE_MAX (4u << 20)
#define CMDLINE_MAX 4096

enum { V_ALIAS, V_OPTIONS, V_INSTALL, V_REMOVE, V_BLACKLIST, V_SOFTDEP };

static void *vpush(void **v, size_t *n, size_t *cap, size_t sz)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*v, nc * sz);

		if (!p)
			return NULL;
		*v = p;
		*cap = nc;
	}
	return (char *)*v + (*n)++ * sz;
}

int modconf_underscores(char *s)
{
	if (!s)
		return -1;
	for (; *s; s++) {
		if (*s == '-')
			*s = '_';
		else if (*s == ']')
			return -1;
		else if (*s == '[') {
			s += strcspn(s, "]");
			if (!*s)
				return -1;
		}
	}
	return 0;
}

static int add_pair(struct modconf *c, int which, const char *a, const char *b)
{
	struct modconf_pair **v[] = { &c->alias, &c->options, &c->install, &c->remove };
	size_t *n[] = { &c->nalias, &c->noptions, &c->ninstall, &c->nremove };
	struct modconf_pair *p;
	char *sa = strdup(a), *sb = strdup(b);

	if (!sa || !sb || !(p = vpush((void **)v[which], n[which], &c->cap[which], sizeof(*p)))) {
		free(sa);
		free(sb);
		return -ENOMEM;
	}
	p->a = sa;
	p->b = sb;
	return 0;
}

static int add_blacklist(struct modconf *c, const char *mod)
{
	char *s = strdup(mod), **p;

	if (!s || !(p = vpush((void **)&c->blacklist, &c->nblacklist, &c->cap[V_BLACKLIST], sizeof(*p)))) {
		free(s);
		return -ENOMEM;
	}
	*p = s;
	return 0;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* softdep MOD [pre: a b] [post: c d] — words before a mode are dropped */
static int add_softdep(struct modconf *c, const char *mod, char *line)
{
	struct modconf_softdep *d;
	char *w, **slot;
	int mode = 0, r = -ENOMEM;

	d = vpush((void **)&c->softdep, &c->nsoftdep, &c->cap[V_SOFTDEP], sizeof(*d));
	if (!d)
		return -ENOMEM;
	memset(d, 0, sizeof(*d));
	if (!(d->mod = strdup(mod)))
		goto fail;
	while (*line) {
		while (is_space(*line))
			line++;
		if (!*line)
			break;
		w = line;
		while (*line && !is_space(*line))
			line++;
		if (*line)
			*line++ = '\0';
		if (!strcmp(w, "pre:"))
			mode = 1;
		else if (!strcmp(w, "post:"))
			mode = 2;
		else if (mode) {
			char ***arr = mode == 1 ? &d->pre : &d->post;
			unsigned *cnt = mode == 1 ? &d->npre : &d->npost;

			slot = realloc(*arr, (*cnt + 1) * sizeof(**arr));
			if (!slot)
				goto fail;
			*arr = slot;
			if (!(slot[*cnt] = strdup(w)))
				goto fail;
			(*cnt)++;
		}
	}
	return 0;
fail:
	return r;
}

/* glibc strtok_r semantics on one line: words split by " \t" */
static char *tok(char **save)
{
	char *s = *save, *e;

	if (!*s)
		return NULL;
	s += strspn(s, " \t");
	if (!*s) {
		*save = s;
		return NULL;
	}
	e = s + strcspn(s, " \t");
	if (*e)
		*e++ = '\0';
	*save = e;
	return s;
}

/* the rest of the line (strtok_r with an empty delimiter set) */
static char *rest(char **save)
{
	char *s = *save;

	if (!*s)
		return NULL;
	*save = s + strlen(s);
	return s;
}

static int parse_line(struct modconf *c, char *line)
{
	char *save = line, *cmd, *a, *b;

	if (!*line || *line == '#')
		return 0;
	cmd = tok(&save);
	if (!cmd)
		return 0;
	if (!strcmp(cmd, "alias")) {
		a = tok(&save);
		b = a ? tok(&save) : NULL;
		if (modconf_underscores(a) < 0 || modconf_underscores(b) < 0)
			goto bad;
		return add_pair(c, V_ALIAS, a, b);
	}
	if (!strcmp(cmd, "blacklist")) {
		a = tok(&save);
		if (modconf_underscores(a) < 0)
			goto bad;
		return add_blacklist(c, a);
	}
	if (!strcmp(cmd, "options") || !strcmp(cmd, "install") || !strcmp(cmd, "remove") ||
	    !strcmp(cmd, "softdep")) {
		a = tok(&save);
		b = a ? rest(&save) : NULL;
		if (modconf_underscores(a) < 0 || !b)
			goto bad;
		if (cmd[0] == 'o') {
			char *t;

			for (t = b; *t; t++)	/* kmod turns tabs in options into spaces */
				if (*t == '\t')
					*t = ' ';
			return add_pair(c, V_OPTIONS, a, b);
		}
		if (cmd[0] == 'i')
			return add_pair(c, V_INSTALL, a, b);
		if (cmd[0] == 'r')
			return add_pair(c, V_REMOVE, a, b);
		return add_softdep(c, a, b);
	}
bad:	/* includes the deprecated "include" and "config" */
	c->bad_lines++;
	return 0;
}

int modconf_parse_text(struct modconf *c, char *text)
{
	char *r = text, *w, *line;
	int err;

	while (*r) {
		/* join "\\\n", drop other backslashes, cut at '\n' — in place */
		line = w = r;
		while (*r && *r != '\n') {
			if (*r == '\\' && r[1] == '\n') {
				r += 2;
				continue;
			}
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r++;
		}
		if (*r)
			r++;
		*w = '\0';
		if ((err = parse_line(c, line)) < 0)
			return err;
	}
	return 0;
}

static void cmdline_result(struct modconf *c, char *mod, char *param, char *value, int *err)
{
	if (!mod || !param)
		return;
	if (!strcmp(mod, "modprobe") && !strncmp(param, "blacklist=", 10)) {
		char *t;

		while (value && *err == 0) {
			t = value;
			value = strchr(value, ',');
			if (value)
				*value++ = '\0';
			*err = add_blacklist(c, t);
		}
	} else if (modconf_underscores(mod) == 0) {
		*err = add_pair(c, V_OPTIONS, mod, param);
	}
}

/* kmod's state machine: MOD.param[=value], values may be quoted */
int modconf_parse_cmdline(struct modconf *c, char *buf)
{
	enum { IGNORE, MODNAME, PARAM, VALUE, COMPLETE } st = MODNAME;
	char *p, *mod = buf, *param = NULL, *value = NULL, *qstart = NULL;
	int quoted = 0, more = 1, err = 0;

	for (p = buf; more && !err; p++) {
		switch (*p) {
		case '"':
			quoted = !quoted;
			if (quoted && st == MODNAME && p == mod) {
				qstart = p;
				mod = p + 1;
			} else if (st != VALUE) {
				st = IGNORE;
			}
			break;
		case '\0':
			more = 0;
			/* fall through */
		case ' ': case '\n': case '\t': case '\v': case '\f': case '\r':
			if (quoted && st == VALUE)
				;
			else if (quoted)
				st = IGNORE;
			else if (st == VALUE || st == PARAM) {
				*p = '\0';
				st = COMPLETE;
			} else {
				mod = p + 1;
				st = MODNAME;
				qstart = NULL;
			}
			break;
		case '.':
			if (st == MODNAME) {
				*p = '\0';
				param = p + 1;
				st = PARAM;
			} else if (st == PARAM) {
				st = IGNORE;
			}
			break;
		case '=':
			if (st == PARAM) {
				value = p + 1;
				st = VALUE;
			} else if (st == MODNAME) {
				st = IGNORE;
			}
			break;
		}
		if (st == COMPLETE) {
			/* a boot loader may quote the whole "mod.p=v w": move the
			 * quote back to the value, as kmod does */
			if (qstart && qstart < mod && value && value > mod) {
				memmove(qstart, mod, (size_t)(value - mod));
				value--;
				mod--;
				param--;
				*value = '"';
			}
			cmdline_result(c, mod, param, value, &err);
			mod = p + 1;
			st = MODNAME;
			qstart = NULL;
		}
	}
	return err;
}

static int read_small(const char *path, size_t max, char **out)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	buf = malloc(max + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < max) {		/* /proc files report size 0: read to EOF */
		n = read(fd, buf + got, max - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return 0;
}

struct cfile {
	char *path;			/* what to read */
	const char *name;		/* its base name, the sort key */
};

static int cfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfile *)a)->name, ((const struct cfile *)b)->name);
}

/* Add DIR/NAME (or PATH itself if name is NULL) unless its name is taken. */
static int add_file(struct cfile **v, size_t *n, size_t *cap, const char *dir, const char *name)
{
	struct cfile *f;
	size_t i, l;
	char *path, *b;

	if (name) {
		l = strlen(dir) + strlen(name) + 2;
		path = malloc(l);
		if (path)
			snprintf(path, l, "%s/%s", dir, name);
	} else {
		path = strdup(dir);
	}
	if (!path)
		return -ENOMEM;
	b = strrchr(path, '/');
	b = b ? b + 1 : path;
	for (i = 0; i < *n; i++)	/* the same name seen earlier wins */
		if (!strcmp((*v)[i].name, b)) {
			free(path);
			return 0;
		}
	f = vpush((void **)v, n, cap, sizeof(*f));
	if (!f) {
		free(path);
		return -ENOMEM;
	}
	f->path = path;
	f->name = b;
	return 0;
}

static int want_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.' || l < 6)
		return 0;
	return !strcmp(n + l - 5, ".conf") || !strcmp(n + l - 6, ".alias");
}

static int list_path(struct cfile **v, size_t *n, size_t *cap, const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (stat(path, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return add_file(v, n, cap, path, NULL);
	d = opendir(path);
	if (!d)
		return 0;
	while (r == 0 && (de = readdir(d))) {
		if (!want_name(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode))
			continue;
		r = add_file(v, n, cap, path, de->d_name);
	}
	closedir(d);
	return r;
}

int modconf_load(struct modconf *c, const char *const *dirs, const char *moddir,
		 const char *cmdline)
{
	struct cfile *files = NULL;
	size_t nf = 0, cap = 0, i;
	char *text;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (moddir)
		r = add_file(&files, &nf, &cap, moddir, "modules.softdep");
	for (i = 0; r == 0 && dirs && dirs[i]; i++)
		r = list_path(&files, &nf, &cap, dirs[i]);
	if (r == 0 && nf)
		qsort(files, nf, sizeof(*files), cfile_cmp);	/* names are unique */
	for (i = 0; r == 0 && i < nf; i++) {
		if (read_small(files[i].path, CONF_FILE_MAX, &text) < 0)
			continue;
		r = modconf_parse_text(c, text);
		free(text);
	}
	for (i = 0; i < nf; i++)
		free(files[i].path);
	free(files);
	if (r == 0 && cmdline && read_small(cmdline, CMDLINE_MAX - 1, &text) == 0) {
		r = modconf_parse_cmdline(c, text);
		free(text);
	}
	if (r == 0)
		r = modconf_index(c);
	if (r < 0)
		modconf_free(c);
	return r;
}

void modconf_free(struct modconf *c)
{
	struct modconf_pair *v[] = { c->alias, c->options, c->install, c->remove };
	size_t n[] = { c->nalias, c->noptions, c->ninstall, c->nremove };
	size_t i, j;

	for (i = 0; i < 4; i++) {
		for (j = 0; j < n[i]; j++) {
			free(v[i][j].a);
			free(v[i][j].b);
		}
		free(v[i]);
	}
	for (i = 0; i < c->nblacklist; i++)
		free(c->blacklist[i]);
	free(c->blacklist);
	for (i = 0; i < c->nsoftdep; i++) {
		for (j = 0; j < c->softdep[i].npre; j++)
			free(c->softdep[i].pre[j]);
		for (j = 0; j < c->softdep[i].npost; j++)
			free(c->softdep[i].post[j]);
		free(c->softdep[i].pre);
		free(c->softdep[i].post);
		free(c->softdep[i].mod);
	}
	free(c->softdep);
	for (i = 0; i < 2; i++) {
		free(c->pidx[i].lit);
		free(c->pidx[i].wild);
	}
	memset(c, 0, sizeof(*c));
}

int modconf_blacklisted(const struct modconf *c, const char *mod)
{
	size_t i;

	for (i = 0; i < c->nblacklist; i++)
		if (!strcmp(c->blacklist[i], mod))
			return 1;
	return 0;
}

char *modconf_options(const struct modconf *c, const char *name, const char *alias, int *err)
{
	size_t i, len = 0, l;
	char *s = NULL, *t;

	*err = 0;
	for (i = 0; i < c->noptions; i++) {
		const struct modconf_pair *o = &c->options[i];

		if (strcmp(o->a, name) && !(alias && !strcmp(o->a, alias)))
			continue;
		l = strlen(o->b);
		if (!l)
			continue;
		t = realloc(s, len + l + 2);
		if (!t) {
			free(s);
			*err = -ENOMEM;
			return NULL;
		}
		s = t;
		if (len)
			s[len++] = ' ';
		memcpy(s + len, o->b, l + 1);
		len += l;
	}
	return s;
}

/* pattern i of table t (0 softdep, 1 install) */
static const char *pat(const struct modconf *c, int t, size_t i)
{
	return t ? c->install[i].a : c->softdep[i].mod;
}

/* order of literal patterns: by name, then by position (stable
 * insertion sort: these lists hold tens to a few hundred entries) */
static void lit_sort(const struct modconf *c, int t, size_t *v, size_t n)
{
	size_t i, j, x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && strcmp(pat(c, t, v[j - 1]), pat(c, t, x)) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int modconf_index(struct modconf *c)
{
	int t;
	size_t i, n;

	for (t = 0; t < 2; t++) {
		struct modconf_pidx *p = &c->pidx[t];

		n = t ? c->ninstall : c->nsoftdep;
		free(p->lit);
		free(p->wild);
		memset(p, 0, sizeof(*p));
		p->lit = malloc((n ? n : 1) * sizeof(size_t));
		p->wild = malloc((n ? n : 1) * sizeof(size_t));
		if (!p->lit || !p->wild)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			if (strpbrk(pat(c, t, i), "*?[\\"))
				p->wild[p->nwild++] = i;
			else
				p->lit[p->nlit++] = i;
		}
		lit_sort(c, t, p->lit, p->nlit);
		p->built = 1;
	}
	return 0;
}

/* Position of the first pattern of table t matching name, or (size_t)-1:
 * literal patterns by binary search, the few wildcard ones by fnmatch. */
static size_t first_match(const struct modconf *c, int t, const char *name)
{
	const struct modconf_pidx *p = &c->pidx[t];
	size_t i, n = t ? c->ninstall : c->nsoftdep, best = (size_t)-1, lo = 0, hi;

	if (!p->built) {
		for (i = 0; i < n; i++)
			if (fnmatch(pat(c, t, i), name, 0) == 0)
				return i;
		return best;
	}
	hi = p->nlit;
	while (lo < hi) {	/* lowest position among equal names comes first */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(pat(c, t, p->lit[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->nlit && !strcmp(pat(c, t, p->lit[lo]), name))
		best = p->lit[lo];
	for (i = 0; i < p->nwild && p->wild[i] < best; i++)
		if (fnmatch(pat(c, t, p->wild[i]), name, 0) == 0)
			return p->wild[i];
	return best;
}

const char *modconf_install(const struct modconf *c, const char *name)
{
	size_t i = first_match(c, 1, name);

	return i == (size_t)-1 ? NULL : c->install[i].b;
}

const struct modconf_softdep *modconf_softdep(const struct modconf *c, const char *name)
{
	size_t i = first_match(c, 0, name);

	return i == (size_t)-1 ? NULL : &c->softdep[i];
}
