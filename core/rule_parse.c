/* rule_parse.c — mdev.conf text → struct rule_set (grammar in rule.h).
 *
 * Owns: splitting the text into logical lines (backslash continuation),
 * tokenising each like busybox config_read(tokens=4, min=3, "# \t") without
 * end-of-line comments (a command may contain '#'), compiling regexes, and
 * collecting file:line:reason for every bad line.  Promises: a bad line
 * never aborts the parse and never becomes a half-made rule; there is no
 * size limit (memory grows with the file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rule.h"

static int add_err(struct rule_set *rs, const char *file, unsigned line, const char *fmt, ...)
{
	struct rule_err *e;
	va_list ap;

	if (rs->nerrs == rs->errcap) {
		size_t cap = rs->errcap ? rs->errcap * 2 : 8;
		void *p = realloc(rs->errs, cap * sizeof *rs->errs);

		if (!p)
			return -ENOMEM;
		rs->errs = p;
		rs->errcap = cap;
	}
	e = &rs->errs[rs->nerrs];
	e->file = strdup(file);
	if (!e->file)
		return -ENOMEM;
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof e->reason, fmt, ap);
	va_end(ap);
	rs->nerrs++;
	return 0;
}

static void free_rule(struct rule *r)
{
	unsigned i;

	if (r->kind != RULE_MAJMIN)
		regfree(&r->re);
	for (i = 0; i < r->nenvs; i++) {
		free(r->envs[i].name);
		regfree(&r->envs[i].re);
	}
	free(r->envs);
	free(r->var);
	free(r->path);
	free(r->cmd);
	free(r->props);
}

/* Keys a rule may not set: the kernel's and what the publisher derives. */
static int prop_key_ok(const char *k, size_t n)
{
	static const char *const owned[] = {
		"ACTION", "DEVPATH", "SUBSYSTEM", "SEQNUM", "DEVNAME", "DEVTYPE", "MAJOR",
		"MINOR", "DRIVER", "IFINDEX", "INTERFACE", "DEVLINKS", "TAGS", "CURRENT_TAGS",
		"USEC_INITIALIZED", "MODALIAS", "SYNTH_UUID",
	};
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!(k[i] == '_' || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= '0' && k[i] <= '9')))
			return 0;
	for (i = 0; i < sizeof owned / sizeof *owned; i++)
		if (strlen(owned[i]) == n && !memcmp(owned[i], k, n))
			return 0;
	return 1;
}

/* Append the "+KEY=VALUE" token tok (len bytes) to *props. */
static int add_prop(char **props, const char *tok, size_t len)
{
	size_t old = 0, need;
	char *np;

	if (*props)
		while ((*props)[old])
			old += strlen(*props + old) + 1;
	need = old + len + 1;	/* "KEY=VALUE\0" without the '+', then "\0" */
	np = realloc(*props, need);
	if (!np)
		return -ENOMEM;
	memcpy(np + old, tok + 1, len - 1);
	np[old + len - 1] = '\0';
	np[old + len] = '\0';
	*props = np;
	return 0;
}

static int is_name_char(char c, int first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Two repetition operators in a row ("a++", "a*?", "a{2}*"): POSIX leaves
 * ERE results undefined, and some libcs take exponential time and memory
 * on them (glibc with "b+++...").  Bracket expressions and escapes are
 * skipped. */
static int stacked_repeat(const char *p, size_t n)
{
	size_t i;
	int prev = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '\\') {
			i++;
			prev = 0;
		} else if (c == '[') {
			i++;
			if (i < n && p[i] == '^')
				i++;
			if (i < n && p[i] == ']')
				i++;
			while (i < n && p[i] != ']') {
				if (p[i] == '[' && i + 1 < n && strchr(":.=", p[i + 1])) {
					char t = p[i + 1];

					for (i += 2; i + 1 < n && !(p[i] == t && p[i + 1] == ']'); i++)
						;
					i++;
				}
				i++;
			}
			prev = 0;
		} else if (c == '*' || c == '+' || c == '?' || c == '{') {
			if (prev)
				return 1;
			if (c == '{')
				while (i < n && p[i] != '}')
					i++;
			prev = 1;
		} else {
			prev = 0;
		}
	}
	return 0;
}

/* Compile re; on failure put the reason in why. */
static int compile(regex_t *re, const char *pat, size_t len, char *why, size_t whylen)
{
	char *s;
	int r;

	if (stacked_repeat(pat, len)) {
		snprintf(why, whylen, "repetition operators in a row (undefined in POSIX ERE)");
		return -EINVAL;
	}
	s = strndup(pat, len);
	if (!s)
		return -ENOMEM;
	r = regcomp(re, s, REG_EXTENDED);
	free(s);
	if (r) {
		regerror(r, re, why, whylen);
		return -EINVAL;
	}
	return 0;
}

/* The end of the bracket expression starting at p ('['), or NULL. */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;		/* a ']' first is a member */
	for (; *p && *p != ']'; p++)
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *e = strchr(p + 2, p[1]);

			for (; e && e[1] != ']'; e = strchr(e + 1, p[1]))
				;
			if (!e)
				return NULL;
			p = e + 1;
		}
	return *p ? p : NULL;
}

