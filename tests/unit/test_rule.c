/* test_rule.c — mdev.conf parsing and matching, path safety, plans. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dev.h"
#include "eng.h"
#include "eng_conf.h"
#include "rule.h"
#include "uev.h"
#include "unit.h"

/* passwd/group fixtures in a scratch directory (made once by the test,
 * removed at exit) */
static char etc_dir[] = "/tmp/uevbox-unit-etc.XXXXXX";

static void etc_cleanup(void)
{
	char path[64];

	snprintf(path, sizeof path, "%s/passwd", etc_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/group", etc_dir);
	unlink(path);
	rmdir(etc_dir);
}

static const struct rule_ids *ids(void)
{
	static struct rule_ids i;
	char *dir = etc_dir;
	char path[64];
	FILE *f;

	if (i.etc)
		return &i;
	if (!mkdtemp(dir))
		return &i;
	atexit(etc_cleanup);
	i.etc = dir;
	snprintf(path, sizeof path, "%s/passwd", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("root:x:0:0:root:/root:/bin/sh\nalice:x:1001:1002::/home/a:/bin/sh\n", f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/group", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("root:x:0:\ndisk:x:6:\nvideo:x:44:alice\n", f);
		fclose(f);
	}
	return &i;
}

static int parse(struct rule_set *rs, const char *text)
{
	memset(rs, 0, sizeof *rs);
	return rule_parse(rs, "t.conf", text, strlen(text), ids());
}

TEST(rule_basic_fields)
{
	struct rule_set rs;

	CHECK_INT(parse(&rs, "sd[a-z]+ root:disk 0660\n"), 0);
	CHECK_INT(rs.n, 1);
	CHECK_INT(rs.v[0].kind, RULE_NAME);
	CHECK_INT(rs.v[0].uid, 0);
	CHECK_INT(rs.v[0].gid, 6);
	CHECK_INT(rs.v[0].mode, 0660);
	CHECK_INT(rs.v[0].keep, 0);
	CHECK_INT(rs.v[0].place, 0);
	CHECK(rs.v[0].cmd == NULL);
	rule_free(&rs);
}

TEST(rule_all_forms)
{
	struct rule_set rs;
	const char *text =
		"# comment\n"
		"\n"
		"   # indented comment\n"
		"-null 0:0 666\n"
		"@8,0-15 alice:video 0640\n"
		"@1,3 alice 0600\n"
		"$MODALIAS=usb:.* 0:0 0660 @modprobe \"$MODALIAS\"\n"
		"SUBSYSTEM=block;DEVTYPE=disk;(vd)([a-z]) 0:6 0660 =disks/%2 @echo %1 # not a comment\n"
		"rtc0 0:0 0644 >rtc\n"
		"input/.* 0:0 0640 =input/\n"
		"fb0 0:0 0600 ! *echo both\n"
		"loop[0-9]+ 0:disk u=rw,g=r $echo gone\n"
		"long 0:0 0600 \\\n"
		"   @echo joined\n";

	CHECK_INT(parse(&rs, text), 0);
	CHECK_INT(rs.n, 10);
	CHECK_INT(rs.v[0].keep, 1);
	CHECK_INT(rs.v[0].mode, 0666);
	CHECK_INT(rs.v[0].line, 4);
	CHECK_INT(rs.v[1].kind, RULE_MAJMIN);
	CHECK_INT(rs.v[1].maj, 8);
	CHECK_INT(rs.v[1].min0, 0);
	CHECK_INT(rs.v[1].min1, 15);
	CHECK_INT(rs.v[1].uid, 1001);
	CHECK_INT(rs.v[1].gid, 44);
	CHECK_INT(rs.v[2].min0, 3);
	CHECK_INT(rs.v[2].min1, 3);
	CHECK_INT(rs.v[2].gid, 1002);	/* user's primary group */
	CHECK_INT(rs.v[3].kind, RULE_ENV);
	CHECK_STR(rs.v[3].var, "MODALIAS");
	CHECK_INT(rs.v[3].when, '@');
	CHECK_STR(rs.v[3].cmd, "modprobe \"$MODALIAS\"");
	CHECK_INT(rs.v[4].nenvs, 2);
	CHECK_STR(rs.v[4].envs[0].name, "SUBSYSTEM");
	CHECK_STR(rs.v[4].envs[1].name, "DEVTYPE");
	CHECK_INT(rs.v[4].place, '=');
	CHECK_STR(rs.v[4].path, "disks/%2");
	CHECK_STR(rs.v[4].cmd, "echo %1 # not a comment");
	CHECK_INT(rs.v[5].place, '>');
	CHECK_STR(rs.v[5].path, "rtc");
	CHECK_STR(rs.v[6].path, "input/");
	CHECK_INT(rs.v[7].place, '!');
	CHECK_INT(rs.v[7].when, '*');
	CHECK_INT(rs.v[8].mode, 0640);
	CHECK_INT(rs.v[8].when, '$');
	CHECK_INT(rs.v[9 - 1].line, 12);
	rule_free(&rs);
	CHECK_INT(parse(&rs, "long 0:0 0600 \\\n   @echo joined\n"), 0);
	CHECK_STR(rs.v[0].cmd, "echo joined");
	rule_free(&rs);
}

TEST(rule_errors_have_lines)
{
	struct rule_set rs;
	const char *text =
		"null 0:0 0666\n"
		"onlytwo 0:0\n"
		"(bad 0:0 0600\n"
		"x nosuchuser:0 0600\n"
		"x 0:nosuchgroup 0600\n"
		"x 0:0 0999\n"
		"@8 0:0 0600\n"
		"@8,5-1 0:0 0600\n"
		"$NOEQ 0:0 0600\n"
		"x 0:0 0600 %junk\n"
		"x 0:0 0600 =\n"
		"x 0:0 0600 !x\n"
		"x 0:0 0600 @\n"
		"A=(;x 0:0 0600\n"
		"zero 0:0 0666\n";
	unsigned want[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	size_t i;

	CHECK_INT(parse(&rs, text), 13);
	CHECK_INT(rs.n, 2);	/* the good lines survive */
	for (i = 0; i < rs.nerrs && i < 13; i++) {
		CHECK_INT(rs.errs[i].line, want[i]);
		CHECK_STR(rs.errs[i].file, "t.conf");
		CHECK(rs.errs[i].reason[0] != 0);
	}
	CHECK(strstr(rs.errs[2].reason, "nosuchuser") != NULL);
	rule_free(&rs);
}

TEST(rule_stacked_repetition_refused)
{
	struct rule_set rs;

	CHECK_INT(parse(&rs, "b++ 0:0 0600\nb*? 0:0 0600\nb{2}+ 0:0 0600\n"
			     "[+*]+ 0:0 0600\n\\++ 0:0 0600\n(a+)+ 0:0 0600\nx[[:alpha:]]* 0:0 0600\n"), 3);
	CHECK_INT(rs.n, 4);	/* bracket, escape, group, class are fine */
	CHECK(strstr(rs.errs[0].reason, "repetition") != NULL);
	rule_free(&rs);
}

TEST(rule_no_size_limit)
{
	struct rule_set rs;
	size_t n = 5000, i, len = 0;
	char *big = malloc(n * 32);

	for (i = 0; i < n; i++)
		len += (size_t)sprintf(big + len, "dev%zu 0:0 0600\n", i);
	CHECK(len > 65536);
	CHECK_INT(parse(&rs, big), 0);
	CHECK_INT(rs.n, n);
	CHECK_INT(rs.v[n - 1].line, n);
	rule_free(&rs);
	free(big);
}

static const char *get(void *arg, const char *key)
{
	const char **kv = arg;

	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], key))
			return kv[1];
	return NULL;
}

