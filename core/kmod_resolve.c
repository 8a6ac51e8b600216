/* kmod_resolve.c — from a name to the ordered steps modprobe would take.
 *
 * Owns: lookup (name -> modules) and the probe list (module -> deps,
 * softdeps, itself, in order).  Promises: the same modules, order,
 * options and install commands as kmod 30's modprobe (libkmod-module.c
 * kmod_module_new_from_lookup, __kmod_module_get_probe_list,
 * __kmod_module_fill_softdep, kmod_module_probe_insert_module).  That
 * includes kmod's object identity: a module found through an alias is a
 * different object from the same module found by name (own visited flag,
 * options also matched against the alias), and a module reached twice as
 * a hard dependency and a softdep is listed twice, as modprobe does.
 *
 * All state lives in a per-call `struct run`; the context is only read.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmod_int.h"

#define MAX_OBJS 4096		/* modules in one resolution: far above any real tree */
#define MAX_LIST 8192

enum { BI_UNKNOWN, BI_YES, BI_NO };

struct obj {
	char *name;
	const char *alias;	/* NULL: found by name */
	char *path;		/* NULL until known */
	const char *install;	/* set by a commands lookup */
	unsigned char install_set, deps_done, builtin, visited, required, ignorecmd;
	struct obj **deps;	/* load order */
	unsigned ndeps;
};

struct run {
	struct kmod_ctx *ctx;
	int statdeps;		/* check dependency files exist, as kmod does */
	struct obj **objs;
	unsigned nobjs, capobjs;
	struct obj **list;	/* probe list being built */
	unsigned nlist, caplist;
	int err;		/* -ENOMEM etc.: sticky */
	char **strs;		/* normalised softdep names objects point to */
	unsigned nstrs;
	/* arena for objects, paths, dependency lists and option strings:
	 * all freed at once when the call ends (first block on the stack) */
	char *ar_cur;
	size_t ar_left;
	void *ar_blocks;	/* malloc'd blocks, linked through their first word */
};

#define AR_BLOCK 16384

static void *ar_alloc(struct run *r, size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > r->ar_left) {
		size_t bs = n + 16 > AR_BLOCK ? n + 16 : AR_BLOCK;
		char *b = malloc(bs);

		if (!b) {
			r->err = -ENOMEM;
			return NULL;
		}
		*(void **)b = r->ar_blocks;
		r->ar_blocks = b;
		r->ar_cur = b + 16;
		r->ar_left = bs - 16;
	}
	p = r->ar_cur;
	r->ar_cur += n;
	r->ar_left -= n;
	return p;
}

static struct obj *obj_get(struct run *r, const char *name, size_t namelen, const char *alias)
{
	struct obj *o;
	unsigned i;

	for (i = 0; i < r->nobjs; i++) {
		o = r->objs[i];
		if (strlen(o->name) == namelen && !memcmp(o->name, name, namelen) &&
		    (o->alias == alias || (o->alias && alias && !strcmp(o->alias, alias))))
			return o;
	}
	if (r->nobjs >= MAX_OBJS) {
		r->err = -E2BIG;
		return NULL;
	}
	if (r->nobjs == r->capobjs) {
		unsigned nc = r->capobjs ? r->capobjs * 2 : 32;
		struct obj **v = realloc(r->objs, nc * sizeof(*v));

		if (!v) {
			r->err = -ENOMEM;
			return NULL;
		}
		r->objs = v;
		r->capobjs = nc;
	}
	o = ar_alloc(r, sizeof(*o) + namelen + 1);
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->name = (char *)(o + 1);
	memcpy(o->name, name, namelen);
	o->name[namelen] = '\0';
	o->alias = alias;
	r->objs[r->nobjs++] = o;
	return o;
}

/* kmod's path_join + modname of a dependency path */
static char *join_path(struct run *r, const char *moddir, const char *p, size_t len)
{
	size_t dl = strlen(moddir);
	char *s;

	if (len && p[0] == '/') {
		s = ar_alloc(r, len + 1);
		if (s) {
			memcpy(s, p, len);
			s[len] = '\0';
		}
		return s;
	}
	s = ar_alloc(r, dl + len + 2);
	if (!s)
		return NULL;
	memcpy(s, moddir, dl);
	s[dl] = '/';
	memcpy(s + dl + 1, p, len);
	s[dl + 1 + len] = '\0';
	return s;
}

