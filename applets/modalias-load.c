/* modalias-load — load kernel modules for modaliases or module names, the
 * way `modprobe -b` would, without forking: core/kmod.h does the work. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "applet.h"
#include "kmod.h"

APPLET(modalias_load, "modalias-load",
       "[-d BASEDIR] [-k KVER] [-n] [-D] [-q] [-b] [-a] [-S [-s SYSFS]] [-c CMDLINE] [-f FILE] [ALIAS|MODULE [PARAM]...]",
       "Load the kernel modules an alias (a device's MODALIAS) or module name resolves to,\n"
       "with dependencies, softdeps, options and install commands, as kmod's modprobe does,\n"
       "from the indexes depmod wrote (text files where the .bin ones are missing).\n"
       "\n"
       "  -d BASEDIR  module tree and modprobe.d under BASEDIR (modprobe -d)\n"
       "  -k KVER     kernel version (default: running kernel; modprobe -S)\n"
       "  -n          dry run: decide, load nothing\n"
       "  -D          print what would be done, as modprobe --show-depends\n"
       "  -q          quiet: no messages about aliases without modules or failures\n"
       "  -b          apply the blacklist to module names too (always to aliases)\n"
       "  -a          every argument is a name (otherwise NAME KEY=VALUE...: parameters\n"
       "              for NAME; arguments without '=' make every argument a name)\n"
       "  -S          scan SYSFS for every modalias and load for all, with a summary\n"
       "  -s SYSFS    sysfs root for -S (default /sys)\n"
       "  -c CMDLINE  kernel command line file (default /proc/cmdline; \"\" for none)\n"
       "  -f FILE     also every name in FILE, one per line (implies -a)\n");

struct out {
	int quiet;
	const char *name;
};

static int show(const struct kmod_action *a, void *arg)
{
	(void)arg;
	switch (a->kind) {
	case KMOD_ACT_INSMOD:
		printf("insmod %s %s\n", a->path, a->options);
		break;
	case KMOD_ACT_BUILTIN:
		printf("builtin %s\n", a->name);
		break;
	case KMOD_ACT_INSTALL:
		printf("install %s %s\n", a->cmd, a->options);
		break;
	case KMOD_ACT_NOFILE:
	case KMOD_ACT_PRESENT:
		break;
	}
	return 0;
}

static void report(const struct kmod_action *a, enum kmod_outcome o, int err, void *arg)
{
	struct out *out = arg;

	if (o != KMOD_FAILED || out->quiet)
		return;
	if (a->kind == KMOD_ACT_INSTALL)
		msg("%s: install command failed: %s", a->name, a->cmd);
	else if (a->kind == KMOD_ACT_NOFILE)
		msg("%s: not in modules.dep", a->name);
	else
		msg("%s: %s: %s", a->name, a->path, err == -EOPNOTSUPP
		    ? "this kernel cannot load compressed modules (MODULE_INIT_COMPRESSED_FILE)"
		    : err == -ENOEXEC ? "not a valid module (Exec format error)" : strerror(-err));
}

static char *join_params(int n, char **v)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		/* modprobe quotes a value holding spaces: p=a b -> p="a b" */
		const char *eq = strchr(v[i], '=');

		if (i)
			strcat(s, " ");
		if (eq && eq[1] != '"' && eq[1] != '\'' && strchr(eq + 1, ' ')) {
			strncat(s, v[i], (size_t)(eq + 1 - v[i]));
			strcat(s, "\"");
			strcat(s, eq + 1);
			strcat(s, "\"");
		} else {
			strcat(s, v[i]);
		}
	}
	return s;
}

/* Show or load one name; 0 or 1 (failure reported). */
static int one(struct kmod_ctx *ctx, const char *name, const char *extra, unsigned flags,
	       int showdeps, struct out *out, const char *moddir)
{
	int r;

	out->name = name;
	if (showdeps)
		r = kmod_resolve(ctx, name, extra, flags, show, NULL);
	else
		r = kmod_load_alias(ctx, name, extra, flags, report, out);
	if (r == -ENOENT || r == -EINVAL) {
		if (!out->quiet)
			msg("%s: not found in %s", name, moddir);
		return 1;
	}
	if (r < 0) {
		/* module failures were reported as they happened */
		if (!out->quiet && r == -EBADMSG)
			msg("%s: a module index in %s is corrupt", name, moddir);
		else if (!out->quiet && (showdeps || r == -ENOMEM || r == -E2BIG))
			msg_errno(r, "%s", name);
		return 1;
	}
	return 0;
}

