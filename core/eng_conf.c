/* eng_conf.c — which rules apply: a config file, or the built-in one
 * (configs/mdev.conf, turned into a byte array at build time). */
#include <errno.h>
#include <stddef.h>

#include "eng_conf.h"

static const char builtin[] = {
#include "mdev_conf.gen.h"
};

const char *eng_builtin_conf(size_t *len)
{
	*len = sizeof builtin;
	return builtin;
}

int eng_conf_load(struct rule_set *rs, const char *path, const struct rule_ids *ids)
{
	size_t len;
	const char *buf;

	if (path)
		return rule_load(rs, path, ids);
	buf = eng_builtin_conf(&len);
	return rule_parse(rs, "(built-in mdev.conf)", buf, len, ids);
}
