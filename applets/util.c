/* util.c — the few helpers applets share: messages in the
 * "applet: what: why" form, usage errors, strict number options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", applet_self ? applet_self->name : "uevbox");
	vfprintf(stderr, fmt, ap);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int msg_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return 1;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (applet_self)
		fprintf(stderr, "usage: %s %s\n", applet_self->name, applet_self->usage);
	return 2;
}

int bad_option(int c)
{
	if (c == ':')
		return usage_error("-%c: needs an argument", optopt);
	return usage_error("-%c: unknown option", optopt);
}

void print_help(const struct applet *a)
{
	printf("usage: %s %s\n\n%s", a->name, a->usage, a->help);
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