TEST(rule_matching)
{
	struct rule_set rs;
	const char *env[] = { "SUBSYSTEM", "block", "MODALIAS", "usb:v1234", NULL };
	struct rule_subject s = { "vdb", 1, 8, 16, get, env };
	struct rule_hit h;
	size_t pos = 0;
	char out[64];

	CHECK_INT(parse(&rs, "vd 0:0 0600\n"		/* not the whole name */
			     "-SUBSYSTEM=net;vd. 0:0 0600\n"	/* env fails */
			     "-SUBSYSTEM=loc;(v)d(.) 0:0 0601 =x/%1%2%3%\n"	/* unanchored env */
			     "@8,16-31 0:0 0602\n"
			     "$MODALIAS=usb:(.*) 0:0 0603 @load %1\n"), 0);
	CHECK_INT(rule_next(&rs, &pos, &s, &h), 1);
	CHECK_INT(h.rule->mode, 0601);
	CHECK_INT(rule_subst(h.rule->path, &h, out, sizeof out), 7);
	CHECK_STR(out, "x/vb%3%");
	CHECK_INT(rule_next(&rs, &pos, &s, &h), 1);
	CHECK_INT(h.rule->mode, 0602);
	CHECK_INT(rule_next(&rs, &pos, &s, &h), 1);
	CHECK_INT(h.rule->mode, 0603);
	CHECK(rule_subst(h.rule->cmd, &h, out, sizeof out) > 0);
	CHECK_STR(out, "load v1234");
	CHECK_INT(rule_next(&rs, &pos, &s, &h), 0);
	CHECK_INT(rule_subst("%1%1%1%1", &h, out, 8), -ENAMETOOLONG);
	s.has_dev = 0;	/* @maj,min needs a device number */
	pos = 3;
	CHECK_INT(rule_next(&rs, &pos, &s, &h), 1);
	CHECK_INT(h.rule->mode, 0603);
	rule_free(&rs);
}

