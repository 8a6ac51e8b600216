/* kidx_int.h — what kidx_bin.c and kidx_text.c share; not for other areas. */
#ifndef UEVBOX_KIDX_INT_H
#define UEVBOX_KIDX_INT_H

#include <stddef.h>
#include <stdint.h>

struct kidx_tent {			/* one text entry */
	const char *key;
	const char *val;
	uint32_t prio;
	uint32_t next;			/* hash chain, 1-based; 0 ends */
};

struct kidx {
	int bin;
	/* binary */
	const unsigned char *map;
	size_t size;
	uint32_t root;
	/* text */
	char *buf;			/* the file, NUL-split in place */
	struct kidx_tent *ent;
	uint32_t nent;
	uint32_t *hash;			/* nhash heads, 1-based entry index */
	uint32_t nhash;
	uint32_t *wild;			/* entries whose key has * ? [ */
	uint32_t nwild;
	int owns_keys;			/* keys malloc'd one by one (modules.dep) */
	char path[];
};

int kidx_bin_get(const struct kidx *ix, const char *key, const char **val, uint32_t *prio);
int kidx_bin_wild(const struct kidx *ix, const char *key, struct kidx_res *res);
void kidx_bin_unmap(struct kidx *ix);
int kidx_text_get(const struct kidx *ix, const char *key, const char **val);
int kidx_text_wild(const struct kidx *ix, const char *key, struct kidx_res *res);

#endif
