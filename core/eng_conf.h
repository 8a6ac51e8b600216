/* eng_conf.h — loading rules from a file or the built-in configs/mdev.conf. */
#ifndef UEVBOX_ENG_CONF_H
#define UEVBOX_ENG_CONF_H
#include <stddef.h>
#include "rule.h"

/* The built-in config text (not NUL-terminated). */
const char *eng_builtin_conf(size_t *len);

/* path NULL: the built-in config.  Returns the number of bad lines (in
 * rs->errs) or -errno when the file cannot be read. */
int eng_conf_load(struct rule_set *rs, const char *path, const struct rule_ids *ids);
#endif