/* The literal shortcuts (rule.h: lit, whole, any) answer exactly as the
 * regex does, whole-string, with %0 the name. */
TEST(rule_literal_shortcuts)
{
	static const char *const pats[] = {
		"null", "tty[0-9]+", "vcsa?[0-9]*", "ab{0,1}c", "tty(S|USB)[0-9]+", "a|b", "x[|]y",
		"x[]|]y", "x[[:digit:]|]y", "mapper/.*", ".*", "(sd|vd)[a-z]", "a+b", "\\.x",
		"0123456789012345678901234567890123456789",
	};
	static const char *const names[] = {
		"null", "nullx", "nul", "tty", "tty1", "ttyS0", "ttyUSB12", "vcs", "vcsa", "vcs1",
		"vcsa1", "ac", "abc", "abbc", "a", "b", "x|y", "x]y", "x1y", "mapper/", "mapper/r",
		"sda", "vdb", "aab", "b", ".x", "", "0123456789012345678901234567890123456789",
		"01234567890123456789012345678901234567890",
	};
	size_t i, k;

	for (i = 0; i < sizeof pats / sizeof *pats; i++) {
		char line[128];
		struct rule_set rs;
		regex_t re;

		snprintf(line, sizeof line, "%s 0:0 0600\n", pats[i]);
		if (!CHECK_INT(parse(&rs, line), 0))
			continue;
		CHECK_INT(regcomp(&re, pats[i], REG_EXTENDED), 0);
		for (k = 0; k < sizeof names / sizeof *names; k++) {
			struct rule_subject s = { names[k], 0, 0, 0, NULL, NULL };
			struct rule_hit h;
			regmatch_t m[1];
			size_t pos = 0;
			int want = !regexec(&re, names[k], 1, m, 0) && m[0].rm_so == 0 &&
				   (size_t)m[0].rm_eo == strlen(names[k]);
			int got = rule_next(&rs, &pos, &s, &h);

			if (got != want)
				fprintf(stderr, "  pattern '%s' name '%s': %d, regex says %d\n",
					pats[i], names[k], got, want);
			CHECK_INT(got, want);
			if (got)
				CHECK_INT(h.m[0].rm_eo, (int)strlen(names[k]));
		}
		regfree(&re);
		rule_free(&rs);
	}
}

TEST(rule_modes_and_owners)
{
	mode_t m;
	uid_t u;
	gid_t g;

	CHECK_INT(rule_mode("0644", &m), 0);
	CHECK_INT(m, 0644);
	CHECK_INT(rule_mode("4755", &m), 0);
	CHECK_INT(m, 04755);
	CHECK_INT(rule_mode("06440", &m), -EINVAL);
	CHECK_INT(rule_mode("a+rw", &m), 0);
	CHECK_INT(m, 0666);
	CHECK_INT(rule_mode("o-w,g=r", &m), 0);
	CHECK_INT(m, 0640);
	CHECK_INT(rule_mode("q", &m), -EINVAL);
	CHECK_INT(rule_owner("alice:disk", ids(), &u, &g), 0);
	CHECK_INT(u, 1001);
	CHECK_INT(g, 6);
	CHECK_INT(rule_owner("5:7", ids(), &u, &g), 0);
	CHECK_INT(u, 5);
	CHECK_INT(g, 7);
	CHECK(rule_owner("ali:0", ids(), &u, &g) < 0);	/* prefix is not a name */
	CHECK(rule_owner(":0", ids(), &u, &g) < 0);
}