static size_t path_modname(const char *p, size_t len, char *out, size_t outsz)
{
	const char *b = p + len;
	size_t n = 0;

	while (b > p && b[-1] != '/')
		b--;
	for (; b < p + len && *b != '.' && n + 1 < outsz; b++)
		out[n++] = *b == '-' ? '_' : *b;
	out[n] = '\0';
	return n;
}

/* Load path and hard dependencies of o from modules.dep (once). */
static void obj_deps(struct run *r, struct obj *o)
{
	const char *line, *p, *e;
	struct obj **deps = NULL;
	unsigned n = 0, i;
	char name[256];
	int k;

	if (o->deps_done)
		return;
	o->deps_done = 1;
	k = kidx_get(r->ctx->ix[IX_DEP], o->name, &line);
	if (k < 0) {
		r->err = k;
		return;
	}
	if (k == 0)
		return;
	e = strchr(line, ':');
	if (!e)
		return;
	if (!o->path && !(o->path = join_path(r, r->ctx->moddir, line, (size_t)(e - line))))
		return;
	/* room for every word of the line, in order */
	for (p = e + 1, i = 0;; i++) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		p += strcspn(p, " \t");
	}
	if (i && !(deps = ar_alloc(r, i * sizeof(*deps))))
		return;
	for (p = e + 1;;) {
		struct obj *d;
		struct stat st;
		char *dp;
		size_t l;

		p += strspn(p, " \t");
		if (!*p)
			break;
		l = strcspn(p, " \t");
		dp = join_path(r, r->ctx->moddir, p, l);
		if (!dp)
			break;
		/* kmod drops the whole list when a dependency file is missing;
		 * we first look for a compressed file of the same name (a tree
		 * gzipped after depmod ran, as a depmod without zlib leaves it) */
		if (r->statdeps && stat(dp, &st) < 0) {
			char *alt = kmod_compressed_sibling(dp);

			if (!alt) {
				n = 0;
				break;
			}
			dp = ar_alloc(r, strlen(alt) + 1);
			if (dp)
				strcpy(dp, alt);
			free(alt);
			if (!dp)
				break;
		}
		d = obj_get(r, name, path_modname(p, l, name, sizeof(name)), NULL);
		if (!d)
			break;
		if (!d->path)
			d->path = dp;
		if (d->builtin == BI_UNKNOWN)
			d->builtin = BI_NO;
		deps[n++] = d;
		p += l;
	}
	/* modules.dep lists the deepest last: kmod prepends, so reverse */
	for (i = 0; i < n / 2; i++) {
		struct obj *t = deps[i];

		deps[i] = deps[n - 1 - i];
		deps[n - 1 - i] = t;
	}
	o->deps = deps;
	o->ndeps = n;
}

static int obj_builtin(struct run *r, struct obj *o)
{
	const char *v;
	int k;

	if (o->builtin == BI_UNKNOWN) {
		k = r->ctx->ix[IX_BUILTIN] ? kidx_get(r->ctx->ix[IX_BUILTIN], o->name, &v) : 0;
		o->builtin = k > 0 ? BI_YES : BI_NO;
	}
	return o->builtin == BI_YES;
}

static const char *obj_install(struct run *r, struct obj *o)
{
	if (!o->install_set) {
		o->install_set = 1;
		o->install = modconf_install(&r->ctx->conf, o->name);
	}
	return o->install;
}

/* kmod's alias_normalize: '-' -> '_' outside brackets; -1 if unbalanced */
static int normalize(const char *in, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; in[i]; i++) {
		if (i + 1 >= outsz)
			return -1;
		if (in[i] == '-')
			out[i] = '_';
		else if (in[i] == ']')
			return -1;
		else if (in[i] == '[') {
			for (; in[i] && in[i] != ']'; i++) {
				if (i + 1 >= outsz)
					return -1;
				out[i] = in[i];
			}
			if (!in[i])
				return -1;
			out[i] = ']';
		} else
			out[i] = in[i];
	}
	out[i] = '\0';
	return 0;
}

