/* kidx.h — the module indexes depmod writes, read-only.
 *
 * One `struct kidx` is one index: either a binary trie file
 * (modules.{dep,alias,symbols,builtin,builtin.alias}.bin, kmod format 2.x,
 * mmapped) or the text file it was made from (modules.dep, modules.alias,
 * modules.symbols, modules.builtin, modules.builtin.modinfo), as busybox
 * depmod writes them.  Both answer the same two questions:
 *
 *   kidx_get()  exact key -> first value (modules.dep, modules.builtin)
 *   kidx_wild() key -> every value whose stored key (an fnmatch pattern)
 *               matches, ordered by priority exactly as kmod orders them.
 *
 * Every offset read from a binary file is bounds-checked; a bad file gives
 * -EBADMSG and a reason naming the file (kidx_why()).  Lookups never
 * allocate except the result array, and an open index is immutable, so any
 * number of threads may query it at once.
 */
#ifndef UEVBOX_KIDX_H
#define UEVBOX_KIDX_H

#include <stddef.h>
#include <stdint.h>

/* kmod's on-disk constants (kernel: none; kmod: libkmod/libkmod-index.c). */
#define KIDX_MAGIC          0xB007F457u
#define KIDX_VERSION_MAJOR  2u
#define KIDX_NODE_PREFIX    0x80000000u
#define KIDX_NODE_VALUES    0x40000000u
#define KIDX_NODE_CHILDS    0x20000000u
#define KIDX_NODE_MASK      0x0FFFFFFFu
#define KIDX_MAX_DEPTH      256	/* trie nodes on one path; deeper = corrupt
					 * (real aliases are under 100 characters) */
#define KIDX_MAX_KEY        4095

/* What a text file holds, so kidx_open_text() knows how to parse it. */
enum kidx_text_kind {
	KIDX_TEXT_DEP,		/* "path: dep dep"          key modname, value the line */
	KIDX_TEXT_ALIAS,	/* "alias PATTERN modname"  (modules.alias, .symbols) */
	KIDX_TEXT_BUILTIN,	/* "kernel/x/name.ko"        key modname, value "" */
	KIDX_TEXT_MODINFO,	/* "name.alias=PATTERN\0"    builtin aliases */
};

struct kidx;

/* One match: the value string (NUL-terminated, valid while the index is
 * open) and its priority. */
struct kidx_hit {
	const char *val;
	uint32_t prio;
};

/* A growable result list for kidx_wild(); start zeroed, free with
 * kidx_res_free(). */
struct kidx_res {
	struct kidx_hit *v;
	size_t n, cap;
};

/* Open a binary index.  Returns 0, -ENOENT if the file is absent, -EBADMSG
 * if it is not a valid index (*why then says how: "truncated", "bad magic",
 * "unsupported version"), or another -errno.  *out is set only on success. */
int kidx_open_bin(struct kidx **out, const char *path, const char **why);

/* Parse a text index.  prio_from, if given, is the modules.dep index whose
 * line numbers become the priorities of alias values (as depmod numbers
 * modules).  Returns 0, -ENOENT, -ENOMEM or -EBADMSG. */
int kidx_open_text(struct kidx **out, const char *path, enum kidx_text_kind kind,
		   const struct kidx *prio_from);

void kidx_close(struct kidx *ix);

/* The file this index was read from. */
const char *kidx_path(const struct kidx *ix);

/* Exact lookup: 1 and *val (first value, lowest priority) if KEY is
 * stored, 0 if not, -EBADMSG if the index is corrupt on the way. */
int kidx_get(const struct kidx *ix, const char *key, const char **val);

/* Wildcard lookup as kmod's index_searchwild(): values of KEY itself and of
 * every stored pattern that fnmatch()es KEY, appended to res in kmod's
 * order (ascending priority; among equal priorities the later found comes
 * first).  Returns the number of hits added, -ENOMEM or -EBADMSG. */
int kidx_wild(const struct kidx *ix, const char *key, struct kidx_res *res);

void kidx_res_free(struct kidx_res *res);

/* Priority depmod gave module NAME in a modules.dep index (binary: the
 * value's priority; text: its line number), or -1 if absent. */
long kidx_dep_prio(const struct kidx *ix, const char *name);

/* Internal to kidx_*.c: insert a hit keeping kmod's order. */
int kidx_res_add(struct kidx_res *res, const char *val, uint32_t prio);

#endif
