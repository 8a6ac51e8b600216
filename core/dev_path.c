/* dev_path.c — resolving untrusted relative paths below a root dirfd.
 *
 * The walk opens each directory component with O_PATH|O_NOFOLLOW|
 * O_DIRECTORY relative to the previous one, so a symlink anywhere in the
 * tree (even one an attacker planted) ends the walk with ELOOP/ENOTDIR
 * instead of being followed; dev_path_ok() has already refused "..", "."
 * and absolute paths.  This is what openat2(RESOLVE_BENEATH|
 * RESOLVE_NO_SYMLINKS) gives, done by hand so it also works on kernels and
 * libcs without openat2.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev.h"
#include "dev_int.h"

int dev_root_open(struct dev_root *r, const char *path)
{
	r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r->fd < 0 ? -errno : 0;
}

void dev_root_close(struct dev_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int dev_path_ok(const char *p)
{
	const char *c = p;
	size_t len = strlen(p);

	if (!len || len >= PATH_MAX || *p == '/' || p[len - 1] == '/')
		return 0;
	for (; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch < 0x20 || ch == 0x7f)
			return 0;
		if (c == p || c[-1] == '/') {	/* start of a component */
			if (*c == '/')
				return 0;	/* "//" */
			if (c[0] == '.' && (c[1] == '/' || !c[1]))
				return 0;
			if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
				return 0;
		}
	}
	return 1;
}

/* Open the directory holding path's last component; with create, make
 * missing directories (0755).  Returns an fd (the root's own fd is dup'ed
 * so the caller always closes) and sets *base to the last component. */
int dev_parent(const struct dev_root *r, const char *path, int create, const char **base)
{
	char comp[NAME_MAX + 1];
	const char *p = path, *slash;
	int fd, nfd;

	if (!dev_path_ok(path))
		return -EINVAL;
	fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);

		if (n > NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e = errno;

				close(fd);
				return -e;
			}
			nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			int e = errno;

			close(fd);
			/* O_NOFOLLOW on a symlink with O_PATH|O_DIRECTORY gives
			 * ENOTDIR; either way: not followed */
			return -e;
		}
		close(fd);
		fd = nfd;
		p = slash + 1;
	}
	if (strlen(p) > NAME_MAX) {
		close(fd);
		return -ENAMETOOLONG;
	}
	*base = p;
	return fd;
}

/* After removing path's last component, rmdir its parents while empty
 * (ENOTEMPTY/EBUSY end it quietly).  Never removes the root itself. */
void dev_prune_dirs(const struct dev_root *r, const char *path)
{
	char buf[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof buf)
		return;
	strcpy(buf, path);
	while ((slash = strrchr(buf, '/'))) {
		const char *base;
		int fd;

		*slash = 0;
		fd = dev_parent(r, buf, 0, &base);
		if (fd < 0)
			return;
		if (unlinkat(fd, base, AT_REMOVEDIR) < 0) {
			close(fd);
			return;
		}
		close(fd);
	}
}

int dev_link_target(const char *link, const char *node, char *out, size_t size)
{
	size_t n = 0, need;
	const char *c;

	for (c = link; *c; c++)
		if (*c == '/') {
			if (n + 3 >= size)
				return -ENAMETOOLONG;
			memcpy(out + n, "../", 3);
			n += 3;
		}
	need = strlen(node);
	if (n + need >= size)
		return -ENAMETOOLONG;
	memcpy(out + n, node, need + 1);
	return (int)(n + need);
}
