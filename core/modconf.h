/* modconf.h — modprobe configuration: modprobe.d files and the kernel
 * command line, parsed as kmod parses them (libkmod-config.c).
 *
 * Files: every NAME.conf / NAME.alias in the given directories, read in
 * the order of NAME across all of them; a NAME seen in an earlier
 * directory hides the same NAME in later ones.  MODDIR/modules.softdep is
 * read as if it were a file of that name.  The kernel command line adds
 * `modprobe.blacklist=a,b` and `MODULE.param=value` last.
 *
 * The result is immutable after modconf_load(): safe to query from many
 * threads.  Nothing here prints; bad lines are counted in c->bad_lines.
 */
#ifndef UEVBOX_MODCONF_H
#define UEVBOX_MODCONF_H

#include <stddef.h>

struct modconf_pair {		/* alias PATTERN MOD / options MOD OPTS / install, remove */
	char *a;		/* pattern or module name ('-' already '_') */
	char *b;		/* module, options or command */
};

struct modconf_softdep {
	char *mod;		/* pattern matched with fnmatch */
	char **pre, **post;
	unsigned npre, npost;
};

struct modconf {
	struct modconf_pair *alias, *options, *install, *remove;
	size_t nalias, noptions, ninstall, nremove;
	char **blacklist;
	size_t nblacklist;
	struct modconf_softdep *softdep;
	size_t nsoftdep;
	unsigned bad_lines;	/* lines ignored as kmod ignores them */
	size_t cap[6];		/* private: vector capacities */
	/* private: first-match indexes for softdep and install patterns
	 * (built by modconf_load; without them queries scan linearly) */
	struct modconf_pidx {
		size_t *lit;	/* literal patterns, sorted by (name, position) */
		size_t nlit;
		size_t *wild;	/* positions of patterns with * ? [ */
		size_t nwild;
		int built;
	} pidx[2];
};

/* Load DIRS (NULL-terminated; a path may also be a single file), then
 * MODDIR/modules.softdep (MODDIR may be NULL), then the kernel command
 * line from CMDLINE (a file path; NULL = none).  Missing paths are
 * skipped.  Returns 0 or -ENOMEM; *c is zeroed first. */
int modconf_load(struct modconf *c, const char *const *dirs, const char *moddir,
		 const char *cmdline);

/* Build the lookup indexes (modconf_load does; call after parsing text
 * by hand for the same speed).  0 or -ENOMEM. */
int modconf_index(struct modconf *c);

/* Parse one file's text (modified in place).  For tests and modconf_load. */
int modconf_parse_text(struct modconf *c, char *text);

/* Parse kernel command line text (modified in place). */
int modconf_parse_cmdline(struct modconf *c, char *text);

void modconf_free(struct modconf *c);

/* kmod's underscores(): '-' -> '_' outside [...]; -1 if brackets are bad. */
int modconf_underscores(char *s);

int modconf_blacklisted(const struct modconf *c, const char *mod);

/* All `options` for module NAME or (if not NULL) for ALIAS, joined by one
 * space, in file order: a malloc'd string, or NULL if there are none
 * (*err = -ENOMEM on failure). */
char *modconf_options(const struct modconf *c, const char *name, const char *alias, int *err);

/* First install/remove command whose pattern fnmatches NAME, or NULL. */
const char *modconf_install(const struct modconf *c, const char *name);
/* First softdep entry whose pattern fnmatches NAME, or NULL. */
const struct modconf_softdep *modconf_softdep(const struct modconf *c, const char *name);

#endif