/* Fill r->lit/litlen/whole/any from the ERE pat (which regcomp took):
 * the literal bytes every whole-string match starts with.  Anything
 * unclear gives a shorter prefix, never a wrong one. */
static void rule_lit(struct rule *r, const char *pat)
{
	const char *p;
	size_t n = 0;
	int depth = 0;

	r->litlen = r->whole = 0;
	r->any = !strcmp(pat, ".*");
	/* an alternative at the top level: no prefix is common to all */
	for (p = pat; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[' && !(p = bracket_end(p)))
			return;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '|' && depth <= 0)
			return;
	}
	for (p = pat; *p && !strchr(".[]()*+?{}|^$\\", *p) && n < sizeof r->lit; p++)
		r->lit[n++] = *p;
	/* a quantifier after it makes the last byte optional */
	if (n && (*p == '*' || *p == '?' || *p == '{'))
		n--;
	r->whole = !*p;
	r->litlen = (unsigned char)n;
}

/* "@maj,min[-min2]" with decimal numbers only. */
static int parse_majmin(const char *s, struct rule *r)
{
	unsigned long v[3] = { 0, 0, 0 };
	int n = 0;
	char *end;

	s++;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		v[n] = strtoul(s, &end, 10);
		if (errno || v[n] > 0xfffffffUL)
			return -EINVAL;
		n++;
		s = end;
		if (!*s)
			break;
		if (n == 1 && *s == ',')
			s++;
		else if (n == 2 && *s == '-')
			s++;
		else
			return -EINVAL;
	}
	if (n < 2)
		return -EINVAL;
	r->maj = (unsigned)v[0];
	r->min0 = (unsigned)v[1];
	r->min1 = n == 3 ? (unsigned)v[2] : r->min0;
	if (r->min1 < r->min0)
		return -EINVAL;
	return 0;
}

/* Parse one logical line (NUL-terminated, writable).  0 = rule added or
 * nothing to add, -EINVAL = bad line (error recorded), -ENOMEM. */
