/* main.c — multicall dispatch.  `uevbox APPLET ARGS`, a link named after an
 * applet, and `uevbox --list` all end here.  The table is generated at
 * build time from the applets the config enables (see Makefile). */
#include <stdio.h>
#include <string.h>

#include "applet.h"

#define APPLET_ENTRY(id) extern const struct applet applet_##id;
#include "applets.gen.h"
#undef APPLET_ENTRY

static const struct applet *const table[] = {
#define APPLET_ENTRY(id) &applet_##id,
#include "applets.gen.h"
#undef APPLET_ENTRY
};

const struct applet *applet_self;

static const struct applet *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof table / sizeof *table; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

static int top_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: uevbox APPLET [ARGS]...  |  uevbox --list\n"
		"A device manager in one static binary. Applets:\n");
	for (i = 0; i < sizeof table / sizeof *table; i++)
		fprintf(f, "  %-14s %s\n", table[i]->name, table[i]->usage);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	const struct applet *a;
	size_t i;

	base = base ? base + 1 : (argv[0] ? argv[0] : "uevbox");
	a = find(base);
	if (!a) {
		if (argc < 2)
			return top_usage(stderr);
		if (!strcmp(argv[1], "--list")) {
			for (i = 0; i < sizeof table / sizeof *table; i++)
				puts(table[i]->name);
			return 0;
		}
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			return top_usage(stdout);
		a = find(argv[1]);
		if (!a) {
			fprintf(stderr, "uevbox: %s: no such applet (see uevbox --list)\n", argv[1]);
			return 2;
		}
		argc--;
		argv++;
	}
	applet_self = a;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		print_help(a);
		return 0;
	}
	return a->main(argc, argv);
}
