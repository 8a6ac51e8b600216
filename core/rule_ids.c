/* rule_ids.c — owner and mode fields of a rule.
 *
 * Owners: "user:group", "user" (its primary group) or numbers, names looked
 * up in ETC/passwd and ETC/group by reading the files directly (not NSS: a
 * static binary in an initramfs has no NSS, and tests point ETC at a
 * scratch tree).  Modes: octal, or symbolic clauses applied to 0660 as
 * busybox's bb_parse_mode does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rule.h"

static int parse_id(const char *s, size_t len, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 0xfffffffeUL)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Find NAME in a colon file; field 2 (0-based) is the id, field 3 the
 * primary gid in passwd.  Returns 0 and fills id (and gid if asked). */
static int lookup(const char *etc, const char *file, const char *name, size_t nlen,
		  unsigned long *id, unsigned long *gid)
{
	char path[4096], line[1024];
	FILE *f;
	int r = -ENOENT;

	if (snprintf(path, sizeof path, "%s/%s", etc ? etc : "/etc", file) >= (int)sizeof path)
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof line, f)) {
		char *fld[5] = { 0 }, *p = line;
		int n = 0;

		if (strncmp(line, name, nlen) || line[nlen] != ':')
			continue;
		while (n < 5 && p) {
			fld[n++] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = 0;
		}
		if (n < 3 || parse_id(fld[2], strlen(fld[2]), id))
			continue;
		if (gid && (n < 4 || parse_id(fld[3], strlen(fld[3]), gid)))
			continue;
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

int rule_owner(const char *s, const struct rule_ids *ids, uid_t *uid, gid_t *gid)
{
	const char *colon = strchr(s, ':');
	const char *etc = ids ? ids->etc : NULL;
	size_t ulen = colon ? (size_t)(colon - s) : strlen(s);
	unsigned long u, g = 0, pg;
	int r;

	if (!ulen)
		return -EINVAL;
	if (parse_id(s, ulen, &u) == 0) {
		pg = 0;
	} else if ((r = lookup(etc, "passwd", s, ulen, &u, &pg)) < 0) {
		return r;
	}
	if (!colon) {
		g = pg;
	} else {
		const char *gs = colon + 1;
		size_t glen = strlen(gs);

		if (!glen)
			return -EINVAL;
		if (parse_id(gs, glen, &g) != 0 && (r = lookup(etc, "group", gs, glen, &g, NULL)) < 0)
			return r;
	}
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return 0;
}

/* One symbolic clause list: [ugoa]*[-+=][rwxXst]*[,...], from 0660. */
static int mode_symbolic(const char *s, mode_t *mode)
{
	mode_t m = 0660;

	while (*s) {
		mode_t who = 0, perm = 0;
		char op;

		for (; strchr("ugoa", *s) && *s; s++)
			who |= *s == 'u' ? 04700 : *s == 'g' ? 02070 : *s == 'o' ? 0007 : 07777;
		if (!who)
			who = 07777;
		do {
			op = *s;
			if (op != '+' && op != '-' && op != '=')
				return -EINVAL;
			s++;
			perm = 0;
			for (; *s && strchr("rwxXst", *s); s++) {
				switch (*s) {
				case 'r': perm |= 0444; break;
				case 'w': perm |= 0222; break;
				case 'x': case 'X': perm |= 0111; break;
				case 's': perm |= 06000; break;
				case 't': perm |= 01000; break;
				}
			}
			perm &= who;
			if (op == '+')
				m |= perm;
			else if (op == '-')
				m &= ~perm;
			else
				m = (m & ~(who & 0777)) | perm;
		} while (*s == '+' || *s == '-' || *s == '=');
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	*mode = m & 07777;
	return 0;
}

int rule_mode(const char *s, mode_t *mode)
{
	mode_t m = 0;
	const char *p;

	if (!*s)
		return -EINVAL;
	if (*s >= '0' && *s <= '7') {
		for (p = s; *p; p++) {
			if (*p < '0' || *p > '7' || p - s >= 4)
				return -EINVAL;
			m = m * 8 + (mode_t)(*p - '0');
		}
		*mode = m;
		return 0;
	}
	return mode_symbolic(s, mode);
}
