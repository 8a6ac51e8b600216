/* rule.h — mdev.conf rules: parsing and matching.
 *
 * The grammar is the one busybox mdev and mdevd read (one rule a line):
 *
 *   [-][ENV=regex;]...<match> <uid>:<gid> <mode> [=path|>path|!] [+KEY=VALUE]... [@|$|*command]
 *
 *   match    extended regex on the whole device name (anchored at both ends),
 *            or @major,minor[-minor2], or $VAR=regex (anchored, on VAR's value)
 *   -        keep matching later rules after this one matched
 *   ENV=re;  extra conditions: VAR must exist and re match somewhere in it
 *   uid:gid  names (looked up in ETC/passwd, ETC/group) or numbers
 *   mode     octal, or symbolic (u+rw,g=r ...) applied to 0660
 *   =path    put the node at path (a trailing '/' keeps the device name)
 *   >path    same, and link the device name to it
 *   !        make no node
 *   @cmd     run after the node is made; $cmd before it is removed; *cmd both
 *   +KEY=VALUE  (uevbox extension) a property published for the device by
 *            uevd -U (udev database E: line and the libudev message), set
 *            after the gatherer's, so it can add to or override ID_*; on
 *            every action but remove.  KEY is [A-Za-z0-9_]+ and not one
 *            the kernel or the publisher owns (ACTION, DEVPATH, DEVNAME,
 *            DEVLINKS, TAGS...); VALUE is one token (no blanks; %N works).
 *            busybox mdev reports such a line as bad and skips it: with a
 *            leading '-' on a line of its own, nothing else changes there.
 *   %0..%9   in path, property values and command: the groups of the last
 *            regex match
 *
 * '#' as the first non-blank character starts a comment line; a backslash at
 * the end of a line joins the next one (busybox config_read); blank lines are
 * skipped.  Tokens are separated by blanks; the fourth token is the rest of
 * the line.  No size limit on the file or a line.
 *
 * Parsing never stops at a bad line: it records file:line:reason in the set
 * and keeps the good rules.  Never prints, never exits.
 */
#ifndef UEVBOX_RULE_H
#define UEVBOX_RULE_H

#include <regex.h>
#include <stddef.h>
#include <sys/types.h>

#define RULE_NSUB 10		/* %0 .. %9 */

enum rule_kind { RULE_NAME, RULE_MAJMIN, RULE_ENV };

struct rule_envmatch {
	char *name;
	regex_t re;
};

struct rule {
	unsigned line;		/* first physical line of the rule */
	int keep;		/* leading '-' */
	enum rule_kind kind;
	char *var;		/* RULE_ENV: the variable */
	regex_t re;		/* RULE_NAME, RULE_ENV */
	/* what the anchored regex says without running it (regexec is most
	 * of a coldplug's own CPU time): a match starts with lit (litlen
	 * bytes); whole: the regex is that literal alone, a match is
	 * equality; any: the regex is ".*" */
	char lit[32];
	unsigned char litlen, whole, any;
	unsigned maj, min0, min1;	/* RULE_MAJMIN */
	struct rule_envmatch *envs;
	unsigned nenvs;
	uid_t uid;
	gid_t gid;
	mode_t mode;
	char place;		/* 0, '=', '>', '!' */
	char *path;		/* for '=' and '>' */
	char when;		/* 0, '@', '$', '*' */
	char *cmd;
	char *props;		/* +KEY=VALUE: "KEY=VALUE\0...\0\0", or NULL */
};

struct rule_err {
	char *file;
	unsigned line;
	char reason[160];
};

struct rule_set {
	struct rule *v;
	size_t n, cap;
	struct rule_err *errs;
	size_t nerrs, errcap;
};

/* Where owner and group names come from: DIR/passwd and DIR/group.
 * NULL means "/etc". */
struct rule_ids {
	const char *etc;
};

/* Parse buf (len bytes, need not be NUL-terminated) named `file` into rs,
 * appending to what is already there.  Returns the number of bad lines
 * found (they are in rs->errs), or -ENOMEM. */
int rule_parse(struct rule_set *rs, const char *file, const char *buf, size_t len,
	       const struct rule_ids *ids);

/* Read the whole file and parse it.  -errno if it cannot be read. */
int rule_load(struct rule_set *rs, const char *path, const struct rule_ids *ids);

void rule_free(struct rule_set *rs);

/* What a rule is matched against. */
struct rule_subject {
	const char *name;	/* device name: DEVNAME or basename(DEVPATH) */
	int has_dev;		/* MAJOR/MINOR known */
	unsigned maj, min;
	/* event variable lookup (NULL if absent) */
	const char *(*get)(void *arg, const char *key);
	void *arg;
};

/* The result of one match: which rule, and the text the groups index. */
struct rule_hit {
	const struct rule *rule;
	const char *str;		/* the string the regex matched, or NULL */
	regmatch_t m[RULE_NSUB];
};

/* Find the first rule at index >= *pos that matches s.  On a hit fill hit,
 * set *pos past it and return 1; return 0 when no rule is left.  The
 * caller stops after a hit unless hit->rule->keep. */
int rule_next(const struct rule_set *rs, size_t *pos, const struct rule_subject *s,
	      struct rule_hit *hit);

/* Copy tmpl to out replacing %N by group N of hit (an unknown or unset
 * group leaves "%N" as it is, as busybox does).  Returns the length, or
 * -ENAMETOOLONG if out (size bytes) is too small. */
int rule_subst(const char *tmpl, const struct rule_hit *hit, char *out, size_t size);

/* Parse owner "user:group" / numbers against ids.  0 or -ENOENT/-EINVAL. */
int rule_owner(const char *s, const struct rule_ids *ids, uid_t *uid, gid_t *gid);

/* Parse an octal or symbolic mode.  0 or -EINVAL. */
int rule_mode(const char *s, mode_t *mode);

#endif
