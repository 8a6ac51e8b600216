/* applet.h — what every applet file sees.
 *
 * Each applets/<name>.c declares itself once with APPLET(): its name, a
 * one-line usage and the help text.  The build collects the enabled ones
 * (configs/) into one sorted table that main.c dispatches on.  Applets parse
 * options and call core/; they are the only code that prints or exits.
 * Exit codes: 0 ok, 1 failure, 2 usage error.
 */
#ifndef UEVBOX_APPLET_H
#define UEVBOX_APPLET_H

#include <stdarg.h>

struct applet {
	const char *name;	/* argv[0] it answers to */
	const char *usage;	/* options synopsis, after the name */
	const char *help;	/* what it does and each option, for --help */
	int (*main)(int argc, char **argv);
};

/* APPLET(c_ident, "name", "usage", "help") — defines applet_<c_ident> and
 * expects a function `static int <c_ident>_main(int, char **)` declared
 * before it. */
#define APPLET(id, nm, use, hlp) \
	static int id##_main(int, char **); \
	const struct applet applet_##id = { nm, use, hlp, id##_main }

/* The applet main() is running; set once by main.c before dispatch. */
extern const struct applet *applet_self;

/* "applet: message" on stderr. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "applet: message: strerror(err)" on stderr; err is a positive or
 * negative errno.  Returns 1 so `return msg_errno(...)` is an exit code. */
int msg_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "applet: message" and the usage line on stderr; returns 2. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt's '?' and ':' returns (use an optstring that starts with
 * ':'): names the option and says what is wrong; returns 2. */
int bad_option(int c);
/* Print "usage: name usage\n\nhelp" on stdout. */
void print_help(const struct applet *a);

/* Strict number parsing for options: whole string, in range, base 10.
 * Return 0 or -EINVAL / -ERANGE. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

#endif