TEST(builtin_conf_parses)
{
	struct rule_set rs;
	struct rule_ids none = { "/nonexistent" };

	memset(&rs, 0, sizeof rs);
	CHECK_INT(eng_conf_load(&rs, NULL, &none), 0);
	CHECK(rs.n > 40);
	rule_free(&rs);
}

TEST(dev_path_safety)
{
	CHECK(dev_path_ok("null"));
	CHECK(dev_path_ok("snd/controlC0"));
	CHECK(dev_path_ok("a.b/..c/c.."));
	CHECK(!dev_path_ok(""));
	CHECK(!dev_path_ok("/etc/x"));
	CHECK(!dev_path_ok("../../etc/x"));
	CHECK(!dev_path_ok("a/../b"));
	CHECK(!dev_path_ok("a/.."));
	CHECK(!dev_path_ok("./a"));
	CHECK(!dev_path_ok("a//b"));
	CHECK(!dev_path_ok("a/"));
	CHECK(!dev_path_ok("a\nb"));
	CHECK(!dev_path_ok("a\tb"));
	CHECK(!dev_path_ok("a\x7f"));
}

static int mkroot(char *tmpl)
{
	return mkdtemp(tmpl) ? 0 : -errno;
}

TEST(dev_nodes_contained)
{
	char root[] = "/tmp/uevbox-unit.XXXXXX", p[512], out[64];
	struct dev_root r;
	struct stat st;
	int fd;

	if (geteuid() != 0)
		return;	/* mknod needs root; the shell tests cover the rest */
	CHECK_INT(mkroot(root), 0);
	CHECK_INT(dev_root_open(&r, root), 0);
	CHECK_INT(dev_make_node(&r, "a/b/null", S_IFCHR, makedev(1, 3), 0640, 0, 6), DEV_CREATED);
	CHECK_INT(dev_make_node(&r, "a/b/null", S_IFCHR, makedev(1, 3), 0640, 0, 6), DEV_UNCHANGED);
	snprintf(p, sizeof p, "%s/a/b/null", root);
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0640);
	CHECK_INT(st.st_gid, 6);
	chmod(p, 0600);
	CHECK_INT(dev_make_node(&r, "a/b/null", S_IFCHR, makedev(1, 3), 0640, 0, 6), DEV_FIXED);
	CHECK_INT(dev_make_node(&r, "a/b/null", S_IFCHR, makedev(1, 5), 0640, 0, 6), DEV_FIXED);
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(minor(st.st_rdev), 5);
	/* a symlink planted in the tree is not followed */
	snprintf(p, sizeof p, "%s/evil", root);
	CHECK_INT(symlink("/tmp", p), 0);
	CHECK(dev_make_node(&r, "evil/x", S_IFCHR, makedev(1, 3), 0600, 0, 0) < 0);
	CHECK_INT(dev_make_node(&r, "../x", S_IFCHR, makedev(1, 3), 0600, 0, 0), -EINVAL);
	CHECK_INT(dev_make_node(&r, "/x", S_IFCHR, makedev(1, 3), 0600, 0, 0), -EINVAL);
	/* links: relative target, replace, remove only when ours */
	CHECK_INT(dev_link_target("a/c/l", "a/b/null", out, sizeof out), 14);
	CHECK_STR(out, "../../a/b/null");
	CHECK_INT(dev_make_link(&r, "a/c/l", out), DEV_CREATED);
	CHECK_INT(dev_make_link(&r, "a/c/l", out), DEV_UNCHANGED);
	CHECK_INT(dev_make_link(&r, "a/c/l", "other"), DEV_FIXED);
	CHECK_INT(dev_remove_link(&r, "a/c/l", out), 0);
	CHECK_INT(dev_remove_link(&r, "a/c/l", "other"), 1);
	snprintf(p, sizeof p, "%s/a/c", root);
	CHECK(access(p, F_OK) < 0);	/* empty dir pruned */
	CHECK_INT(dev_remove_node(&r, "a/b/null", S_IFCHR, makedev(1, 3)), 0);	/* not that dev */
	CHECK_INT(dev_remove_node(&r, "a/b/null", S_IFCHR, makedev(1, 5)), 1);
	snprintf(p, sizeof p, "%s/a", root);
	CHECK(access(p, F_OK) < 0);
	fd = open(root, O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	dev_root_close(&r);
	snprintf(p, sizeof p, "rm -rf '%s'", root);
	CHECK_INT(system(p), 0);
}

