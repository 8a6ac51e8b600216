/* kmod.h — kernel modules by alias or name, in-process: what uevd,
 * coldplug and modalias-load use instead of running modprobe.
 *
 *   struct kmod_opts o = { .moddir = "/lib/modules/6.1.0-13-amd64" };
 *   struct kmod_ctx *k;
 *   char why[256];
 *   if (kmod_ctx_open(&k, &o, why, sizeof why) < 0) -> why names file+reason
 *   kmod_load_alias(k, "pci:v00008086d000010D3sv...", 0, NULL, NULL);
 *   ...any number of calls, from any number of threads...
 *   kmod_ctx_close(k);
 *
 * A context maps the indexes once (modules.dep/alias/symbols/builtin
 * .bin, text files where a .bin is missing or damaged) and parses
 * modprobe.d and the kernel command line once; it is read-only afterwards
 * but for one table under a mutex, of the modules being inserted (two
 * threads never insert one module at once: kmod_once.c).  Answers are kmod's (libkmod
 * 30): lookup order config alias > module name > symbol > install command
 * > modules.alias > builtin; blacklist for aliases always, for names with
 * KMOD_F_BLACKLIST; dependencies and softdeps in modprobe's order;
 * options from config and command line.  Loading treats "already loaded",
 * "built in", the kernel's EEXIST and a load in flight (initstate
 * "coming", waited for) as success.
 */
#ifndef UEVBOX_KMOD_H
#define UEVBOX_KMOD_H

#include <stddef.h>

struct kmod_ctx;

struct kmod_opts {
	const char *moddir;	/* ROOT/lib/modules/KVER; required */
	const char *confroot;	/* modprobe.d dirs under it (etc, run, usr/local/lib,
				 * lib); NULL = "/" */
	const char *const *confdirs; /* if set: exactly these (modprobe -C) */
	const char *cmdline;	/* kernel command line file; NULL = /proc/cmdline,
				 * "" = none */
	const char *sysfs;	/* loaded-state source; NULL = /sys */
	const char *procmodules; /* NULL = /proc/modules */
};

/* Open.  0, or -errno with why[] saying which file and what is wrong
 * (-ENOENT: no modules.dep[.bin]; -EBADMSG: a damaged index without a
 * text fallback).  Damaged indexes that do have a fallback are reported
 * by kmod_ctx_warnings(). */
int kmod_ctx_open(struct kmod_ctx **ctx, const struct kmod_opts *o, char *why, size_t whylen);
void kmod_ctx_close(struct kmod_ctx *ctx);
/* Problems found at open that did not stop it, one per line, or NULL. */
const char *kmod_ctx_warnings(const struct kmod_ctx *ctx);
const char *kmod_ctx_moddir(const struct kmod_ctx *ctx);

/* flags */
#define KMOD_F_BLACKLIST    0x01	/* modprobe -b: blacklist names too */
#define KMOD_F_CHECK_LOADED 0x02	/* skip what is loaded/builtin (not for -D) */
#define KMOD_F_DRY_RUN      0x04	/* kmod_load_*: decide, never load */
#define KMOD_F_IGNORE_CMD   0x08	/* modprobe -i: no install commands */

enum kmod_act_kind {
	KMOD_ACT_INSMOD,	/* load path with options */
	KMOD_ACT_BUILTIN,	/* built into the kernel: nothing to do */
	KMOD_ACT_INSTALL,	/* run cmd via /bin/sh -c */
	KMOD_ACT_NOFILE,	/* an alias names a module not in modules.dep */
	KMOD_ACT_PRESENT,	/* KMOD_F_CHECK_LOADED only: already loaded or
				 * built in, skipped (for reporting) */
};

struct kmod_action {
	enum kmod_act_kind kind;
	const char *name;	/* module name */
	const char *path;	/* INSMOD: the file */
	const char *options;	/* never NULL; "" if none (kmod's spacing kept) */
	const char *cmd;	/* INSTALL: the command, $CMDLINE_OPTS not expanded */
	int required;		/* the module or a hard dependency (not a softdep) */
	int top;		/* the module the name resolved to */
};

/* Called for each step in load order.  Return 0 or -errno; -EEXIST and
 * errors of non-required steps are ignored, others stop this module. */