static int push(struct obj ***v, unsigned *n, unsigned *cap, struct obj *o)
{
	if (*n >= MAX_LIST)
		return -E2BIG;
	if (*n == *cap) {
		unsigned nc = *cap ? *cap * 2 : 16;
		struct obj **p = realloc(*v, nc * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = o;
	return 0;
}

/* The alias string stored in an object must outlive the run: index values
 * and config strings do; a query string is copied into the run. */
struct found {
	struct obj **v;
	unsigned n, cap;
};

static int from_hits(struct run *r, struct kidx_res *res, const char *alias, int builtin,
		     struct found *f)
{
	size_t i;

	for (i = 0; i < res->n && !r->err; i++) {
		struct obj *o = obj_get(r, res->v[i].val, strlen(res->v[i].val), alias);

		if (!o)
			break;
		if (builtin)
			o->builtin = BI_YES;
		if ((r->err = push(&f->v, &f->n, &f->cap, o)) < 0)
			break;
	}
	return r->err;
}

/* One wildcard index's answer for name: 1 if it gave modules (added to
 * f), 0 if not, -1 with r->err set on error. */
static int from_index(struct run *r, const struct kidx *ix, const char *name, int builtin,
		      struct found *f)
{
	struct kidx_res res = { 0 };
	int k = kidx_wild(ix, name, &res);

	if (k < 0 || (k > 0 && from_hits(r, &res, name, builtin, f) < 0)) {
		kidx_res_free(&res);
		r->err = r->err ? r->err : k;
		return -1;
	}
	kidx_res_free(&res);
	return f->n ? 1 : 0;
}

/* kmod_module_new_from_lookup: the first source that knows NAME wins. */
static int lookup(struct run *r, const char *given, const char **aliasp, struct found *f)
{
	const struct modconf *c = &r->ctx->conf;
	const char *v;
	char *name;
	size_t i, len = strlen(given);
	int k;

	f->n = 0;
	name = malloc(len + 1);
	if (!name)
		return -ENOMEM;
	if (normalize(given, name, len + 1) < 0) {
		free(name);
		return -EINVAL;
	}
	*aliasp = name;		/* owned by the caller's run (freed at end) */

	for (i = 0; i < c->nalias && !r->err; i++)
		if (fnmatch(c->alias[i].a, name, 0) == 0) {
			struct obj *o = obj_get(r, c->alias[i].b, strlen(c->alias[i].b), c->alias[i].a);

			if (o)
				r->err = push(&f->v, &f->n, &f->cap, o);
		}
	if (r->err || f->n)
		return r->err;

	if (!strchr(name, ':')) {
		k = kidx_get(r->ctx->ix[IX_DEP], name, &v);
		if (k < 0)
			return r->err = k;
		if (k > 0) {
			struct obj *o = obj_get(r, name, len, NULL);

			if (o) {
				obj_deps(r, o);
				r->err = r->err ? r->err : push(&f->v, &f->n, &f->cap, o);
			}
			return r->err;
		}
	}
	if (!strncmp(name, "symbol:", 7) && r->ctx->ix[IX_SYMBOLS]) {
		k = from_index(r, r->ctx->ix[IX_SYMBOLS], name, 0, f);
		if (k)
			return k < 0 ? r->err : 0;
	}
	for (i = 0; i < c->ninstall; i++)
		if (!strcmp(c->install[i].a, name)) {
			struct obj *o = obj_get(r, name, len, NULL);

			if (!o)
				return r->err;
			o->install_set = 1;
			o->install = c->install[i].b;
			return r->err = push(&f->v, &f->n, &f->cap, o);
		}
	for (i = 0; i < c->nremove; i++)
		if (!strcmp(c->remove[i].a, name)) {
			struct obj *o = obj_get(r, name, len, NULL);

			return o ? (r->err = push(&f->v, &f->n, &f->cap, o)) : r->err;
		}
	if (r->ctx->ix[IX_ALIAS]) {
		k = from_index(r, r->ctx->ix[IX_ALIAS], name, 0, f);
		if (k)
			return k < 0 ? r->err : 0;
	}
	if (r->ctx->ix[IX_BUILTIN]) {
		k = kidx_get(r->ctx->ix[IX_BUILTIN], name, &v);
		if (k < 0)
			return r->err = k;
		if (k > 0) {
			struct obj *o = obj_get(r, name, len, NULL);

			if (o) {
				o->builtin = BI_YES;
				r->err = push(&f->v, &f->n, &f->cap, o);
			}
			return r->err;
		}
	}
	if (r->ctx->ix[IX_BUILTIN_ALIAS])
		from_index(r, r->ctx->ix[IX_BUILTIN_ALIAS], name, 1, f);
	return r->err;
}

static int probe_list(struct run *r, struct obj *o, int required, int ignorecmd);

static int softdeps(struct run *r, const char *const *names, unsigned n, struct found *out)
{
	struct found f = { 0 };
	unsigned i, j;
	int e = 0;

	for (i = 0; i < n && !r->err; i++) {
		const char *alias = NULL;

		e = lookup(r, names[i], &alias, &f);
		if (alias) {	/* objects may point at it: keep it for the run */
			char **v = realloc(r->strs, (r->nstrs + 1) * sizeof(*v));

			if (!v) {
				free((char *)alias);
				r->err = -ENOMEM;
				break;
			}
			r->strs = v;
			r->strs[r->nstrs++] = (char *)alias;
		}
		if (e == -EINVAL) {		/* bad name: kmod skips it */
			r->err = 0;
			continue;
		}
		if (r->err)
			break;
		for (j = 0; j < f.n && !r->err; j++)
			r->err = push(&out->v, &out->n, &out->cap, f.v[j]);
	}
	free(f.v);
	return r->err;
}

static int fill_softdep(struct run *r, struct obj *o)
{
	const struct modconf_softdep *sd = modconf_softdep(&r->ctx->conf, o->name);
	struct found pre = { 0 }, post = { 0 };
	unsigned i;

	if (sd) {
		softdeps(r, (const char *const *)sd->pre, sd->npre, &pre);
		softdeps(r, (const char *const *)sd->post, sd->npost, &post);
	}
	for (i = 0; i < pre.n && !r->err; i++)
		probe_list(r, pre.v[i], 0, 0);
	if (!r->err)
		r->err = push(&r->list, &r->nlist, &r->caplist, o);
	o->ignorecmd = pre.n || post.n;
	for (i = 0; i < post.n && !r->err; i++)
		probe_list(r, post.v[i], 0, 0);
	free(pre.v);
	free(post.v);
	return r->err;
}

static int probe_list(struct run *r, struct obj *o, int required, int ignorecmd)
{
	unsigned i;

	if (o->visited)
		return 0;
	o->visited = 1;
	obj_deps(r, o);
	if (required) {
		o->required = 1;
		for (i = 0; i < o->ndeps; i++)
			o->deps[i]->required = 1;
	}
	for (i = 0; i < o->ndeps && !r->err; i++)
		fill_softdep(r, o->deps[i]);
	if (r->err)
		return r->err;
	if (ignorecmd) {
		r->err = push(&r->list, &r->nlist, &r->caplist, o);
		o->ignorecmd = 1;
		return r->err;
	}
	return fill_softdep(r, o);
}

/* kmod's module_options_concat: "opt" + " " + "extra"; note "opt " when
 * there is no extra — modprobe prints that trailing space too. */
static char *concat(struct run *r, const char *opt, const char *x)
{
	size_t ol = opt ? strlen(opt) : 0, xl = x ? strlen(x) : 0;
	char *s;

	if (!ol && !xl)
		return NULL;
	s = ar_alloc(r, ol + xl + 2);
	if (!s)
		return NULL;
	s[0] = '\0';
	if (opt) {
		memcpy(s, opt, ol);
		s[ol++] = ' ';
	}
	if (x)
		memcpy(s + ol, x, xl);
	s[ol + xl] = '\0';
	return s;
}

static int inkernel(struct run *r, struct obj *o)
{
	int st;

	if (obj_builtin(r, o))
		return 1;
	st = kmod_module_state(r->ctx, o->name);
	return st == KMOD_ST_LIVE || st == KMOD_ST_BUILTIN;
}

static int probe(struct run *r, struct obj *top, const char *extra, unsigned flags,
		 kmod_action_cb cb, void *arg)
{
	unsigned i;
	int err = 0;

	if ((flags & KMOD_F_CHECK_LOADED) && inkernel(r, top)) {
		struct kmod_action a = { .kind = KMOD_ACT_PRESENT, .name = top->name,
					 .path = top->path, .options = "", .required = 1, .top = 1 };

		cb(&a, arg);		/* nothing to do: just say so */
		return 0;
	}
	if ((top->alias || (flags & KMOD_F_BLACKLIST)) && modconf_blacklisted(&r->ctx->conf, top->name))
		return 1;
	for (i = 0; i < r->nobjs; i++)
		r->objs[i]->visited = r->objs[i]->required = 0;
	r->nlist = 0;
	probe_list(r, top, 1, !!(flags & KMOD_F_IGNORE_CMD));
	if (r->err)
		return r->err;
	for (i = 0; i < r->nlist; i++) {
		struct obj *m = r->list[i];
		struct kmod_action a;
		char *opts = NULL, *mopts;
		const char *cmd;
		int oe;

		if ((flags & KMOD_F_CHECK_LOADED) && inkernel(r, m)) {
			struct kmod_action pa = { .kind = KMOD_ACT_PRESENT, .name = m->name,
						  .path = m->path, .options = "",
						  .required = m->required, .top = m == top };

			cb(&pa, arg);
			err = -EEXIST;
			goto next;
		}
		mopts = modconf_options(&r->ctx->conf, m->name, m->alias, &oe);
		if (oe < 0)
			return oe;
		opts = concat(r, mopts, m == top ? extra : NULL);
		free(mopts);
		if (r->err)
			return r->err;
		cmd = obj_install(r, m);
		memset(&a, 0, sizeof(a));
		a.name = m->name;
		a.options = opts ? opts : "";
		a.required = m->required;
		a.top = m == top;
		if (cmd && !m->ignorecmd) {
			a.kind = KMOD_ACT_INSTALL;
			a.cmd = cmd;
		} else {
			if (!m->path)	/* kmod_module_get_path: parse only if unknown */
				obj_deps(r, m);
			a.path = m->path;
			a.kind = m->path ? KMOD_ACT_INSMOD : obj_builtin(r, m) ? KMOD_ACT_BUILTIN
									      : KMOD_ACT_NOFILE;
		}
		err = cb(&a, arg);
next:
		if (err == -EEXIST || !m->required)
			err = 0;
		else if (err < 0)
			break;
	}
	return err;
}

static int resolve(struct kmod_ctx *ctx, const char *name, const char *only, const char *extra,
		   unsigned flags, kmod_action_cb cb, void *arg)
{
	struct run rs, *r = &rs;
	struct found f = { 0 };
	const char *alias = NULL;
	unsigned i, done = 0;
	int err, e = 0, first = 0;

	_Alignas(16) char block0[8192];

	memset(&rs, 0, sizeof(rs));
	r->ctx = ctx;
	r->ar_cur = block0;
	r->ar_left = sizeof(block0);
	/* for show (no loaded-state checks) mimic kmod's check that every
	 * dependency file exists; when loading, the kernel and the loader's
	 * own open() say so, naming the missing module */
	r->statdeps = !(flags & KMOD_F_CHECK_LOADED);
	err = lookup(r, name, &alias, &f);
	if (err == 0 && f.n == 0)
		err = -ENOENT;
	/* like modprobe, a failure with one module does not stop the next */
	for (i = 0; err == 0 && i < f.n; i++) {
		if (only && strcmp(f.v[i]->name, only))
			continue;
		e = probe(r, f.v[i], extra, flags, cb, arg);
		if (e < 0 && !first)
			first = e;
		if (r->err)
			break;
		if (e == 0)
			done++;
	}
	if (!err)
		err = first;
	free(f.v);
	free((char *)alias);
	for (i = 0; i < r->nstrs; i++)
		free(r->strs[i]);
	free(r->strs);
	while (r->ar_blocks) {
		void *next = *(void **)r->ar_blocks;

		free(r->ar_blocks);
		r->ar_blocks = next;
	}
	free(r->objs);
	free(r->list);
	return err < 0 ? err : (int)done;
}

int kmod_resolve(struct kmod_ctx *ctx, const char *name, const char *extra,
		 unsigned flags, kmod_action_cb cb, void *arg)
{
	return resolve(ctx, name, NULL, extra, flags, cb, arg);
}

int kmod_resolve_one(struct kmod_ctx *ctx, const char *name, const char *only, const char *extra,
		     unsigned flags, kmod_action_cb cb, void *arg)
{
	return resolve(ctx, name, only, extra, flags, cb, arg);
}