static int plan_for(const char *rules, const char *vars, size_t vlen, struct eng_plan **p,
		    unsigned *bad)
{
	static struct rule_set rs;
	static struct uevent ev;
	struct engine e = { &rs, { -1 }, "/sys", NULL, NULL, 0 };

	rule_free(&rs);
	if (parse(&rs, rules))
		return -1;
	if (uev_parse_vars(&ev, vars, vlen))
		return -2;
	return eng_plan(&e, &ev, p, bad);
}

TEST(plan_add_remove)
{
	struct eng_plan *p;
	unsigned bad;
	char s[256];
	const char rules[] = "-SUBSYSTEM=block;.* 0:0 0600 @echo first\n"
			     "vd([a-z]) 0:6 0660 >disk/%1 *echo $MDEV\n";

	CHECK_INT(plan_for(rules, BYTES("ACTION=add\0DEVPATH=/devices/x/vdb\0SUBSYSTEM=block\0"
					"MAJOR=252\0MINOR=16\0DEVNAME=vdb\0"), &p, &bad), 0);
	CHECK_INT(bad, 0);
	CHECK_INT(p->nsteps, 5);
	eng_step_str(&p->steps[0], s, sizeof s);
	CHECK_STR(s, "node vdb b 252:16 0600 0:0 (line 1)");
	CHECK_INT(p->steps[1].kind, ES_CMD);
	eng_step_str(&p->steps[2], s, sizeof s);
	CHECK_STR(s, "node disk/b b 252:16 0660 0:6 (line 2)");
	eng_step_str(&p->steps[3], s, sizeof s);
	CHECK_STR(s, "link vdb -> disk/b (line 2)");
	CHECK_STR(p->steps[4].target, "echo $MDEV");
	CHECK_STR(p->steps[4].path, "disk/b");
	eng_plan_free(p);
	CHECK_INT(plan_for(rules, BYTES("ACTION=remove\0DEVPATH=/devices/x/vdb\0SUBSYSTEM=block\0"
					"MAJOR=252\0MINOR=16\0DEVNAME=vdb\0"), &p, &bad), 0);
	CHECK_INT(p->nsteps, 4);
	CHECK_INT(p->steps[0].kind, ES_RMNODE);
	CHECK_INT(p->steps[1].kind, ES_CMD);	/* '*' before removal */
	CHECK_INT(p->steps[2].kind, ES_RMLINK);
	CHECK_INT(p->steps[3].kind, ES_RMNODE);
	eng_plan_free(p);
}

/* replayed (no SEQNUM) and triggered (SYNTH_UUID) events are synthetic:
 * their module loads wait behind the kernel's own (mod_order.h) */
TEST(plan_synthetic)
{
	struct eng_plan *p;
	unsigned bad;

	CHECK_INT(plan_for("", BYTES("ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0SEQNUM=7\0"),
			   &p, &bad), 0);
	CHECK_INT(p->synthetic, 0);
	eng_plan_free(p);
	CHECK_INT(plan_for("", BYTES("ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0SEQNUM=8\0"
				     "SYNTH_UUID=0\0"), &p, &bad), 0);
	CHECK_INT(p->synthetic, 1);
	eng_plan_free(p);
	CHECK_INT(plan_for("", BYTES("ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0"), &p, &bad), 0);
	CHECK_INT(p->synthetic, 1);
	eng_plan_free(p);
}

TEST(plan_env_allow_list_and_modalias)
{
	struct eng_plan *p;
	unsigned bad, i;
	int has_evil = 0, has_sub = 0;

	CHECK_INT(plan_for("$MODALIAS=.* 0:0 0660 @modprobe -b \"$MODALIAS\"\n",
			   BYTES("ACTION=add\0DEVPATH=/devices/pci0/x\0SUBSYSTEM=pci\0"
				 "MODALIAS=pci:v1\0LD_PRELOAD=/evil.so\0"), &p, &bad), 0);
	CHECK_INT(p->nsteps, 1);
	CHECK_INT(p->steps[0].kind, ES_MODALIAS);
	CHECK_STR(p->steps[0].target, "pci:v1");
	for (i = 0; p->env[i]; i++) {
		has_evil |= !strncmp(p->env[i], "LD_PRELOAD=", 11);
		has_sub |= !strcmp(p->env[i], "SUBSYSTEM=pci");
	}
	CHECK(!has_evil);
	CHECK(has_sub);
	eng_plan_free(p);
}

