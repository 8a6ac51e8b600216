/* test_modconf.c — modprobe.d lines and the kernel command line, read as
 * kmod reads them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "modconf.h"
#include "unit.h"

TEST(modconf_lines)
{
	struct modconf c;
	char text[] =
		"# comment\n"
		"alias my-alias snd-foo\n"
		"alias pci:v*d[0-9]* drv\n"
		"options snd-foo  a=1\tb=2 \n"
		"options snd_foo c=\"x y\"\n"
		"blacklist bad-mod\n"
		"install foo* /bin/echo $CMDLINE_OPTS\n"
		"softdep bar pre: p1 p2 \\\n post: q1\n"
		"softdep bar pre: ignored\n"
		"  # not a comment: a bad line\n"
		"alias lonely\n"
		"options nothing\n"
		"alias bad]bracket x\n"
		"include /etc/other.conf\n"
		"remove foo /bin/true\n";

	memset(&c, 0, sizeof(c));
	CHECK_INT(modconf_parse_text(&c, text), 0);
	CHECK_INT(c.nalias, 2);
	CHECK_STR(c.alias[0].a, "my_alias");
	CHECK_STR(c.alias[0].b, "snd_foo");
	CHECK_STR(c.alias[1].a, "pci:v*d[0-9]*");
	CHECK_INT(c.bad_lines, 5);
	CHECK(modconf_blacklisted(&c, "bad_mod"));
	CHECK(!modconf_blacklisted(&c, "bad-mod"));
	{
		int err;
		char *o = modconf_options(&c, "snd_foo", NULL, &err);

		/* rest of line after one separator, tabs as spaces, joined by one space */
		CHECK_STR(o, " a=1 b=2  c=\"x y\"");
		free(o);
		o = modconf_options(&c, "drv", "my_alias", &err);
		CHECK(o == NULL);
	}
	CHECK_STR(modconf_install(&c, "foobar"), "/bin/echo $CMDLINE_OPTS");
	CHECK(modconf_install(&c, "bar") == NULL);
	{
		const struct modconf_softdep *s = modconf_softdep(&c, "bar");

		CHECK(s != NULL);
		if (s) {
			CHECK_INT(s->npre, 2);
			CHECK_INT(s->npost, 1);
			CHECK_STR(s->pre[1], "p2");
			CHECK_STR(s->post[0], "q1");
		}
	}
	modconf_free(&c);
}

TEST(modconf_cmdline)
{
	struct modconf c;
	char line[] = "quiet root=/dev/sda1 modprobe.blacklist=a-b,c snd-x.index=1 "
		      "\"e1000e.opt=x y\" bad.p.q=1 y.flag foo=bar.baz\n";
	int err;
	char *o;

	memset(&c, 0, sizeof(c));
	CHECK_INT(modconf_parse_cmdline(&c, line), 0);
	CHECK_INT(c.nblacklist, 2);
	CHECK(modconf_blacklisted(&c, "a-b"));	/* kmod keeps the name as given */
	CHECK(modconf_blacklisted(&c, "c"));
	o = modconf_options(&c, "snd_x", NULL, &err);
	CHECK_STR(o, "index=1");
	free(o);
	o = modconf_options(&c, "e1000e", NULL, &err);
	CHECK_STR(o, "opt=\"x y\"");
	free(o);
	o = modconf_options(&c, "y", NULL, &err);
	CHECK_STR(o, "flag");
	free(o);
	CHECK(modconf_options(&c, "bad", NULL, &err) == NULL);
	CHECK(modconf_options(&c, "foo", NULL, &err) == NULL);
	modconf_free(&c);
}