typedef int (*kmod_action_cb)(const struct kmod_action *a, void *arg);

/* Resolve NAME (alias, module name or symbol:NAME) and call cb for each
 * step as modprobe would take them (with KMOD_F_CHECK_LOADED: skipping
 * loaded ones).  Without KMOD_F_CHECK_LOADED (modprobe -D) a dependency
 * whose file is missing drops the module's dependency list, as kmod does;
 * with it, the loader finds X.ko.gz/.xz/.zst for a missing X.ko.  extra: options for the named module itself (modprobe's
 * trailing arguments) or NULL.  Returns the number of modules NAME
 * resolved to that were handled (blacklisted ones not counted), -ENOENT if
 * it resolves to nothing, or the first error that stopped a module. */
int kmod_resolve(struct kmod_ctx *ctx, const char *name, const char *extra,
		 unsigned flags, kmod_action_cb cb, void *arg);

/* kmod_resolve, but of the modules NAME resolves to only the one called
 * ONLY (with its dependencies and softdeps), exactly as it would be taken
 * as part of NAME: the options and blacklist entries that name the alias
 * still apply.  0 if ONLY is not among them. */
int kmod_resolve_one(struct kmod_ctx *ctx, const char *name, const char *only, const char *extra,
		     unsigned flags, kmod_action_cb cb, void *arg);

/* What happened to one module during a load. */
enum kmod_outcome {
	KMOD_LOADED,		/* inserted now (or would be, dry run) */
	KMOD_PRESENT,		/* already loaded, built in, or loaded meanwhile */
	KMOD_RAN_INSTALL,	/* install command ran (or would) */
	KMOD_FAILED,		/* err says why */
};
typedef void (*kmod_report_cb)(const struct kmod_action *a, enum kmod_outcome o, int err,
			       void *arg);

/* Resolve NAME and load it: dependencies first, each once, softdeps in
 * order.  report (may be NULL) hears about every module touched.
 * Returns >= 0 on success (see kmod_resolve) or -errno of the failure
 * that stopped it. */
int kmod_load_alias(struct kmod_ctx *ctx, const char *name, const char *extra,
		    unsigned flags, kmod_report_cb report, void *arg);

/* kmod_load_alias for one of NAME's modules (kmod_resolve_one). */
int kmod_load_alias_one(struct kmod_ctx *ctx, const char *name, const char *only, unsigned flags);

/* Load state of a module. */
enum kmod_state { KMOD_ST_ABSENT, KMOD_ST_LIVE, KMOD_ST_COMING, KMOD_ST_GOING, KMOD_ST_BUILTIN };
int kmod_module_state(const struct kmod_ctx *ctx, const char *name);

/* Insert one module file with options: finit_module, .ko.gz inflated here
 * and given to init_module, .ko.xz/.ko.zst via MODULE_INIT_COMPRESSED_FILE.
 * 0, -EEXIST, or -errno (-ENOEXEC: not a module / bad compression;
 * -EOPNOTSUPP: this kernel cannot take that compressed file). */
int kmod_insert_file(const char *path, const char *options);

/* Inflate a gzip file into a malloc'd buffer (at most max bytes out).
 * 0 or -errno (-ENOEXEC: not gzip or corrupt, -EFBIG: over max). */
int kmod_gunzip_file(const char *path, size_t max, void **out, size_t *outlen);

/* Scan SYSFS for every device `modalias` (and MODALIAS= in uevent) and
 * load for all of them: each alias once, each module once. */
struct kmod_scan_stats {
	unsigned aliases;	/* distinct modaliases found */
	unsigned matched;	/* of those, resolving to at least one module */
	unsigned loaded;	/* modules inserted (would be, dry run) */
	unsigned present;	/* already loaded / built in */
	unsigned installs;	/* install commands run */
	unsigned failed;	/* modules that failed */
};
int kmod_scan_sysfs(struct kmod_ctx *ctx, const char *sysfs, unsigned flags,
		    kmod_report_cb report, void *arg, struct kmod_scan_stats *st);
/* Just collect the distinct modaliases (sorted); free with kmod_strv_free. */
int kmod_scan_aliases(const char *sysfs, char ***out, size_t *n);
void kmod_strv_free(char **v, size_t n);

#endif