static int parse_line(struct rule_set *rs, const char *file, unsigned lineno, char *line,
		      const struct rule_ids *ids)
{
	char *tok[4] = { 0 }, *p = line, *val, *end;
	char why[128];
	struct rule r;
	int ntok = 0, rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return 0;
	/* three blank-separated tokens, then the rest of the line */
	while (*p && ntok < 4) {
		tok[ntok++] = p;
		if (ntok == 4)
			break;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (ntok == 4) {	/* trailing blanks of the greedy token */
		end = tok[3] + strlen(tok[3]);
		while (end > tok[3] && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
	}
	if (ntok < 3)
	{
		rc = add_err(rs, file, lineno, "%d fields, need at least 3 (match uid:gid mode)", ntok);
		return rc ? rc : -EINVAL;
	}

	memset(&r, 0, sizeof r);
	r.line = lineno;
	r.kind = RULE_MAJMIN;	/* = no regex compiled yet, see free_rule */
	val = tok[0];
	if (*val == '-') {
		r.keep = 1;
		val++;
	}
	/* ENV=regex; prefixes: a name, '=', and a ';' after it */
	for (;;) {
		char *eq = val, *semi;

		if (!is_name_char(*eq, 1))
			break;
		while (is_name_char(*eq, 0))
			eq++;
		if (*eq != '=' || !(semi = strchr(eq, ';')))
			break;
		{
			void *np = realloc(r.envs, (r.nenvs + 1) * sizeof *r.envs);
			struct rule_envmatch *e;

			if (!np)
				goto nomem;
			r.envs = np;
			e = &r.envs[r.nenvs];
			e->name = strndup(val, (size_t)(eq - val));
			if (!e->name)
				goto nomem;
			rc = compile(&e->re, eq + 1, (size_t)(semi - eq - 1), why, sizeof why);
			if (rc) {
				free(e->name);
				if (rc == -ENOMEM)
					goto nomem;
				rc = add_err(rs, file, lineno, "bad regex in %.*s: %s",
					     (int)(eq - val), val, why);
				goto bad;
			}
			r.nenvs++;
		}
		val = semi + 1;
	}
	if (*val == '@') {
		r.kind = RULE_MAJMIN;
		if (parse_majmin(val, &r)) {
			rc = add_err(rs, file, lineno, "bad @major,minor[-minor2] '%s'", val);
			goto bad;
		}
	} else {
		const char *pat = val;

		if (*val == '$') {
			char *eq = strchr(val + 1, '=');

			if (!eq || eq == val + 1) {
				rc = add_err(rs, file, lineno, "bad $VAR=regex '%s'", val);
				goto bad;
			}
			r.var = strndup(val + 1, (size_t)(eq - val - 1));
			if (!r.var)
				goto nomem;
			pat = eq + 1;
		}
		if (!*pat) {
			rc = add_err(rs, file, lineno, "empty match");
			goto bad;
		}
		rc = compile(&r.re, pat, strlen(pat), why, sizeof why);
		if (rc) {
			if (rc == -ENOMEM)
				goto nomem;
			rc = add_err(rs, file, lineno, "bad regex '%s': %s", pat, why);
			goto bad;
		}
		r.kind = r.var ? RULE_ENV : RULE_NAME;
		rule_lit(&r, pat);
	}
	rc = rule_owner(tok[1], ids, &r.uid, &r.gid);
	if (rc) {
		rc = add_err(rs, file, lineno, "unknown user/group '%s'", tok[1]);
		goto bad;
	}
	if (rule_mode(tok[2], &r.mode)) {
		rc = add_err(rs, file, lineno, "bad mode '%s'", tok[2]);
		goto bad;
	}
	val = tok[3];
	if (val && strchr("=>!", *val)) {
		char *s = val;

		while (*s && *s != ' ' && *s != '\t')
			s++;
		r.place = *val;
		if (r.place == '!') {
			if (s != val + 1) {
				rc = add_err(rs, file, lineno, "junk after '!'");
				goto bad;
			}
		} else {
			if (s == val + 1) {
				rc = add_err(rs, file, lineno, "empty path after '%c'", r.place);
				goto bad;
			}
			r.path = strndup(val + 1, (size_t)(s - val - 1));
			if (!r.path)
				goto nomem;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		val = s;
	}
	while (val && *val == '+') {
		char *s = val, *eq;

		while (*s && *s != ' ' && *s != '\t')
			s++;
		eq = memchr(val, '=', (size_t)(s - val));
		if (!eq || !prop_key_ok(val + 1, (size_t)(eq - val - 1))) {
			rc = add_err(rs, file, lineno, "bad property '%.*s': want +KEY=VALUE, KEY "
				     "[A-Za-z0-9_]+ and not a kernel/udev key", (int)(s - val), val);
			goto bad;
		}
		if (add_prop(&r.props, val, (size_t)(s - val)))
			goto nomem;
		while (*s == ' ' || *s == '\t')
			s++;
		val = s;
	}
	if (val && *val) {
		if (!strchr("@$*", *val)) {
			rc = add_err(rs, file, lineno, "bad 4th field '%s': want =path, >path, !, +KEY=VALUE or @|$|*command",
				     val);
			goto bad;
		}
		if (!val[1]) {
			rc = add_err(rs, file, lineno, "empty command after '%c'", *val);
			goto bad;
		}
		r.when = *val;
		r.cmd = strdup(val + 1);
		if (!r.cmd)
			goto nomem;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		void *np = realloc(rs->v, cap * sizeof *rs->v);

		if (!np)
			goto nomem;
		rs->v = np;
		rs->cap = cap;
	}
	rs->v[rs->n++] = r;
	return 0;
bad:
	free_rule(&r);
	return rc ? rc : -EINVAL;
nomem:
	free_rule(&r);
	return -ENOMEM;
}

int rule_parse(struct rule_set *rs, const char *file, const char *buf, size_t len,
	       const struct rule_ids *ids)
{
	size_t i = 0, nerr0 = rs->nerrs;
	unsigned lineno = 0;
	char *line = NULL;
	size_t cap = 0;

	while (i < len) {
		size_t n = 0;
		unsigned first = lineno + 1;

		/* one logical line: physical lines joined while they end in '\' */
		for (;;) {
			size_t s = i;

			while (i < len && buf[i] != '\n')
				i++;
			lineno++;
			if (n + (i - s) + 1 > cap) {
				size_t nc = (n + (i - s) + 1) * 2;
				char *p = realloc(line, nc);

				if (!p) {
					free(line);
					return -ENOMEM;
				}
				line = p;
				cap = nc;
			}
			memcpy(line + n, buf + s, i - s);
			n += i - s;
			if (i < len)
				i++;	/* the '\n' */
			if (n && line[n - 1] == '\\' && i < len) {
				n--;
				continue;
			}
			break;
		}
		line[n] = 0;
		if (strlen(line) != n) {
			if (add_err(rs, file, first, "NUL byte in line")) {
				free(line);
				return -ENOMEM;
			}
			continue;
		}
		if (parse_line(rs, file, first, line, ids) == -ENOMEM) {
			free(line);
			return -ENOMEM;
		}
	}
	free(line);
	return (int)(rs->nerrs - nerr0);
}

int rule_load(struct rule_set *rs, const char *path, const struct rule_ids *ids)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got;

		if (len == cap) {
			size_t nc = cap ? cap * 2 : 8192;
			char *p = realloc(buf, nc);

			if (!p) {
				r = -ENOMEM;
				goto out;
			}
			buf = p;
			cap = nc;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		if (!got)
			break;
		len += (size_t)got;
	}
	r = rule_parse(rs, path, buf, len, ids);
out:
	free(buf);
	close(fd);
	return r;
}

void rule_free(struct rule_set *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free_rule(&rs->v[i]);
	for (i = 0; i < rs->nerrs; i++)
		free(rs->errs[i].file);
	free(rs->v);
	free(rs->errs);
	memset(rs, 0, sizeof *rs);
}