TEST(plan_hostile_names_dropped)
{
	struct eng_plan *p;
	unsigned bad;

	/* a rule that builds "../" from the name is refused after %N */
	CHECK_INT(plan_for("(.*) 0:0 0600 =../%1\n",
			   BYTES("ACTION=add\0DEVPATH=/devices/x/y\0SUBSYSTEM=misc\0MAJOR=1\0MINOR=1\0"),
			   &p, &bad), 0);
	CHECK_INT(bad, 1);
	CHECK_INT(p->nsteps, 0);
	eng_plan_free(p);
	CHECK_INT(plan_for("(.*) 0:0 0600 =a/%1\n",
			   BYTES("ACTION=add\0DEVPATH=/devices/x/y\0SUBSYSTEM=misc\0MAJOR=1\0MINOR=1\0"),
			   &p, &bad), 0);
	CHECK_INT(bad, 0);
	CHECK_STR(p->steps[0].path, "a/y");
	eng_plan_free(p);
}

/* "+KEY=VALUE" (uevbox extension): parsed into props, %N substituted into
 * ES_PROP steps on every action but remove; owned keys refused. */
TEST(rule_properties)
{
	struct rule_set rs;
	struct eng_plan *p;
	unsigned bad;
	char s[256];
	const char rules[] = "-vd([a-z]) 0:6 0660 +ID_ROLE=disk_%1 +ID_X=y @echo hi\n"
			     "vd[a-z] 0:6 0600 =d/ +ID_PLACED=1\n";

	CHECK_INT(parse(&rs, rules), 0);
	CHECK_INT(rs.n, 2);
	CHECK(rs.v[0].props != NULL);
	CHECK_STR(rs.v[0].props, "ID_ROLE=disk_%1");
	CHECK_STR(rs.v[0].props + strlen(rs.v[0].props) + 1, "ID_X=y");
	CHECK_INT(rs.v[0].when, '@');
	CHECK_STR(rs.v[0].cmd, "echo hi");
	CHECK_INT(rs.v[1].place, '=');
	CHECK_STR(rs.v[1].props, "ID_PLACED=1");
	rule_free(&rs);
	CHECK_INT(parse(&rs, "a 0:0 0660 +DEVNAME=x\nb 0:0 0660 +NOVALUE\n"
			     "c 0:0 0660 +=v\nd 0:0 0660 +K-Y=v\ne 0:0 0660 +OK=1\n"), 4);
	CHECK_INT(rs.nerrs, 4);
	CHECK_INT(rs.n, 1);
	rule_free(&rs);

	CHECK_INT(plan_for(rules, BYTES("ACTION=add\0DEVPATH=/devices/x/vdb\0SUBSYSTEM=block\0"
					"MAJOR=252\0MINOR=16\0DEVNAME=vdb\0"), &p, &bad), 0);
	CHECK_INT(bad, 0);
	CHECK_INT(p->nsteps, 6);	/* node, 2 props, cmd; node, prop */
	CHECK_INT(p->steps[1].kind, ES_PROP);
	eng_step_str(&p->steps[1], s, sizeof s);
	CHECK_STR(s, "property ID_ROLE=disk_b (line 1)");
	CHECK_STR(p->steps[2].path, "ID_X");
	CHECK_STR(p->steps[2].target, "y");
	CHECK_INT(p->steps[3].kind, ES_CMD);
	CHECK_INT(p->steps[5].kind, ES_PROP);
	CHECK_STR(p->steps[5].target, "1");
	eng_plan_free(p);
	CHECK_INT(plan_for(rules, BYTES("ACTION=remove\0DEVPATH=/devices/x/vdb\0SUBSYSTEM=block\0"
					"MAJOR=252\0MINOR=16\0DEVNAME=vdb\0"), &p, &bad), 0);
	for (bad = 0; bad < p->nsteps; bad++)
		CHECK(p->steps[bad].kind != ES_PROP);
	eng_plan_free(p);
}
