/* kmod_ctx.c — opening a module tree: the indexes (binary first, text
 * where the binary is missing or damaged) and the configuration.
 *
 * Owns: struct kmod_ctx's lifetime.  Promises: a damaged index is never
 * used; it is named in the error (no fallback) or in the warnings (text
 * fallback used).  modules.dep is required, the others are optional as
 * they are for kmod. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmod_int.h"

static const struct {
	const char *bin, *text;
	enum kidx_text_kind kind;
} ixfiles[IX_N] = {
	[IX_DEP] = { "modules.dep.bin", "modules.dep", KIDX_TEXT_DEP },
	[IX_ALIAS] = { "modules.alias.bin", "modules.alias", KIDX_TEXT_ALIAS },
	[IX_SYMBOLS] = { "modules.symbols.bin", "modules.symbols", KIDX_TEXT_ALIAS },
	[IX_BUILTIN] = { "modules.builtin.bin", "modules.builtin", KIDX_TEXT_BUILTIN },
	[IX_BUILTIN_ALIAS] = { "modules.builtin.alias.bin", "modules.builtin.modinfo", KIDX_TEXT_MODINFO },
};

static int warn(struct kmod_ctx *c, const char *path, const char *what)
{
	size_t old = c->warnings ? strlen(c->warnings) : 0;
	size_t add = strlen(path) + strlen(what) + 4;
	char *w = realloc(c->warnings, old + add);

	if (!w)
		return -ENOMEM;
	snprintf(w + old, add, "%s: %s\n", path, what);
	c->warnings = w;
	return 0;
}

static int open_index(struct kmod_ctx *c, int i, char *why, size_t whylen)
{
	char bin[4096], text[4096];
	const char *reason = NULL;
	int r, rt;

	if ((size_t)snprintf(bin, sizeof(bin), "%s/%s", c->moddir, ixfiles[i].bin) >= sizeof(bin) ||
	    (size_t)snprintf(text, sizeof(text), "%s/%s", c->moddir, ixfiles[i].text) >= sizeof(text)) {
		snprintf(why, whylen, "%s: path too long", c->moddir);
		return -ENAMETOOLONG;
	}
	r = kidx_open_bin(&c->ix[i], bin, &reason);
	if (r == 0)
		return 0;
	if (r != -ENOENT) {
		/* damaged or unreadable: say so, then try the text file */
		char msg[160];

		snprintf(msg, sizeof(msg), "%s", reason ? reason : strerror(-r));
		rt = kidx_open_text(&c->ix[i], text, ixfiles[i].kind, c->ix[IX_DEP]);
		if (rt == 0) {
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "; using %s",
				 ixfiles[i].text);
			return warn(c, bin, msg);
		}
		snprintf(why, whylen, "%s: %s", bin, msg);
		return r;
	}
	rt = kidx_open_text(&c->ix[i], text, ixfiles[i].kind, c->ix[IX_DEP]);
	if (rt == 0 || (rt == -ENOENT && i != IX_DEP))
		return 0;
	snprintf(why, whylen, "%s: %s", rt == -ENOENT ? bin : text, strerror(-rt));
	return rt;
}

int kmod_ctx_open(struct kmod_ctx **out, const struct kmod_opts *o, char *why, size_t whylen)
{
	static const char *const sub[] = { "etc/modprobe.d", "run/modprobe.d",
					   "usr/local/lib/modprobe.d", "lib/modprobe.d" };
	char dirs[4][4096];
	const char *dv[5];
	const char *root = o->confroot ? o->confroot : "/";
	struct kmod_ctx *c;
	int i, r;

	if (whylen)
		why[0] = '\0';
	if (!o->moddir) {
		snprintf(why, whylen, "no module directory");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	kmod_once_init(c);
	c->moddir = strdup(o->moddir);
	c->sysfs = strdup(o->sysfs ? o->sysfs : "/sys");
	c->procmodules = strdup(o->procmodules ? o->procmodules : "/proc/modules");
	r = c->moddir && c->sysfs && c->procmodules ? 0 : -ENOMEM;
	for (i = 0; r == 0 && i < IX_N; i++)
		r = open_index(c, i, why, whylen);
	if (r == 0) {
		if (!o->confdirs) {
			for (i = 0; i < 4; i++) {
				snprintf(dirs[i], sizeof(dirs[i]), "%s%s%s", root,
					 root[strlen(root) - 1] == '/' ? "" : "/", sub[i]);
				dv[i] = dirs[i];
			}
			dv[4] = NULL;
		}
		r = modconf_load(&c->conf, o->confdirs ? o->confdirs : dv, c->moddir,
				 o->cmdline ? (*o->cmdline ? o->cmdline : NULL) : "/proc/cmdline");
		if (r < 0)
			snprintf(why, whylen, "configuration: %s", strerror(-r));
	}
	if (r < 0) {
		kmod_ctx_close(c);
		return r;
	}
	*out = c;
	return 0;
}

void kmod_ctx_close(struct kmod_ctx *c)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < IX_N; i++)
		kidx_close(c->ix[i]);
	modconf_free(&c->conf);
	free(c->moddir);
	free(c->sysfs);
	free(c->procmodules);
	free(c->warnings);
	kmod_once_fini(c);
	free(c);
}

const char *kmod_ctx_warnings(const struct kmod_ctx *c)
{
	return c->warnings;
}

const char *kmod_ctx_moddir(const struct kmod_ctx *c)
{
	return c->moddir;
}
