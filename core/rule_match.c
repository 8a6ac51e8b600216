/* rule_match.c — which rules apply to a device, and %N substitution.
 *
 * Semantics follow busybox mdev: ENV=re; conditions need the variable and
 * an unanchored match; a name or $VAR regex must match the whole string
 * (match starts at 0 and ends at its length); @maj,min needs a device
 * number.  Groups of the matching regex feed %0..%9.
 */
#include <errno.h>
#include <string.h>

#include "rule.h"

static int env_ok(const struct rule *r, const struct rule_subject *s)
{
	unsigned i;

	for (i = 0; i < r->nenvs; i++) {
		const char *v = s->get ? s->get(s->arg, r->envs[i].name) : NULL;

		if (!v || regexec(&r->envs[i].re, v, 0, NULL, 0))
			return 0;
	}
	return 1;
}

int rule_next(const struct rule_set *rs, size_t *pos, const struct rule_subject *s,
	      struct rule_hit *hit)
{
	size_t i;

	for (i = *pos; i < rs->n; i++) {
		const struct rule *r = &rs->v[i];
		const char *str;

		if (!env_ok(r, s))
			continue;
		memset(hit->m, -1, sizeof hit->m);
		if (r->kind == RULE_MAJMIN) {
			if (!s->has_dev || s->maj != r->maj || s->min < r->min0 || s->min > r->min1)
				continue;
			hit->str = NULL;
		} else {
			str = r->kind == RULE_ENV ? (s->get ? s->get(s->arg, r->var) : NULL) : s->name;
			if (!str || strncmp(str, r->lit, r->litlen))
				continue;
			if (r->whole || r->any) {	/* no groups to fill but %0 */
				if (r->whole && str[r->litlen])
					continue;
				hit->m[0].rm_so = 0;
				hit->m[0].rm_eo = (regoff_t)strlen(str);
			} else if (regexec(&r->re, str, RULE_NSUB, hit->m, 0) || hit->m[0].rm_so != 0 ||
				   (size_t)hit->m[0].rm_eo != strlen(str)) {
				continue;
			}
			hit->str = str;
		}
		hit->rule = r;
		*pos = i + 1;
		return 1;
	}
	*pos = rs->n;
	return 0;
}

int rule_subst(const char *tmpl, const struct rule_hit *hit, char *out, size_t size)
{
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p; p++) {
		const char *add = p;
		size_t alen = 1;

		if (*p == '%' && p[1] >= '0' && p[1] <= '9' && hit && hit->str) {
			const regmatch_t *m = &hit->m[p[1] - '0'];

			if (m->rm_so >= 0) {
				add = hit->str + m->rm_so;
				alen = (size_t)(m->rm_eo - m->rm_so);
				p++;
			}
		}
		if (n + alen >= size)
			return -ENAMETOOLONG;
		memcpy(out + n, add, alen);
		n += alen;
	}
	out[n] = 0;
	return (int)n;
}
