/* dev.h — device nodes, links and directories below a root directory.
 *
 * Every path given here comes (directly or through a rule) from an event,
 * so none is trusted: it must pass dev_path_ok() and is resolved one
 * component at a time from the root's dirfd with O_NOFOLLOW, so neither
 * "..", an absolute name, nor a symlink already in the tree can lead
 * outside the root.  Nodes appear atomically (made under a temporary name
 * with their final owner and mode, then renamed into place).
 * Never prints, never exits: >= 0 or -errno.
 */
#ifndef UEVBOX_DEV_H
#define UEVBOX_DEV_H

#include <sys/types.h>

struct dev_root {
	int fd;			/* O_PATH|O_DIRECTORY of the root */
};

/* Results of the make functions (>= 0). */
enum { DEV_UNCHANGED = 0, DEV_CREATED = 1, DEV_FIXED = 2 };

int dev_root_open(struct dev_root *r, const char *path);
void dev_root_close(struct dev_root *r);

/* A relative path with no empty, "." or ".." component, no leading or
 * trailing '/', no "//", no control characters or DEL, at most 4095 bytes.
 * Returns 1 if safe. */
int dev_path_ok(const char *p);

/* Make the node `path` (type S_IFCHR or S_IFBLK) with dev, mode, owner,
 * creating parent directories (0755, root-owned as the caller is).  An
 * existing correct node is left alone (DEV_UNCHANGED); a wrong one (type,
 * number, mode or owner) is replaced or fixed (DEV_FIXED).  A directory in
 * the way is -EISDIR. */
int dev_make_node(const struct dev_root *r, const char *path, mode_t type, dev_t dev,
		  mode_t mode, uid_t uid, gid_t gid);

/* Symlink path -> target (the target string is stored as given).  An
 * existing identical link: DEV_UNCHANGED; another link or a non-directory
 * in the way is replaced: DEV_FIXED. */
int dev_make_link(const struct dev_root *r, const char *path, const char *target);

/* Remove the node at path if it is a device of that type and number (type
 * 0: any device node).  Then remove parent directories that became empty.
 * Returns 1 removed, 0 nothing there (or not ours), -errno. */
int dev_remove_node(const struct dev_root *r, const char *path, mode_t type, dev_t dev);

/* Remove the symlink at path if it points to target.  Same return. */
int dev_remove_link(const struct dev_root *r, const char *path, const char *target);

/* The relative target for a link at `link` to the node at `node` (both
 * relative to the root): "../" per directory level of link, then node. */
int dev_link_target(const char *link, const char *node, char *out, size_t size);

#endif
