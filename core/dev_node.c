/* dev_node.c — making, fixing and removing nodes and links (see dev.h).
 *
 * A node is made as ".uevbox-tmp.NAME" in its directory, given its owner
 * and mode, then renamed over NAME: no one sees a node with the wrong
 * owner or mode, and a wrong node is replaced in one step.  Everything
 * is relative to the parent dirfd from dev_parent() with
 * AT_SYMLINK_NOFOLLOW wherever the call takes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dev.h"
#include "dev_int.h"

static int tmpname(char *out, size_t size, const char *base)
{
	int n = snprintf(out, size, ".uevbox-tmp.%s", base);

	return n < 0 || (size_t)n >= size || n > NAME_MAX ? -ENAMETOOLONG : 0;
}

static int fresh_node(int dfd, const char *base, mode_t type, dev_t dev, mode_t mode,
		      uid_t uid, gid_t gid)
{
	char tmp[NAME_MAX + 1];
	int r = tmpname(tmp, sizeof tmp, base);

	if (r)
		return r;
	if (unlinkat(dfd, tmp, 0) < 0 && errno != ENOENT)
		return -errno;
	if (mknodat(dfd, tmp, type | (mode & 07777), dev) < 0)
		return -errno;
	/* mknod's mode went through the umask; set the exact one */
	if (fchownat(dfd, tmp, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(dfd, tmp, mode & 07777, 0) < 0 ||
	    renameat(dfd, tmp, dfd, base) < 0) {
		r = -errno;
		unlinkat(dfd, tmp, 0);
		return r;
	}
	return 0;
}

int dev_make_node(const struct dev_root *r, const char *path, mode_t type, dev_t dev,
		  mode_t mode, uid_t uid, gid_t gid)
{
	const char *base;
	struct stat st;
	int dfd, rc;

	if (type != S_IFCHR && type != S_IFBLK)
		return -EINVAL;
	dfd = dev_parent(r, path, 1, &base);
	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = errno == ENOENT ? fresh_node(dfd, base, type, dev, mode, uid, gid) : -errno;
		if (!rc)
			rc = DEV_CREATED;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	if ((st.st_mode & S_IFMT) != type || st.st_rdev != dev) {
		rc = fresh_node(dfd, base, type, dev, mode, uid, gid);
		if (!rc)
			rc = DEV_FIXED;
		goto out;
	}
	rc = DEV_UNCHANGED;
	if (st.st_uid != uid || st.st_gid != gid) {
		if (fchownat(dfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
			goto out;
		}
		rc = DEV_FIXED;
	}
	/* chown may clear set-id bits, so compare the mode afterwards too */
	if ((st.st_mode & 07777) != (mode & 07777) || rc == DEV_FIXED) {
		/* it is a device node we just lstat'ed, not a symlink */
		if (fchmodat(dfd, base, mode & 07777, 0) < 0) {
			rc = -errno;
			goto out;
		}
		if ((st.st_mode & 07777) != (mode & 07777))
			rc = DEV_FIXED;
	}
out:
	close(dfd);
	return rc;
}

int dev_make_link(const struct dev_root *r, const char *path, const char *target)
{
	char cur[PATH_MAX], tmp[NAME_MAX + 1];
	const char *base;
	struct stat st;
	ssize_t n;
	int dfd, rc;

	dfd = dev_parent(r, path, 1, &base);
	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			rc = -errno;
			goto out;
		}
		rc = symlinkat(target, dfd, base) < 0 ? -errno : DEV_CREATED;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dfd, base, cur, sizeof cur - 1);
		if (n >= 0) {
			cur[n] = 0;
			if (!strcmp(cur, target)) {
				rc = DEV_UNCHANGED;
				goto out;
			}
		}
	}
	rc = tmpname(tmp, sizeof tmp, base);
	if (rc)
		goto out;
	unlinkat(dfd, tmp, 0);
	if (symlinkat(target, dfd, tmp) < 0 || renameat(dfd, tmp, dfd, base) < 0) {
		rc = -errno;
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	rc = DEV_FIXED;
out:
	close(dfd);
	return rc;
}

/* The end of both removals: unlink base from its directory dfd (closed
 * here) and prune the directories that leaves empty.  1 removed, 0 gone
 * already, -errno. */
static int unlink_pruning(const struct dev_root *r, int dfd, const char *base, const char *path)
{
	int rc = 1;

	if (unlinkat(dfd, base, 0) < 0)
		rc = errno == ENOENT ? 0 : -errno;
	close(dfd);
	if (rc == 1)
		dev_prune_dirs(r, path);
	return rc;
}

/* A parent that is missing (or not a directory we may walk) means there
 * is nothing of ours to remove. */
static int gone(int err)
{
	return err == -ENOENT || err == -ENOTDIR || err == -ELOOP;
}

int dev_remove_node(const struct dev_root *r, const char *path, mode_t type, dev_t dev)
{
	const char *base;
	struct stat st;
	int dfd, rc = 0;

	dfd = dev_parent(r, path, 0, &base);
	if (dfd < 0)
		return gone(dfd) ? 0 : dfd;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		rc = errno == ENOENT ? 0 : -errno;
	else if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		rc = 0;
	else if (type && ((st.st_mode & S_IFMT) != type || st.st_rdev != dev))
		rc = 0;		/* someone else's node now: not ours to remove */
	else
		return unlink_pruning(r, dfd, base, path);
	close(dfd);
	return rc;
}

int dev_remove_link(const struct dev_root *r, const char *path, const char *target)
{
	char cur[PATH_MAX];
	const char *base;
	ssize_t n;
	int dfd, err;

	dfd = dev_parent(r, path, 0, &base);
	if (dfd < 0)
		return gone(dfd) ? 0 : dfd;
	n = readlinkat(dfd, base, cur, sizeof cur - 1);
	err = n < 0 ? errno : 0;
	if (n >= 0) {
		cur[n] = 0;
		if (!strcmp(cur, target))
			return unlink_pruning(r, dfd, base, path);
	}
	close(dfd);
	/* EINVAL: not a link (someone else's file now) */
	return err && err != ENOENT && err != EINVAL ? -err : 0;
}
