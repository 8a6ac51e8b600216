/* kidx.c — the common face of the module indexes: dispatch to the binary
 * or text reader, and the result list kept in kmod's order.
 *
 * kmod's add_value() (libkmod-index.c) inserts each hit before the first
 * one whose priority is >= its own; we do the same so callers see the
 * modules in the order modprobe handles them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kidx.h"
#include "kidx_int.h"

int kidx_res_add(struct kidx_res *res, const char *val, uint32_t prio)
{
	size_t i;

	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 8;
		struct kidx_hit *v = realloc(res->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		res->v = v;
		res->cap = cap;
	}
	for (i = 0; i < res->n && res->v[i].prio < prio; i++)
		;
	memmove(res->v + i + 1, res->v + i, (res->n - i) * sizeof(*res->v));
	res->v[i].val = val;
	res->v[i].prio = prio;
	res->n++;
	return 0;
}

void kidx_res_free(struct kidx_res *res)
{
	free(res->v);
	res->v = NULL;
	res->n = res->cap = 0;
}

const char *kidx_path(const struct kidx *ix)
{
	return ix->path;
}

int kidx_get(const struct kidx *ix, const char *key, const char **val)
{
	if (strlen(key) > KIDX_MAX_KEY)
		return 0;
	uint32_t prio;

	return ix->bin ? kidx_bin_get(ix, key, val, &prio) : kidx_text_get(ix, key, val);
}

int kidx_wild(const struct kidx *ix, const char *key, struct kidx_res *res)
{
	if (strlen(key) > KIDX_MAX_KEY)
		return 0;
	return ix->bin ? kidx_bin_wild(ix, key, res) : kidx_text_wild(ix, key, res);
}

void kidx_close(struct kidx *ix)
{
	if (!ix)
		return;
	if (ix->bin)
		kidx_bin_unmap(ix);
	if (ix->owns_keys)
		for (uint32_t i = 0; i < ix->nent; i++)
			free((char *)ix->ent[i].key);
	free(ix->buf);
	free(ix->ent);
	free(ix->hash);
	free(ix->wild);
	free(ix);
}