static int modalias_load_main(int argc, char **argv)
{
	const char *base = NULL, *kver = NULL, *sysfs = "/sys", *cmdline = NULL, *list = NULL;
	int dry = 0, showdeps = 0, quiet = 0, all = 0, scan = 0, c, i, rc = 0, r;
	unsigned flags = 0;
	char moddir[4096], why[512], *extra = NULL;
	struct kmod_opts o = { 0 };
	struct kmod_ctx *ctx;
	struct utsname u;
	struct out out;

	while ((c = getopt(argc, argv, ":d:k:nDqbaSs:c:f:")) != -1) {
		switch (c) {
		case 'd': base = optarg; break;
		case 'k': kver = optarg; break;
		case 'n': dry = 1; break;
		case 'D': showdeps = 1; break;
		case 'q': quiet = 1; break;
		case 'b': flags |= KMOD_F_BLACKLIST; break;
		case 'a': all = 1; break;
		case 'S': scan = 1; break;
		case 's': sysfs = optarg; break;
		case 'c': cmdline = optarg; break;
		case 'f': list = optarg; all = 1; break;
		default: return bad_option(c);
		}
	}
	if (!scan && optind >= argc && !list)
		return usage_error("no alias or module name given");
	if (!kver) {
		if (uname(&u) < 0)
			return msg_errno(errno, "uname");
		kver = u.release;
	}
	if ((size_t)snprintf(moddir, sizeof(moddir), "%s/lib/modules/%s", base ? base : "", kver) >= sizeof(moddir))
		return usage_error("module directory path too long");
	o.moddir = moddir;
	o.confroot = base ? base : "/";
	o.cmdline = cmdline;
	r = kmod_ctx_open(&ctx, &o, why, sizeof(why));
	if (r < 0) {
		msg("%s", why[0] ? why : strerror(-r));
		return 1;
	}
	if (kmod_ctx_warnings(ctx) && !quiet) {
		const char *w = kmod_ctx_warnings(ctx), *e;

		for (; *w; w = e + 1) {
			e = strchr(w, '\n');
			msg("warning: %.*s", (int)(e - w), w);
		}
	}
	if (dry)
		flags |= KMOD_F_DRY_RUN;
	out.quiet = quiet;

	if (scan) {
		struct kmod_scan_stats st;

		if (showdeps) {
			char **al;
			size_t n, k;

			r = kmod_scan_aliases(sysfs, &al, &n);
			if (r < 0) {
				kmod_ctx_close(ctx);
				return msg_errno(r, "%s", sysfs);
			}
			for (k = 0; k < n; k++) {
				r = kmod_resolve(ctx, al[k], NULL, flags, show, NULL);
				if (r < 0 && r != -ENOENT)
					rc = 1;
			}
			kmod_strv_free(al, n);
		} else {
			r = kmod_scan_sysfs(ctx, sysfs, flags, report, &out, &st);
			if (r < 0 && r != -ENOENT)
				rc = 1;
			if (r == -ENOMEM || (r < 0 && !st.aliases)) {
				msg_errno(r, "%s", sysfs);
			}
			if (!quiet)
				printf("%u modaliases, %u matched: %u modules %s, %u already present, "
				       "%u install commands, %u failed\n", st.aliases, st.matched,
				       st.loaded, dry ? "to load" : "loaded", st.present, st.installs,
				       st.failed);
		}
		kmod_ctx_close(ctx);
		return rc;
	}

	/* modprobe NAME PARAM...: parameters for NAME.  As a parameter is
	 * always KEY=VALUE here and no alias or module name holds '=',
	 * several names without -a are taken as names, not parameters. */
	for (i = optind + 1; !all && i < argc; i++)
		if (!strchr(argv[i], '='))
			all = 1;
	if (!all && argc - optind > 1) {
		extra = join_params(argc - optind - 1, argv + optind + 1);
		if (!extra) {
			kmod_ctx_close(ctx);
			return msg_errno(ENOMEM, "parameters");
		}
		argc = optind + 1;
	}
	for (i = optind; i < argc; i++)
		rc |= one(ctx, argv[i], extra, flags, showdeps, &out, moddir);
	if (list) {
		FILE *f = strcmp(list, "-") ? fopen(list, "re") : stdin;
		char line[8192];
		size_t l;

		if (!f) {
			rc = msg_errno(errno, "%s", list);
		} else {
			while (fgets(line, sizeof(line), f)) {
				l = strlen(line);
				if (l && line[l - 1] == '\n')
					line[--l] = '\0';
				if (l)
					rc |= one(ctx, line, NULL, flags, showdeps, &out, moddir);
			}
			if (f != stdin)
				fclose(f);
		}
	}
	fflush(stdout);
	free(extra);
	kmod_ctx_close(ctx);
	return rc;
}
